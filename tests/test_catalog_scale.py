"""The catalogue at a national scale: totals from counters the database keeps, never a count over every listing;
keyset pages that walk a list end to end in every order; deep page numbers refused with a way to narrow down."""

import re

import pytest
from sqlalchemy import event, func, select, text

from marketplace.catalog.models import ListingCount, ListingStatus
from marketplace.households.models import HouseholdStatus
from tests.fixtures.factories import SAIGON_WARD


def _kept_and_real(db):
    kept = {(c, p): n for c, p, n in db.session.execute(select(ListingCount.category_id, ListingCount.province_code,
                                                                 ListingCount.n)) if n}
    real = dict(((c, p), n) for c, p, n in db.session.execute(text(
        "SELECT l.category_id, l.province_code, count(*) FROM listings l JOIN households h ON h.id = l.household_id"
        " WHERE l.status = 'ACTIVE' AND h.status = 'VERIFIED' GROUP BY 1, 2")))
    return kept, real


def test_listing_counts_follow_every_kind_of_change(db, make_household, make_listing, make_category):
    fruit, rice = make_category(slug="trai-cay"), make_category(slug="gao")
    hanoi, saigon = make_household(), make_household(ward_code=SAIGON_WARD)
    a = make_listing(hanoi, category=fruit)
    b = make_listing(hanoi, category=rice)
    make_listing(saigon, category=fruit)
    make_listing(make_household(verified=False), category=fruit)  # not visible: not counted
    steps = [
        lambda: setattr(a, "status", ListingStatus.PAUSED),
        lambda: setattr(a, "status", ListingStatus.ACTIVE),
        lambda: setattr(b, "category_id", fruit.id),
        lambda: setattr(b, "province_code", 79),
        lambda: setattr(hanoi, "status", HouseholdStatus.SUSPENDED),
        lambda: setattr(b, "status", ListingStatus.DELETED),
        lambda: setattr(hanoi, "status", HouseholdStatus.VERIFIED),
        lambda: setattr(a, "stock", 0),  # no change to the counts
        lambda: db.session.delete(a),
    ]
    kept, real = _kept_and_real(db)
    assert kept == real and sum(real.values()) == 3
    for step in steps:
        if step.__code__.co_names[-1:] == ("delete",):
            db.session.execute(text("DELETE FROM listing_photos WHERE listing_id = :id"), {"id": a.id})
        step()
        db.session.commit()
        kept, real = _kept_and_real(db)
        assert kept == real
    assert sum(real.values()) == 1


def test_no_page_counts_over_every_listing(client, db, uncached, make_household, make_listing, make_category):
    fruit = make_category(slug="trai-cay")
    household = make_household()
    for _ in range(3):
        make_listing(household, category=fruit)
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for path in ("/", "/c/trai-cay", "/c/trai-cay?province=1", "/tinh", "/tinh/ha_noi", "/c/trai-cay?in_stock=1",
                     f"/h/{household.id}"):
            assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    counts = [s for s in statements if re.search(r"count\(", s, re.I) and re.search(r"\blistings\b|listing_counts", s)]
    assert counts, "the pages show totals"
    for s in counts:  # from the counters, or capped with a LIMIT
        assert "listing_counts" in s or "LIMIT" in s, s
    assert not any("row_number()" in s.lower() for s in statements)  # no window over every listing


@pytest.mark.parametrize("sort", ["newest", "price_asc", "price_desc", "price_per_kg", "rating"])
def test_next_and_previous_walk_a_long_list_end_to_end(client, app, db, make_household, make_listing, make_category,
                                                       sort):
    app.config["PAGE_SIZE"] = 2
    fruit = make_category(slug="trai-cay")
    household = make_household()
    made = [make_listing(household, category=fruit, title=f"Quả số {i}", price=10_000 + (i % 5) * 1000)
            for i in range(27)]
    for i, listing in enumerate(made[:6]):  # some rated, some ties
        listing.rating_avg, listing.rating_count = (4.5 if i % 2 else 3.0), i
    db.session.commit()
    try:
        seen, url, labels = [], f"/c/trai-cay?sort={sort}", []
        while url:
            body = client.get(url).get_data(as_text=True)
            seen += re.findall(r"<h3>(Quả số \d+)</h3>", body)
            labels += re.findall(r"<span>(?:Trang|Page) (\d+)", body)
            found = re.search(r'rel="next" href="([^"]+)"', body)
            url = found and found.group(1).replace("&amp;", "&")
        assert "before=" in url_last(body, "prev") and len(seen) == 27 and len(set(seen)) == 27
        assert labels == [str(n) for n in range(1, 15)]
        back, url = [], re.search(r'rel="prev" href="([^"]+)"', body).group(1).replace("&amp;", "&")
        while url:
            page = client.get(url).get_data(as_text=True)
            back = re.findall(r"<h3>(Quả số \d+)</h3>", page) + back
            found = re.search(r'rel="prev" href="([^"]+)"', page)
            url = found and found.group(1).replace("&amp;", "&")
        assert back == seen[:-1]  # the last page (one listing) was not walked back onto
    finally:
        app.config["PAGE_SIZE"] = 24


def url_last(body: str, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', body)
    return found.group(1) if found else ""


def test_a_deep_page_number_is_refused_with_a_way_to_narrow_down(client, make_listing, make_category):
    make_listing(category=make_category(slug="trai-cay"))
    body = client.get("/c/trai-cay?page=500").get_data(as_text=True)
    assert "quá sâu" in body and "bộ lọc" in body
    assert client.get("/c/trai-cay?page=2&after=not-a-cursor").status_code == 200


def test_a_filtered_total_is_capped_and_labelled(client, db, monkeypatch, make_household, make_listing,
                                                 make_category):
    from marketplace.catalog import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    fruit = make_category(slug="trai-cay")
    household = make_household()
    for _ in range(5):
        make_listing(household, category=fruit)
    assert "5 sản phẩm" in client.get("/c/trai-cay").get_data(as_text=True)  # from the counters: exact
    assert "Hơn 3 sản phẩm" in client.get("/c/trai-cay?in_stock=1").get_data(as_text=True)
    assert db.session.scalar(select(func.sum(ListingCount.n))) == 5
