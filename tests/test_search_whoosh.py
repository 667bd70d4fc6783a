"""Whoosh index safety: several processes write at once without losing an update; rebuilds are built aside."""

from __future__ import annotations

import os
import threading

import pytest

from tests.fixtures.search import in_processes, titles


def _worker(index_dir: str, ids: list[int], proc: int, barrier) -> None:
    """A separate process, like a gunicorn worker: its own app, engine and Whoosh writer."""
    from marketplace import create_app
    from marketplace.catalog.models import Listing
    from marketplace.extensions import db

    app = create_app("testing")
    app.config["SEARCH_INDEX_DIR"] = index_dir
    app.config["SEARCH_SYNC_RAISE"] = True
    with app.app_context():
        barrier.wait()
        for n, listing_id in enumerate(ids):
            listing = db.session.get(Listing, listing_id)
            listing.title = f"Hạt điều p{proc} n{n}"
            db.session.commit()


def test_four_processes_writing_at_once_lose_no_update(app, db, make_household, make_category, make_listing):
    household, category = make_household(), make_category()
    listings = [make_listing(household, category=category, title=f"Tiêu đen {n}") for n in range(100)]
    db.session.commit()
    index_dir = app.config["SEARCH_INDEX_DIR"]
    argsets = [(index_dir, [x.id for x in listings[p * 25:(p + 1) * 25]], p) for p in range(4)]
    assert in_processes(_worker, argsets) == [0, 0, 0, 0]

    from marketplace.search import api
    from marketplace.search.whoosh_backend import WhooshBackend

    db.session.expire_all()
    ix = WhooshBackend.for_app(app)._open()
    assert ix.doc_count() == 100
    with ix.searcher() as s:
        assert ix.doc_count_all() == s.doc_count_all()
    results = api.query(api.SearchQuery(text="hat dieu", per_page=200))
    assert results.total == 100
    assert sorted(h.listing.title for h in results.hits) == sorted(
        f"Hạt điều p{p} n{n}" for p in range(4) for n in range(25)
    )
    assert api.query(api.SearchQuery(text="tieu den")).total == 0


