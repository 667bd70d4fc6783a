"""Vietnamese text analysis shared by both backends: NFC, lower case, diacritic folding (đ → d), highlighting.

Whoosh's `CharsetFilter(accent_map)` folds NFC Vietnamese correctly but mangles decomposed (NFD) text, so every
text is NFC-normalised before it reaches an analyzer, at index time and at query time.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

from markupsafe import Markup, escape
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.support.charset import accent_map

#: words: letters and digits (Vietnamese letters are \w in Python's re)
WORD = re.compile(r"\w+", re.UNICODE)

#: exact forms: lower-cased NFC words, diacritics kept
exact_analyzer = RegexTokenizer(r"\w+") | LowercaseFilter()
#: folded forms: diacritics removed, đ → d
folded_analyzer = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def normalize(text: str) -> str:
    """NFC and lower case: the exact form of a text."""
    return unicodedata.normalize("NFC", text or "").lower()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics (`Đắk Lắk` → `dak lak`), the form queries without diacritics match."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_FOLD_TABLE))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).lower()


def words(text: str) -> list[str]:
    """Exact (NFC, lower-cased) words of a text, in order."""
    return WORD.findall(normalize(text))


def has_diacritics(word: str) -> bool:
    return fold(word) != normalize(word)


def highlight(text: str, query_words: list[str], prefix_last: bool = False) -> Markup:
    """`text` escaped, with the words matching the query (with or without diacritics) wrapped in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    folded = {fold(w) for w in query_words}
    last = fold(query_words[-1]) if (prefix_last and query_words) else None
    out: list[str] = []
    pos = 0
    for m in WORD.finditer(text):
        f = fold(m.group())
        if f in folded or (last and len(last) >= 2 and f.startswith(last)):
            out.append(str(escape(text[pos : m.start()])))
            out.append(f"<mark>{escape(m.group())}</mark>")
            pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def snippet(text: str, query_words: list[str], width: int = 160) -> Markup:
    """A window of `text` around the first matching word, highlighted; the start of the text if none matches."""
    text = unicodedata.normalize("NFC", text or "")
    folded = {fold(w) for w in query_words}
    start = 0
    for m in WORD.finditer(text):
        if fold(m.group()) in folded:
            start = max(0, m.start() - width // 3)
            break
    piece = text[start : start + width]
    if start > 0:
        piece = "…" + piece.split(" ", 1)[-1]
    if start + width < len(text):
        piece = piece.rsplit(" ", 1)[0] + "…"
    return highlight(piece, query_words)
