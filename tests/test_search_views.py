"""The search page and the autocomplete endpoint, as a buyer's phone sees them."""

from __future__ import annotations

import pytest


def test_every_page_has_a_search_box_that_works_without_javascript(client, app):
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'method="get"' in html and 'name="q"' in html
    assert 'for="site-search"' in html  # labelled input


def test_results_page_keeps_the_query_in_the_url_and_highlights_matches(search, client, produce):
    response = client.get("/search?q=xoai+cat")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>Xoài</mark> <mark>cát</mark> Hòa Lộc" in html
    assert 'value="xoai cat"' in html  # the box shows the query; the URL is shareable as it is


def test_facet_links_filter_and_can_be_removed(search, client, produce):
    fruit = produce["mango"].category_id
    html = client.get("/search?q=xoai").get_data(as_text=True)
    assert f"category={fruit}" in html
    html = client.get(f"/search?q=xoai&category={fruit}").get_data(as_text=True)
    assert 'aria-current="true"' in html
    assert "Xoài keo" in html and "Cà phê" not in html.split("<main")[1].split("Filter")[0]


def test_empty_results_suggest_categories_and_a_correction(search, client, produce):
    html = client.get("/search?q=xaoi").get_data(as_text=True)
    assert "xoài" in html and "q=xo%C3%A0i" in html  # did you mean, as a link
    assert "/c/ca-phe" in html


@pytest.mark.parametrize("args", [
    "page=abc", "page=999999999", "min_price=abc&max_price=-5", "sort=drop+table", "category=99999999999999",
    "cert=nope&availability=maybe", "q=" + "a" * 5000, "q=%27%22%3C%3E%26%7C%21%3A*()",
])
def test_malformed_arguments_never_break_the_page(search, client, produce, args):
    assert client.get(f"/search?{args}").status_code == 200


def test_pagination_links_keep_the_query(search, client, app, make_listing):
    app.config["PAGE_SIZE"] = 2
    try:
        for n in range(5):
            make_listing(title=f"Chanh dây {n}")
        html = client.get("/search?q=chanh").get_data(as_text=True)
        assert "page=2" in html and "q=chanh" in html
        assert client.get("/search?q=chanh&page=3").status_code == 200
    finally:
        app.config["PAGE_SIZE"] = 24


def test_suggest_returns_json_for_autocomplete(search, client, produce):
    response = client.get("/search/suggest?q=vai")
    assert response.status_code == 200
    assert "Vải thiều Lục Ngạn" in response.get_json()["suggestions"]
    assert client.get("/search/suggest?q=").get_json()["suggestions"] == []


def test_price_accepts_vietnamese_formatting(search, client, produce):
    html = client.get("/search?q=&min_price=50.000%C4%91&max_price=60.000").get_data(as_text=True)
    assert "Vải thiều" in html and "Xoài cát" not in html
