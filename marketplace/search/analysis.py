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
#: what Whoosh's KeywordAnalyzer splits on (KEYWORD fields)
KEYWORD = re.compile(r"[^ \t\r\n]+")

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


def exact_terms(text: str) -> list[str]:
    """The terms `exact_analyzer` makes of `text`, in order, as plain strings (the analyzer's token objects cost about
    ten times more; a bulk index build calls this instead)."""
    return [w.lower() for w in WORD.findall(text)]


_folded_terms: dict[str, str] = {}


def folded_terms(text: str) -> list[str]:
    """The terms `folded_analyzer` makes of `text`, in order, as plain strings. A market's vocabulary is small, so
    the folding of each lower-cased word is remembered (up to 200,000 words)."""
    memo = _folded_terms
    out = []
    for w in WORD.findall(text):
        w = w.lower()
        f = memo.get(w)
        if f is None:
            if len(memo) >= 200_000:
                memo.clear()
            f = memo[w] = w.translate(accent_map)
        out.append(f)
    return out


def keyword_terms(text: str) -> list[str]:
    """The terms Whoosh's KeywordAnalyzer (KEYWORD fields) makes of `text`: runs of characters other than space, tab
    and line breaks."""
    return KEYWORD.findall(text)


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


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours (xaoi → xoai
    is one edit, the commonest typing slip)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def best_correction(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate (folded word, frequency) closest to the folded `word`: fewest edits, same length, same first
    letter, then the most frequent."""
    f = fold(word)
    ranked = sorted(
        (edit_distance(f, c), abs(len(c) - len(f)), c[:1] != f[:1], -n, c) for c, n in candidates if c != f
    )
    return ranked[0][-1] if ranked and ranked[0][0] <= 2 else None
