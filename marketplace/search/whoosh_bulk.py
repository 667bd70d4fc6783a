"""A writer that fills a new, empty Whoosh index in one go, for `flask search rebuild`.

Whoosh's SegmentWriter is made for any number of documents in bounded memory: every field value goes through its
analyzer's token objects, every posting through an external merge sort (pickled to temporary run files), and at the
commit each posting's field length is looked up again, with a filesystem stat per posting. A rebuild into an empty
index needs none of that: one segment's postings fit in memory (about 200 MB for 100,000 listings) as arrays per term,
already in document order, and each document's field lengths are known when it is added. Words are cut by plain
functions equal to the schema's analyzers (analysis.exact_terms and co.); a field whose analyzer has none goes through
Whoosh's own `field.index`.

The segment is written by Whoosh's codec through the calls SegmentWriter makes, so the result is an ordinary Whoosh
index holding the postings, weights, lengths, columns and stored fields SegmentWriter would have written for the same
documents (tests/test_search_whoosh.py compares the two).
"""

from __future__ import annotations

from array import array
from collections import Counter
from operator import itemgetter

from whoosh.analysis import IDTokenizer, KeywordAnalyzer
from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter
from whoosh.fields import FieldType
from whoosh.formats import Existence, Frequency
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from marketplace.search.analysis import exact_analyzer, exact_terms, folded_analyzer, folded_terms, keyword_terms

#: analyzers with a plain-function equivalent (same terms, same order); compared by value with a field's analyzer
FAST_ANALYZERS = [
    (exact_analyzer, exact_terms),
    (folded_analyzer, folded_terms),
    (KeywordAnalyzer(), keyword_terms),
    (IDTokenizer(), lambda value: [value]),
]

#: field length byte → the length Whoosh hands the postings writer (0 where the document has no length)
_LENGTHS = [0] + [byte_to_length(b) for b in range(1, 256)]


