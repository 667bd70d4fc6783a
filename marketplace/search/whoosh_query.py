"""Fast query evaluation on a Whoosh reader with set algebra (Whoosh's own matchers loop in Python per document).

Posting lists become frozensets of document numbers, cached per searcher: a searcher is replaced whenever the index
changes, so a cache never outlives the index state it was read from (and is never shared between processes). It is
made of per-segment caches that the next searcher takes over, less the documents deleted meanwhile (SegmentCache),
so the first query after a write reads only the segment the write added.
Ranking is by tiers, best first, newest first within a tier:
    exact title words + phrase, exact title words, folded title words + phrase, folded title words,
    exact words anywhere + phrase, phrase anywhere, exact words anywhere, the rest.
"""

from __future__ import annotations

import heapq
from functools import reduce
from itertools import islice

from whoosh.reading import EmptyReader, TermNotFound

from marketplace.search.analysis import fold

MAX_CACHED_TERMS = 20_000
MAX_PREFIX_TERMS = 200


class SegmentCache:
    """One segment's posting sets, columns and column orders, in the segment's own document numbers.

    A segment's postings and columns never change; only its deletions grow (a write deletes the old version of a
    listing and adds the new one in a new small segment). `catch_up` takes the newly deleted documents out of what is
    cached, so a segment's cache outlives the searcher it was read from: after a write, the next searcher reuses the
    big segment's sets, columns and orders, and only reads the new small segment from scratch."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self.deleted = frozenset(reader.segment().deleted_docs())
        self._terms: dict[tuple[str, str], frozenset] = {}
        self._prefixes: dict[tuple[str, str], list[bytes]] = {}
        self._lexicons: dict[str, list[bytes]] = {}
        self._columns: dict[str, list] = {}
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._live: frozenset | None = None

    def catch_up(self, reader) -> bool:
        """Read on through `reader`, a newer reader of this segment; False if its deletions did not only grow (the
        cache is then of no use)."""
        deleted = frozenset(reader.segment().deleted_docs())
        if not self.deleted <= deleted:
            return False
        gone = deleted - self.deleted
        if gone:
            for key, docs in self._terms.items():
                if not docs.isdisjoint(gone):
                    self._terms[key] = docs - gone
            if self._live is not None:
                self._live = self._live - gone
        self.reader, self.deleted = reader, deleted
        return True

    def term(self, field: str, text: str) -> frozenset:
        key = (field, text)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) > MAX_CACHED_TERMS:
                self._terms.clear()
            try:
                found = frozenset(self.reader.postings(field, text).all_ids())
            except TermNotFound:
                found = frozenset()
            self._terms[key] = found
        return found

    def prefix_terms(self, field: str, prefix: str) -> list[bytes]:
        """The first MAX_PREFIX_TERMS terms of `field` starting with `prefix`, in order."""
        key = (field, prefix)
        found = self._prefixes.get(key)
        if found is None:
            if len(self._prefixes) > MAX_CACHED_TERMS:
                self._prefixes.clear()
            found = self._prefixes[key] = list(islice(self.reader.expand_prefix(field, prefix), MAX_PREFIX_TERMS))
        return found

    def lexicon(self, field: str) -> list[bytes]:
        found = self._lexicons.get(field)
        if found is None:
            found = self._lexicons[field] = list(self.reader.lexicon(field))
        return found

    def column(self, field: str) -> list:
        found = self._columns.get(field)
        if found is None:
            found = self._columns[field] = list(self.reader.column_reader(field))
        return found

    def order(self, field: str, reverse: bool) -> list[int]:
        """Every document, deleted ones too, by (column value, document number), ascending or descending."""
        key = (field, reverse)
        found = self._orders.get(key)
        if found is None:
            # a stable sort of the numbers in the order wanted for ties
            docs = range(self.size - 1, -1, -1) if reverse else range(self.size)
            found = self._orders[key] = sorted(docs, key=self.column(field).__getitem__, reverse=reverse)
        return found

    def live(self) -> frozenset:
        if self._live is None:
            self._live = frozenset(range(self.size)) - self.deleted
        return self._live


def _shifted(docs, offset: int):
    return docs if offset == 0 else (d + offset for d in docs)


class PostingCache:
    """A searcher's posting sets (frozensets of its document numbers, live documents only) and columns, made of its
    segments' caches shifted by the segments' document offsets. Built for each new searcher, so it never outlives the
    index state it was read from; the segment caches it is made of are kept by the caller from searcher to searcher
    (per thread, never shared between processes)."""

    def __init__(self, searcher, segments: dict | None = None) -> None:
        """`segments`: the caller's segment id → SegmentCache, reused where the segment is still in the index and
        updated to hold exactly this searcher's segments."""
        self.searcher = searcher
        self.reader = searcher.reader()
        segments = {} if segments is None else segments
        self._parts: list[tuple[SegmentCache, int]] = []
        for reader, offset in self.reader.leaf_readers():
            if isinstance(reader, EmptyReader):  # an index without segments
                continue
            segment_id = reader.segment().segment_id()
            cache = segments.get(segment_id)
            if cache is None or not cache.catch_up(reader):
                cache = segments[segment_id] = SegmentCache(reader)
            self._parts.append((cache, offset))
        for segment_id in set(segments) - {c.reader.segment().segment_id() for c, _ in self._parts}:
            del segments[segment_id]
        self._terms: dict[tuple[str, str], frozenset] = {}
        self._columns: dict[str, list] = {}
        self._all: frozenset | None = None

    def _union(self, per_segment) -> frozenset:
        """One set from each segment's set (in segment order), in this searcher's document numbers."""
        found = [(docs, offset) for docs, (_cache, offset) in zip(per_segment, self._parts) if docs]
        if not found:
            return frozenset()
        if len(found) == 1 and found[0][1] == 0:
            return found[0][0]
        return frozenset().union(*(_shifted(docs, offset) for docs, offset in found))

    def term(self, field: str, text: str) -> frozenset:
        key = (field, text)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) > MAX_CACHED_TERMS:
                self._terms.clear()
            found = self._terms[key] = self._union([cache.term(field, text) for cache, _ in self._parts])
        return found

    def prefix(self, field: str, prefix: str) -> frozenset:
        key = (field, prefix + "*")
        found = self._terms.get(key)
        if found is None:
            terms = sorted(set().union(*(cache.prefix_terms(field, prefix) for cache, _ in self._parts)))
            texts = [t.decode("utf-8") for t in terms[:MAX_PREFIX_TERMS]]
            found = self._terms[key] = frozenset().union(*(self.term(field, t) for t in texts))
        return found

    def values(self, field: str) -> list[str]:
        key = ("#values", field)
        found = self._terms.get(key)
        if found is None:
            terms = sorted(set().union(*(cache.lexicon(field) for cache, _ in self._parts)))
            found = self._terms[key] = tuple(t.decode("utf-8") for t in terms)
        return list(found)

    def column(self, field: str) -> list:
        col = self._columns.get(field)
        if col is None:
            col = []
            for cache, _offset in self._parts:
                col += cache.column(field)
            self._columns[field] = col
        return col

    def order(self, field: str, reverse: bool):
        """Every document, deleted ones too, sorted by a numeric column (ties by document number): the segments'
        cached orders merged."""
        if len(self._parts) == 1:
            return self._parts[0][0].order(field, reverse)
        col = self.column(field)
        return heapq.merge(
            *(_shifted(cache.order(field, reverse), offset) for cache, offset in self._parts),
            key=lambda d: (col[d], d),
            reverse=reverse,
        )

    def first(self, docs: frozenset | set, need: int, field: str, reverse: bool) -> list[int]:
        """The first `need` of `docs` (live documents) in column order: walk the cached order when `docs` is dense,
        else a heap."""
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
            self._all = self._union([cache.live() for cache, _ in self._parts])
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
