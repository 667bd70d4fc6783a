"""The PostgreSQL search backend's own guarantees: facet counts kept by triggers always equal the documents, the
ranking does not depend on how a tier is read, concurrent writers and a rebuild lose no update."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.fixtures.search import in_processes, titles


@pytest.fixture
def pg(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the PostgreSQL search backend needs TEST_DATABASE_URL=postgresql://…")
    from marketplace.search import api

    app.config["SEARCH_BACKEND"] = "postgres"
    api.clear()
    yield api
    app.config["SEARCH_BACKEND"] = "whoosh"


def _counts(db) -> tuple[dict, dict]:
    """(search_facet_counts without empty rows, the same counted from search_documents)."""
    key = "category_id, province_code, availability, certs"
    with db.engine.connect() as conn:
        kept = {tuple(r[:4]): r[4] for r in conn.execute(text(f"SELECT {key}, n FROM search_facet_counts WHERE n <> 0"))}
        real = {
            tuple(r[:4]): r[4]
            for r in conn.execute(text(f"SELECT {key}, count(*) FROM search_documents GROUP BY {key}"))
        }
    return kept, real


def test_facet_counts_follow_every_kind_of_change(pg, db, make_household, make_category, make_listing):
    from marketplace.catalog.models import ListingStatus
    from marketplace.households.models import Certification, CertificationKind, HouseholdStatus

    fruit, coffee = make_category(), make_category(name_vi="Cà phê", name_en="Coffee")
    north, south = make_household(), make_household(ward_code=24133)
    listings = [make_listing(north, category=fruit, title=f"Ổi lê {n}") for n in range(3)]
    listings += [make_listing(south, category=coffee, title=f"Cà phê {n}") for n in range(2)]
    steps = [
        lambda: setattr(listings[0], "category", coffee),
        lambda: setattr(listings[1], "stock", 0),
        lambda: setattr(listings[2], "status", ListingStatus.PAUSED),
        lambda: db.session.add(Certification(household=south, kind=CertificationKind.VIETGAP, number="VG-9",
                                             expires_on=date.today() + timedelta(days=30))),
        lambda: setattr(north, "status", HouseholdStatus.SUSPENDED),
        lambda: setattr(listings[3], "status", ListingStatus.DELETED),
    ]
    kept, real = _counts(db)
    assert kept == real and sum(real.values()) == 5
    for step in steps:
        step()
        db.session.commit()
        kept, real = _counts(db)
        assert kept == real
    assert sum(real.values()) == 1
    everything = pg.query(pg.SearchQuery())
    assert everything.total == 1
    assert everything.facets["cert"] == {"vietgap": 1}
    assert everything.facets["category"] == {str(coffee.id): 1}


@pytest.mark.parametrize("walk_above", [0, 10**9], ids=["walk-ordering-index", "read-through-gin"])
def test_ranking_is_the_same_however_a_tier_is_read(pg, db, monkeypatch, make_household, make_listing, walk_above):
    from marketplace.search import postgres_query

    monkeypatch.setattr(postgres_query, "WALK_ABOVE", walk_above)
    bmt = make_household(name="Hộ Buôn Ma Thuột", ward_code=24133)
    other = make_household(name="Hộ Bà Sáu")
    expected = []
    for n in range(3):
        expected.append(make_listing(bmt, title=f"Cà phê Buôn Ma Thuột {n}").title)  # exact words, phrase, title
    for n in range(3):
        expected.append(make_listing(bmt, title=f"Ca phe Buon Ma Thuot {n}").title)  # folded title, phrase
    for n in range(3):
        expected.append(make_listing(bmt, title=f"Cà phê rang {n}").title)  # phrase in the household name only
    expected.append(make_listing(other, title="Thuột mứt", description="Buôn bán sỉ, ma đưa giá tốt").title)
    found = titles(pg.query(pg.SearchQuery(text="buôn ma thuột", per_page=4, page=1)))
    found += titles(pg.query(pg.SearchQuery(text="buôn ma thuột", per_page=4, page=2)))
    found += titles(pg.query(pg.SearchQuery(text="buôn ma thuột", per_page=4, page=3)))
    # tiers in order, newest first inside each
    assert found == expected[2::-1] + expected[5:2:-1] + expected[8:5:-1] + expected[9:]
    cheap = titles(pg.query(pg.SearchQuery(text="ca phe", sort="price")))
    assert len(cheap) == 9


def _edit_one_listing(listing_id: int, proc: int, barrier) -> None:
    """A separate process, like a gunicorn worker, renaming one listing again and again."""
    from marketplace import create_app
    from marketplace.catalog.models import Listing
    from marketplace.extensions import db

    app = create_app("testing")
    app.config.update(SEARCH_BACKEND="postgres", SEARCH_SYNC_RAISE=True)
    with app.app_context():
        barrier.wait()
        for n in range(15):
            listing = db.session.get(Listing, listing_id)
            listing.title = f"Mật ong p{proc} n{n}"
            listing.stock = n  # moves between sold out and in stock: the facet counts change too
            db.session.commit()
            db.session.remove()


def test_processes_renaming_one_listing_at_once_leave_its_last_title_in_the_index(pg, db, make_listing):
    from marketplace.catalog.models import Listing

    listing = make_listing(title="Mật ong rừng")
    assert in_processes(_edit_one_listing, [(listing.id, p) for p in range(4)]) == [0, 0, 0, 0]
    db.session.expire_all()
    final = db.session.get(Listing, listing.id).title
    assert titles(pg.query(pg.SearchQuery(text=final))) == [final]  # "p2 n14" is indexed, not an older title
    kept, real = _counts(db)
    assert kept == real and sum(real.values()) == 1


def test_rebuild_keeps_serving_every_listing_and_keeps_edits_made_meanwhile(pg, db, monkeypatch, make_listing):
    from marketplace.search import documents, postgres_backend

    monkeypatch.setattr(postgres_backend, "BATCH", 2)
    listings = [make_listing(title=f"Chôm chôm {n}") for n in range(6)]
    seen: list[int] = []
    real_ids = documents.DocumentSource.visible_ids

    def visible_ids(self, after, limit):
        if after and not seen:
            # between two batches: every listing is still found, and a household edits one listing on each side
            seen.append(pg.query(pg.SearchQuery(text="chom chom")).total)
            listings[0].title = "Sầu riêng Ri6"  # already rewritten by the rebuild
            listings[5].title = "Sầu riêng Musang King"  # not yet
            db.session.commit()
        return real_ids(self, after, limit)

    monkeypatch.setattr(documents.DocumentSource, "visible_ids", visible_ids)
    assert pg.rebuild() == 6
    assert seen == [6]
    assert sorted(titles(pg.query(pg.SearchQuery(text="sau rieng")))) == ["Sầu riêng Musang King", "Sầu riêng Ri6"]
    assert pg.query(pg.SearchQuery(text="chom chom")).total == 4
    kept, real = _counts(db)
    assert kept == real



def test_rebuild_repairs_facet_counts_that_drifted(pg, db, make_listing):
    for n in range(3):
        make_listing(title=f"Gạo ST25 {n}")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE search_facet_counts SET n = n + 40"))
    assert pg.query(pg.SearchQuery()).total == 43
    pg.rebuild()
    kept, real = _counts(db)
    assert kept == real
    assert pg.query(pg.SearchQuery()).total == 3