def test_threads_writing_at_once_do_not_raise_lock_errors(app, db, make_listing):
    from marketplace.search import api

    listings = [make_listing(title=f"Ổi lê {n}") for n in range(20)]
    errors: list[BaseException] = []

    def work(chunk):
        with app.app_context():
            try:
                for listing_id in chunk:
                    api.index_listing(listing_id)
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

    ids = [x.id for x in listings]
    threads = [threading.Thread(target=work, args=(ids[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert api.query(api.SearchQuery(text="oi le")).total == 20


def test_rebuild_command_fills_a_new_index_and_swaps_it_in(search_backend, app, db, runner, make_listing):
    from marketplace.search import api

    for n in range(3):
        make_listing(title=f"Thanh long ruột đỏ {n}")
    api.clear()
    assert api.query(api.SearchQuery(text="thanh long")).total == 0
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 3 listings" in result.output
    assert api.query(api.SearchQuery(text="thanh long")).total == 3


def test_rebuild_serves_the_old_index_until_the_swap_and_keeps_changes_made_meanwhile(app, db, make_listing):
    from marketplace.search import api, documents
    from marketplace.search.whoosh_backend import WhooshBackend

    old = make_listing(title="Sầu riêng Ri6")
    for n in range(5):
        make_listing(title=f"Chôm chôm {n}")
    backend = WhooshBackend.for_app(app)
    live_before = os.readlink(os.path.join(backend.root, "current"))
    seen_during = {}

    real_iter = documents.iter_visible_docs

    def slow_iter(session, batch=1000):
        for n, doc in enumerate(real_iter(session, batch=2)):
            if n == 2:
                # half-way: the live index is still the old one, and a household edits a listing meanwhile
                seen_during["chom"] = api.query(api.SearchQuery(text="chom chom")).total
                seen_during["link"] = os.readlink(os.path.join(backend.root, "current"))
                old.title = "Sầu riêng Musang King"
                db.session.commit()
            yield doc

    documents.iter_visible_docs = slow_iter
    try:
        api.rebuild()
    finally:
        documents.iter_visible_docs = real_iter
    assert seen_during == {"chom": 5, "link": live_before}
    assert os.readlink(os.path.join(backend.root, "current")) != live_before
    assert titles(api.query(api.SearchQuery(text="sau rieng"))) == ["Sầu riêng Musang King"]
    assert api.query(api.SearchQuery(text="chom chom")).total == 5
    assert not os.path.exists(os.path.join(backend.root, "rebuild.journal"))


def test_a_second_rebuild_while_one_runs_is_refused(app, db):
    from marketplace.search import documents
    from marketplace.search.whoosh_backend import WhooshBackend

    backend = WhooshBackend.for_app(app)
    backend._current_name()
    open(os.path.join(backend.root, "rebuild.journal"), "w").close()
    try:
        with pytest.raises(RuntimeError, match="another rebuild"):
            backend.rebuild(documents.DocumentSource(db.engine))
    finally:
        os.remove(os.path.join(backend.root, "rebuild.journal"))


def _segment_files(path) -> dict[str, bytes]:
    """The files of a one-segment index by their name without the segment id (the id is random), the id in the table
    of contents blanked."""
    from whoosh import index as whoosh_index

    (segment,) = whoosh_index.open_dir(str(path))._segments()
    segment_id = segment.segid
    out = {}
    for name in os.listdir(path):
        if name.endswith("WRITELOCK"):
            continue
        with open(os.path.join(path, name), "rb") as f:
            out[name.replace(segment_id, "<segment>")] = f.read().replace(segment_id.encode(), b"<segment>")
    return out


def test_bulk_writer_writes_the_files_whooshs_own_writer_would(app, db, tmp_path, produce, make_listing, monkeypatch):
    """A rebuild's BulkWriter against Whoosh's SegmentWriter on the same listings: the postings, term table, columns
    (stored fields, lengths, sort values) and table of contents come out byte for byte the same."""
    from whoosh import index as whoosh_index

    from marketplace.search import documents
    from marketplace.search.whoosh_backend import SCHEMA, WhooshBackend
    from marketplace.search.whoosh_bulk import BulkWriter

    monkeypatch.setitem(app.config, "SEARCH_SYNC", False)  # a bulk load, indexed below
    for n in range(150):  # more than one 128-posting block for the words they share; some words more than once
        make_listing(title=f"Gạo ST25 túi {n % 9} kg", description="Gạo thơm, gạo dẻo. " * (n % 3) + f"Vụ mùa {n % 7}")
    docs = list(documents.DocumentSource(db.engine).iter_visible())
    assert len(docs) == 157
    for kind in ("bulk", "whoosh"):
        os.makedirs(tmp_path / kind)
        ix = whoosh_index.create_in(str(tmp_path / kind), SCHEMA)
        writer = BulkWriter(ix, compound=False) if kind == "bulk" else ix.writer(compound=False)
        for doc in docs:
            writer.add_document(**WhooshBackend._fields(doc))
        writer.commit()
    bulk, whoosh = _segment_files(tmp_path / "bulk"), _segment_files(tmp_path / "whoosh")
    assert sorted(bulk) == sorted(whoosh)
    assert [name for name in bulk if bulk[name] != whoosh[name]] == []


def test_bulk_writer_refuses_an_index_that_has_documents(app, db, tmp_path):
    from whoosh import index as whoosh_index

    from marketplace.search.whoosh_backend import SCHEMA
    from marketplace.search.whoosh_bulk import BulkWriter

    ix = whoosh_index.create_in(str(tmp_path), SCHEMA)
    with ix.writer() as writer:
        writer.add_document(id="1", title="Ổi lê")
    with pytest.raises(ValueError, match="empty index"):
        BulkWriter(ix)
    with ix.writer() as writer:  # the refused writer let go of Whoosh's lock
        writer.add_document(id="2", title="Ổi găng")


def test_caches_carried_over_a_write_give_what_fresh_caches_give(app, db, produce, make_listing):
    """After a rebuild, single writes add small segments; the next searcher reuses the rebuild's segment cache (its
    sets less the listings the write replaced) and reads only the new segment. Its answers are those of a cache read
    from scratch, and the rebuild's segment stays first, its documents keeping their numbers."""
    from marketplace.catalog.models import ListingStatus
    from marketplace.search import api, whoosh_query
    from marketplace.search.whoosh_backend import WhooshBackend

    oranges = [make_listing(title=f"Cam sành {n}", price=40_000 + n * 1_000) for n in range(20)]
    api.rebuild()
    backend = WhooshBackend.for_app(app)
    (rebuilt,) = [s.segment_id() for s in backend._open()._segments()]
    queries = [
        api.SearchQuery(text="cam"),
        api.SearchQuery(text="cam sanh", sort="price"),
        api.SearchQuery(text="", sort="newest"),
        api.SearchQuery(text="", sort="price", per_page=5),
        api.SearchQuery(text="", category_id=produce["mango"].category_id),
        api.SearchQuery(text="xoai"),
        api.SearchQuery(text="buoi"),
        api.SearchQuery(text="ca", min_price=30_000, max_price=100_000, sort="price_per_kg"),
    ]
    for q in queries:  # warm every cache
        backend.search(q)

    oranges[3].title = "Bưởi da xanh"
    oranges[5].status = ListingStatus.PAUSED
    oranges[7].price = 1_000
    produce["mango2"].title = "Xoài keo cam"
    db.session.commit()
    make_listing(title="Cam Vinh", price=35_000)

    assert api.query(api.SearchQuery(text="cam")).total == 20 - 2 + 1 + 1
    assert [h.listing.title for h in api.query(api.SearchQuery(text="buoi")).hits] == ["Bưởi da xanh"]
    assert api.query(api.SearchQuery(text="", sort="price")).hits[0].listing.title == "Cam sành 7"
    carried = backend._cache()
    fresh = whoosh_query.PostingCache(carried.searcher)
    for q in queries:
        assert whoosh_query.run(carried, q) == whoosh_query.run(fresh, q), q
        assert whoosh_query.suggest(carried, q.words or ["c"], 10) == whoosh_query.suggest(fresh, q.words or ["c"], 10)
    segments = [s.segment_id() for s in backend._open()._segments()]
    assert segments[0] == rebuilt and len(segments) <= 3