class BulkWriter(SegmentWriter):
    """Adds documents to an empty index and writes them as one segment at the commit.

    Only `add_document` (the index is new: nothing to delete or update), of fields whose format is Existence or
    Frequency (ID, KEYWORD, NUMERIC, TEXT without phrases), without term vectors. Takes Whoosh's index lock like any
    writer; raises ValueError on an index that already has documents."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        if self.segments:
            self.cancel()
            raise ValueError("BulkWriter only fills an empty index")
        #: field name → (field, tokenizer or None for field.index, keeps frequencies)
        self._plans: dict[str, tuple] = {}
        #: field name → term (str from a tokenizer, bytes from field.index) → document numbers
        self._postings: dict[str, _DocLists] = {}
        #: field name → term → {document number: frequency} where a document has the term more than once
        self._freqs: dict[str, dict[str | bytes, dict[int, int]]] = {}
        #: scorable field name → length byte of each document
        self._lengths: dict[str, array] = {}
        for name, field in self.schema.items():
            if not field.indexed:
                continue
            if field.vector or field.separate_spelling() or type(field.format) not in (Existence, Frequency):
                self.cancel()
                raise ValueError(f"BulkWriter cannot index field {name!r} ({field!r})")
            tokenize = None
            if type(field).index is FieldType.index:  # the value is cut by the analyzer (not so for numbers, dates)
                tokenize = next((fn for analyzer, fn in FAST_ANALYZERS if field.analyzer == analyzer), None)
            self._plans[name] = (field, tokenize, type(field.format) is Frequency)
            self._postings[name] = _DocLists()
            self._freqs[name] = {}
            if field.scorable:
                self._lengths[name] = array("B")

    def add_document(self, **fields) -> None:
        self._check_state()
        names = sorted(fields)
        if any(n.startswith("_") for n in names):
            raise ValueError("BulkWriter takes no boosts or custom stored values")
        self._check_fields(self.schema, names)
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for lengths in self._lengths.values():
            lengths.append(0)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = self.schema[name]
            length = self._index(name, value, docnum) if field.indexed else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1
        self._added = True

    def _index(self, name: str, value, docnum: int) -> int:
        """Add one field value's postings; returns the length Whoosh records for it (0 when not scorable)."""
        field, tokenize, frequencies = self._plans[name]
        if tokenize is not None:
            words = tokenize(value)
            found = Counter(words).items() if frequencies else [(w, 1) for w in set(words)]
        else:
            found = []
            boost = field.format.field_boost
            for tbytes, freq, weight, vbytes in field.index(value):
                if (weight, vbytes) != ((freq * boost, pack_uint(freq)) if frequencies else (boost, emptybytes)):
                    raise ValueError(f"field {name!r} gives postings BulkWriter does not store: {weight!r}, {vbytes!r}")
                found.append((tbytes, freq))
        docs = self._postings[name]
        length = 0
        for term, freq in found:
            docs[term].append(docnum)
            if freq != 1:
                self._freqs[name].setdefault(term, {})[docnum] = freq
            length += freq
        if not field.scorable:
            return 0
        self._lengths[name][docnum] = length_to_byte(length)
        return length

    def _flush_segment(self) -> None:
        """Write the postings, field by field and term by term in byte order, as SegmentWriter's commit does."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        packed = [pack_uint(n) for n in range(256)]
        for name in sorted(self._postings):
            terms = self._postings.pop(name)
            if not terms:
                continue
            field, _tokenize, frequencies = self._plans[name]
            counts = self._freqs.pop(name)
            boost = field.format.field_boost
            lengths = self._lengths.get(name)
            if lengths is not None and not any(lengths):
                lengths = None  # no document has a length: Whoosh hands the postings writer 0 for each
            writer.start_field(name, field)
            encoded = sorted(((t.encode("utf-8") if isinstance(t, str) else t, t) for t in terms), key=itemgetter(0))
            for tbytes, term in encoded:
                docs = terms.pop(term)
                if term in counts:  # some documents have it more than once
                    freqs = [counts[term].get(d, 1) for d in docs]
                    weights = [f * boost for f in freqs]
                    values = [packed[f] if f < 256 else pack_uint(f) for f in freqs]
                else:
                    weights = [boost] * len(docs)
                    values = [packed[1]] * len(docs) if frequencies else None
                doc_lengths = [_LENGTHS[lengths[d]] for d in docs] if lengths is not None else None
                writer.start_term(tbytes)
                _add_postings(writer, docs, weights, values, doc_lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()


class _DocLists(dict):
    """term → array of document numbers, created on first use."""

    __slots__ = ()

    def __missing__(self, term):
        docs = self[term] = array("I")
        return docs


def _add_postings(writer, docs: array, weights: list, values: list | None, lengths: list | None) -> None:
    """Hand one term's postings to the field writer, a block at a time where it is Whoosh's W3 writer.

    W3PostingsWriter.add_posting buffers one posting per call (about a microsecond each, 11 million calls for
    100,000 listings); this fills its block buffer and statistics directly, exactly as those calls would: blocks of
    `_blocklimit` postings, each written when the next posting arrives, the last left for finish_postings. Those
    attributes are Whoosh 2.7.4's (the pinned, final release); any other writer gets one add() per posting."""
    postwriter = getattr(writer, "_postwriter", None)
    if type(writer) is not W3FieldWriter or type(postwriter) is not W3PostingsWriter:
        for n, doc in enumerate(docs):
            writer.add(doc, weights[n], values[n] if values else emptybytes, lengths[n] if lengths else 0)
        return
    limit = postwriter._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            postwriter._write_block()
        end = start + limit
        postwriter._ids = docs[start:end]
        postwriter._weights = array("f", weights[start:end])
        postwriter._values = values[start:end] if values else []
        postwriter._maxweight = max(0, *weights[start:end])
        known = [n for n in lengths[start:end] if n] if lengths else None
        postwriter._minlength = min(known) if known else None
        postwriter._maxlength = max(known) if known else 0
