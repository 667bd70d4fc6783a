"""PostgreSQL search at a national scale, shown on a small catalogue with the thresholds scaled down: a search with
a rare word is counted exactly; a very common one reads a bounded window, says "more than …", lists facet values
without counts, keeps the relevance tiers in order, and refuses pages deeper than it reads."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.fixtures.search import titles


@pytest.fixture
def small_scale(app, db, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the PostgreSQL search backend needs TEST_DATABASE_URL=postgresql://…")
    from marketplace.search import api, postgres_query

    for name, value in dict(WINDOW=20, RARE_UP_TO=10, CAP=5, MIN_HITS=4, MIN_GROUP_HITS=3).items():
        monkeypatch.setattr(postgres_query, name, value)
    monkeypatch.setattr(api, "COMMON_MAX_PAGE", postgres_query.COMMON_MAX_PAGE)
    app.config["SEARCH_BACKEND"] = "postgres"
    api.clear()
    yield api
    app.config["SEARCH_BACKEND"] = "whoosh"


@pytest.fixture
def market(make_household, make_listing, make_category):
    """40 coffees, alternately "Ca phe moc N" (the words as typed) and "Cà phê Robusta N", then 3 lychees."""
    coffee = make_category(slug="ca-phe", name_vi="Cà phê", name_en="Coffee")
    fruit = make_category(slug="trai-cay", name_vi="Trái cây", name_en="Fruit")
    bmt = make_household(name="Hộ Buôn Ma Thuột", ward_code=24133)
    south = make_household(name="Vườn Bà Sáu")
    for n in range(40):
        make_listing(bmt if n % 4 < 2 else south, category=coffee,
                     title=f"Ca phe moc {n}" if n % 2 else f"Cà phê Robusta {n}")
    for n in range(3):
        make_listing(south, category=fruit, title=f"Vải thiều {n}")
    return {"coffee": coffee.id}


def test_a_very_common_word_is_not_counted_but_labelled(small_scale, market, db):
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        found = small_scale.query(small_scale.SearchQuery(text="cà phê", per_page=5))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert found.exact is False and found.total == 5  # shown as "more than 5"
    assert found.facets["category"] == {str(market["coffee"]): None}  # values seen, no counts
    assert titles(found) == [f"Cà phê Robusta {n}" for n in (38, 36, 34, 32, 30)]  # exact words first, newest first
    counting_all = [s for s in statements if "GROUP BY" in s and "search_documents" in s and "LIMIT" not in s]
    assert counting_all == []


def test_tiers_stay_in_order_across_pages_and_deep_pages_are_refused(small_scale, market):
    pages = [small_scale.query(small_scale.SearchQuery(text="ca phe", per_page=10, page=p)) for p in range(1, 5)]
    found = [t for page in pages for t in titles(page)]
    typed = [f"Ca phe moc {n}" for n in range(39, 0, -2)]  # the words as typed: exact tier, newest first
    accented = [f"Cà phê Robusta {n}" for n in range(38, -1, -2)]
    assert found == typed + accented
    deep = small_scale.query(small_scale.SearchQuery(text="ca phe", per_page=10, page=6))
    assert deep.too_deep and deep.hits == [] and deep.exact is False


@pytest.mark.parametrize("scope", ["category", "province"])
def test_a_common_word_within_a_category_or_province_reads_the_window_of_that_scope(small_scale, market, scope):
    args = {"category_id": market["coffee"]} if scope == "category" else {"province_code": 1}
    found = small_scale.query(small_scale.SearchQuery(text="ca phe", per_page=5, **args))
    assert found.hits and all("Ca phe" in t or "Cà phê" in t for t in titles(found))
    if scope == "category":
        assert found.exact is False and found.total == 5


def test_a_common_word_sorted_by_price_is_sorted_among_the_newest_and_says_so(small_scale, market, client):
    found = small_scale.query(small_scale.SearchQuery(text="ca phe", sort="price", per_page=5))
    prices = [h.listing.price for h in found.hits]
    assert found.recent_only and prices == sorted(prices) and len(prices) == 5
    assert "Sắp xếp theo giá trong số các sản phẩm mới nhất" in client.get("/search?q=ca+phe&sort=price").get_data(
        as_text=True)


def test_a_rare_word_is_counted_exactly(small_scale, market):
    found = small_scale.query(small_scale.SearchQuery(text="vải"))
    assert found.exact and found.total == 3
    assert all(isinstance(n, int) for n in found.facets["category"].values())


def test_the_results_page_says_more_than_and_refuses_deep_pages(small_scale, market, client):
    body = client.get("/search?q=ca+phe").get_data(as_text=True)
    assert "Tìm thấy hơn 5 sản phẩm" in body
    assert "chỉ hiện" in client.get("/search?q=ca+phe&page=9").get_data(as_text=True)
