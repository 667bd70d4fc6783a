"""Querying through the search interface, run once per backend (Whoosh always; PostgreSQL on PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.fixtures.search import titles


@pytest.mark.parametrize("text", ["xoai cat hoa loc", "xoài cát hòa lộc", "XOÀI CÁT", "Xoài cát Hòa Lộc"])
def test_query_with_or_without_diacritics_finds_the_hoa_loc_mango(search, produce, text):
    assert titles(search(text))[0] == "Xoài cát Hòa Lộc"


def test_decomposed_unicode_query_is_normalised(search, produce):
    import unicodedata

    assert "Xoài cát Hòa Lộc" in titles(search(unicodedata.normalize("NFD", "xoài cát")))


def test_uppercase_one_word_finds_every_mango(search, produce):
    assert set(titles(search("XOÀI"))) == {"Xoài cát Hòa Lộc", "Xoài keo"}


def test_d_and_dj_are_folded(search, produce):
    assert "Cà phê Robusta rang xay" in titles(search("dak lak"))
    assert "Cà phê Robusta rang xay" in titles(search("Đắk Lắk"))


def test_exact_diacritics_rank_first(search, produce):
    assert titles(search("bơ"))[0] == "Bơ sáp 034"
    assert titles(search("bò"))[0] == "Thịt bò tơ"


def test_demo_ca_phe_finds_coffee_and_vai_thieu_finds_lychees(search, produce):
    assert set(titles(search("ca phe"))) == {"Cà phê Robusta rang xay", "Cà phê Arabica Cầu Đất"}
    assert titles(search("vai thieu")) == ["Vải thiều Lục Ngạn"]


def test_place_name_matches_as_a_phrase_before_scattered_words(search, produce, make_listing):
    make_listing(title="Thuột mứt", description="Buôn bán sỉ, ma đưa giá tốt")  # the three words, not as a phrase
    for text in ("buôn ma thuột", "buon ma thuot"):
        found = titles(search(text))
        assert found[-1] == "Thuột mứt"
        assert set(found[:3]) == {"Cà phê Robusta rang xay", "Cà phê Arabica Cầu Đất", "Bơ sáp 034"}


def test_household_category_and_certification_are_searched(search, produce):
    assert "Vải thiều Lục Ngạn" in titles(search("nguyen van vai"))
    assert "Cà phê Arabica Cầu Đất" in titles(search("coffee"))
    assert titles(search("vietgap")) == ["Vải thiều Lục Ngạn"]


def test_misspelt_xaoi_suggests_xoai(search, produce):
    results = search("xaoi")
    assert results.total == 0
    assert results.did_you_mean == "xoài"


def test_known_words_get_no_did_you_mean(search, produce):
    assert search("xoài").did_you_mean is None


def test_prefix_of_last_word_matches_for_search_as_you_type(search, produce):
    assert "Xoài cát Hòa Lộc" in titles(search("xoài cát hoa lo"))


def test_only_active_listings_of_verified_households_are_found(search, db, make_household, make_listing):
    from marketplace.catalog.models import ListingStatus

    make_listing(make_household(verified=False), title="Sầu riêng chưa duyệt")
    make_listing(title="Sầu riêng tạm dừng", status=ListingStatus.PAUSED)
    make_listing(title="Sầu riêng Ri6")
    assert titles(search("sau rieng")) == ["Sầu riêng Ri6"]


def test_filters_narrow_results_and_facets_count_them(search, produce):
    fruit = produce["mango"].category_id
    results = search("", category_id=fruit)
    assert set(titles(results)) == {"Vải thiều Lục Ngạn", "Xoài cát Hòa Lộc", "Xoài keo", "Bơ sáp 034"}
    assert results.facets["category"] == {str(fruit): 4}
    everything = search("")
    assert everything.total == 7
    assert everything.facets["category"][str(produce["coffee"].category_id)] == 2
    assert everything.facets["cert"] == {"vietgap": 1}
    assert everything.facets["availability"] == {"in_stock": 6}
    assert titles(search("", cert="vietgap")) == ["Vải thiều Lục Ngạn"]
    assert titles(search("", province_code=produce["lychee"].province_code)) == ["Vải thiều Lục Ngạn"]
    assert set(titles(search("", min_price=50_000, max_price=90_000))) == {
        "Vải thiều Lục Ngạn", "Xoài cát Hòa Lộc", "Bơ sáp 034"}
    assert "Cà phê Arabica Cầu Đất" not in titles(search("ca phe", availability="in_stock"))


def test_sorts_by_price_price_per_kg_and_newest(search, produce):
    assert titles(search("xoai", sort="price")) == ["Xoài keo", "Xoài cát Hòa Lộc"]
    assert titles(search("", sort="price"))[0] == "Xoài keo"
    assert titles(search("", sort="price_per_kg"))[0] == "Xoài keo"
    assert titles(search("", sort="newest"))[0] == "Thịt bò tơ"


def test_pages_split_results(search, make_listing):
    for n in range(5):
        make_listing(title=f"Chuối tiêu {n}")
    first = search("chuoi", per_page=2, page=1)
    third = search("chuoi", per_page=2, page=3)
    assert first.total == 5 and first.pages == 3
    assert len(first.hits) == 2 and len(third.hits) == 1
    assert not {h.listing_id for h in first.hits} & {h.listing_id for h in third.hits}


def test_hits_highlight_matched_words_with_their_diacritics(search, produce):
    hit = search("xoai cat").hits[0]
    assert str(hit.title) == "<mark>Xoài</mark> <mark>cát</mark> Hòa Lộc"


def test_suggest_completes_titles_and_categories(search, produce):
    from marketplace.search import api

    assert "Xoài cát Hòa Lộc" in api.suggest("xoai c")
    assert "Cà phê" in api.suggest("ca p")
    assert api.suggest("x") == []


def test_did_you_mean_prefers_a_swapped_pair_over_a_commoner_word(search, produce, make_listing):
    for n in range(4):
        make_listing(title=f"Rau mới hái {n}", description="Hàng mới về mỗi sáng")
    assert search("xaoi").did_you_mean == "xoài"
    assert search("vai thieeu").did_you_mean == "vai thiều"
