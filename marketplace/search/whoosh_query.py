"""Fast query evaluation on a Whoosh reader with set algebra (Whoosh's own matchers loop in Python per document).

Posting lists become frozensets of document numbers, cached per searcher: a searcher is replaced whenever the index
changes, so a cache never outlives the index state it was read from (and is never shared between processes).
Ranking is by tiers, best first, newest first within a tier:
    exact title words + phrase, exact title words, folded title words + phrase, folded title words,
    exact words anywhere + phrase, phrase anywhere, exact words anywhere, the rest.
"""

from __future__ import annotations

import heapq
from functools import reduce

from whoosh.query import Term

from marketplace.search.analysis import fold

MAX_CACHED_TERMS = 20_000
MAX_PREFIX_TERMS = 200


class PostingCache:
    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self._terms: dict[tuple[str, str], frozenset] = {}
        self._columns: dict[str, list] = {}
        self._all: frozenset | None = None

    def term(self, field: str, text: str) -> frozenset:
        key = (field, text)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) > MAX_CACHED_TERMS:
                self._terms.clear()
            found = self._terms[key] = frozenset(self.searcher.docs_for_query(Term(field, text)))
        return found

    def prefix(self, field: str, prefix: str) -> frozenset:
        key = (field, prefix + "*")
        found = self._terms.get(key)
        if found is None:
            terms = []
            for term in self.reader.expand_prefix(field, prefix):
                terms.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(terms) >= MAX_PREFIX_TERMS:
                    break
            found = self._terms[key] = frozenset().union(*(self.term(field, t) for t in terms))
        return found

    def values(self, field: str) -> list[str]:
        key = ("#values", field)
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = tuple(
                t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.lexicon(field)
            )
        return list(found)

    def column(self, field: str) -> list:
        col = self._columns.get(field)
        if col is None:
            try:
                col = list(self.reader.column_reader(field))
            except NotImplementedError:  # an empty index has no columns
                col = []
            self._columns[field] = col
        return col

    def order(self, field: str, reverse: bool) -> list[int]:
        """Every live document sorted by a numeric column (ties by document number), cached."""
        key = (field, reverse)
        found = self._columns.get(key)
        if found is None:
            col = self.column(field)
            found = self._columns[key] = sorted(self.all_docs(), key=lambda d: (col[d], d), reverse=reverse)
        return found

    def first(self, docs: frozenset | set, need: int, field: str, reverse: bool) -> list[int]:
        """The first `need` of `docs` in column order: walk the cached order when `docs` is dense, else a heap."""
        if need <= 0 or not docs:
            return []
        if len(docs) * 50 >= len(self.all_docs()):
            out = []
            for d in self.order(field, reverse):
                if d in docs:
                    out.append(d)
                    if len(out) >= need:
                        break
            return out
        col = self.column(field)
        pick = heapq.nlargest if reverse else heapq.nsmallest
        return pick(need, docs, key=lambda d: (col[d], d))

    def all_docs(self) -> frozenset:
        if self._all is None:
            self._all = frozenset(self.reader.all_doc_ids())
        return self._all


def _all_of(sets: list[frozenset]) -> frozenset:
    if not sets:
        return frozenset()
    sets = sorted(sets, key=len)
    return reduce(lambda a, b: a & b, sets[1:], sets[0])


def pairs(folded_words: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(folded_words, folded_words[1:])]


def word_sets(
    c: PostingCache, qwords: list[str], fields: tuple[str, ...], prefix_last: bool, min_prefix: int = 2
) -> list[frozenset]:
    out = []
    for n, w in enumerate(qwords):
        f = fold(w)
        s = frozenset().union(*(c.term(field, f) for field in fields))
        if prefix_last and n == len(qwords) - 1 and len(f) >= min_prefix:
            s = s | c.prefix(fields[0], f)
            if len(f) >= 3:
                for field in fields[1:]:
                    s = s | c.prefix(field, f)
        out.append(s)
    return out


def tiers(c: PostingCache, qwords: list[str], matched: frozenset) -> list[frozenset]:
    """Subsets of `matched`, best first (see the module docstring)."""
    ex_title = _all_of([c.term("title", w) for w in qwords]) & matched
    f_title = _all_of(word_sets(c, qwords, ("title_f",), True)) & matched
    ex_any = _all_of([c.term("title", w) | c.term("body", w) for w in qwords]) & matched
    if len(qwords) > 1:
        phrase = _all_of([c.term("pairs", p) for p in pairs([fold(w) for w in qwords])]) & matched
        return [ex_title & phrase, ex_title, f_title & phrase, f_title, ex_any & phrase, phrase, ex_any, matched]
    return [ex_title, f_title, ex_any, matched]


def top(c: PostingCache, ordered: list[frozenset], need: int) -> list[int]:
    """The first `need` documents walking the tiers in order, newest first inside each tier."""
    out: list[int] = []
    taken: set[int] = set()
    for tier in ordered:
        fresh = tier - taken if taken else tier
        if not fresh:
            continue
        out.extend(c.first(fresh, need - len(out), "created", True))
        taken |= fresh
        if len(out) >= need:
            break
    return out[:need]


def run(c: PostingCache, q) -> tuple[list[int], int, dict[str, dict[str, int]]]:
    """(document numbers of the page, total, facet counts) for a SearchQuery."""
    qwords = q.words
    if qwords:
        matched = _all_of(word_sets(c, qwords, ("title_f", "body_f"), True))
    else:
        matched = c.all_docs()
    if q.category_id:
        matched = matched & c.term("category", str(q.category_id))
    if q.province_code:
        matched = matched & c.term("province", str(q.province_code))
    if q.cert:
        matched = matched & c.term("cert", q.cert)
    if q.availability:
        matched = matched & c.term("availability", q.availability)
    if q.min_price is not None or q.max_price is not None:
        price = c.column("price")
        lo = q.min_price if q.min_price is not None else 0
        hi = q.max_price if q.max_price is not None else 2**63
        matched = frozenset(d for d in matched if lo <= price[d] <= hi)
    everything = matched is c.all_docs()
    facets = {
        name: {v: n for v in c.values(name) if (n := len(c.term(name, v) if everything else matched & c.term(name, v)))}
        for name in ("category", "province", "cert", "availability")
    }
    need = q.page * q.per_page
    if q.sort in ("price", "price_per_kg"):
        docs = c.first(matched, need, q.sort, False)
    elif q.sort == "newest" or not qwords:
        docs = c.first(matched, need, "created", True)
    else:
        docs = top(c, tiers(c, qwords, matched), need)
    return docs[(q.page - 1) * q.per_page :], len(matched), facets


def suggest(c: PostingCache, qwords: list[str], limit: int) -> list[int]:
    matched = _all_of(word_sets(c, qwords, ("title_f",), True, min_prefix=1 if len(qwords) > 1 else 2))
    ex_title = _all_of([c.term("title", w) for w in qwords[:-1]] + [c.prefix("title", qwords[-1])]) & matched
    return top(c, [ex_title, matched], limit)
