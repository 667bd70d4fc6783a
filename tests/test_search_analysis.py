"""Vietnamese folding, highlighting and edit distance (no database)."""

import unicodedata

import pytest
from whoosh.analysis import KeywordAnalyzer

from marketplace.search.analysis import (
    edit_distance,
    exact_analyzer,
    exact_terms,
    fold,
    folded_analyzer,
    folded_terms,
    highlight,
    keyword_terms,
    normalize,
    snippet,
)

#: texts where a careless shortcut (lower-casing before cutting, splitting on any white space) would cut differently
AWKWARD_TEXTS = [
    "Cà phê Robusta rang mộc Buôn Ma Thuột, hàng tuyển. Đắk Lắk . coffee & tea",
    unicodedata.normalize("NFD", "Xoài cát Hòa Lộc loại 1"),
    "İstanbul KAFFEESTRAẞE Ǆemal ﬁsh ½kg x²",
    "gạo_st25 ST-25 5kg/bao 12.000đ 100%  tab\there\nnew\u00a0nbsp\u2003em\x0bvt",
    "Æbleskiver Øre Œuvre ßü ĐẠI",
    "",
    "   ",
    "ca_phe phe_robusta ca_phe  vietgap\u3000organic",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_plain_term_functions_cut_exactly_like_the_whoosh_analyzers(text):
    assert exact_terms(text) == [t.text for t in exact_analyzer(text)]
    assert folded_terms(text) == [t.text for t in folded_analyzer(text)]
    assert folded_terms(text) == [t.text for t in folded_analyzer(text)]  # again, from the remembered foldings
    assert keyword_terms(text) == [t.text for t in KeywordAnalyzer()(text)]


def test_fold_removes_tones_and_marks_and_maps_d():
    assert fold("Đắk Lắk XOÀI cát Hòa Lộc đường") == "dak lak xoai cat hoa loc duong"


def test_fold_handles_decomposed_text_like_composed_text():
    nfd = unicodedata.normalize("NFD", "Buôn Ma Thuột")
    assert fold(nfd) == "buon ma thuot"
    assert normalize(nfd) == "buôn ma thuột"


def test_whoosh_folded_analyzer_agrees_with_fold_on_nfc_text():
    text = "Vải thiều Lục Ngạn, đặc sản Bắc Giang"
    assert [t.text for t in folded_analyzer(text)] == fold(text).replace(",", "").split()


def test_highlight_marks_words_matching_with_or_without_diacritics_and_escapes_html():
    assert str(highlight("Xoài <b>cát</b>", ["xoai"])) == "<mark>Xoài</mark> &lt;b&gt;cát&lt;/b&gt;"
    assert str(highlight("Hòa Lộc", ["hoa", "lo"], prefix_last=True)) == "<mark>Hòa</mark> <mark>Lộc</mark>"


def test_snippet_centres_on_the_first_match():
    text = "Mở đầu dài dòng " * 20 + "cà phê Buôn Ma Thuột rang mộc" + " kết thúc" * 20
    assert "<mark>phê</mark>" in str(snippet(text, ["phe"]))
    assert str(snippet(text, ["phe"])).startswith("…")


def test_edit_distance_counts_a_swap_of_neighbours_as_one():
    assert edit_distance("xaoi", "xoai") == 1
    assert edit_distance("xaoi", "moi") == 2
    assert edit_distance("", "abc") == 3
