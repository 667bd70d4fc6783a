"""PostgreSQL full-text backend, for deployments where several app servers share one database.

`search_documents` holds one narrow row per visible listing: the folded words of all its fields with positions
(`doc_f`, GIN-indexed: what queries and phrases match), its title words exact and folded (`title_e`, `title_f`:
what ranks a match), and the filter and sort values. The vectors are built here in Python with the same analysis
the queries use (analysis.words + fold), so a word indexed is always a word that can be found.

Relevance is a ladder of tiers, as in the Whoosh backend: exact title words (+ phrase), folded title words
(+ phrase), phrase anywhere, the rest; newest first inside a tier. Reads are in postgres_query.py: bounded at a
million listings (a common word's total is shown as "more than 1,000"); facet counts of a search without words or
price bounds come from `search_facet_counts`, which triggers keep equal to the documents' counts.

Writers take a transaction-level advisory lock per listing and read the listing under it, so two workers syncing
one listing cannot write an older state last. "Did you mean" uses `search_words` (edit distance, pg_trgm).
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy import exc, text

from marketplace.search import postgres_query
from marketplace.search.analysis import best_correction, fold, words
from marketplace.search.postgres_query import tsquery as _tsquery

log = logging.getLogger(__name__)

#: first key of the (namespace, listing id) advisory locks that serialise writers of one listing
LOCK_NAMESPACE = 0x5EA2C4
#: listings per write transaction (bounds the advisory locks one transaction holds)
BATCH = 250
#: a word longer than this is not indexed (no Vietnamese word comes near it)
MAX_WORD = 60
#: tsvector limits: positions above 16383 are clamped, at most 256 positions per lexeme
MAX_POSITION, MAX_POSITIONS = 16383, 255
#: a deadlock (counts rows, locked by statements of two writers in different orders) is retried
RETRIES = 5

_UPSERT = text(
    """
    INSERT INTO search_documents
      (listing_id, title_e, title_f, doc_f, category_id, province_code, certs, availability, price, price_per_kg,
       created)
    VALUES (:id, CAST(:title_e AS tsvector), CAST(:title_f AS tsvector), CAST(:doc_f AS tsvector), :category_id,
      :province_code, :certs, :availability, :price, :price_per_kg, :created)
    ON CONFLICT (listing_id) DO UPDATE SET
      title_e = EXCLUDED.title_e, title_f = EXCLUDED.title_f, doc_f = EXCLUDED.doc_f,
      category_id = EXCLUDED.category_id, province_code = EXCLUDED.province_code, certs = EXCLUDED.certs,
      availability = EXCLUDED.availability, price = EXCLUDED.price, price_per_kg = EXCLUDED.price_per_kg,
      created = EXCLUDED.created
    WHERE (search_documents.title_e, search_documents.title_f, search_documents.doc_f, search_documents.category_id,
           search_documents.province_code, search_documents.certs, search_documents.availability,
           search_documents.price, search_documents.price_per_kg, search_documents.created)
      IS DISTINCT FROM (EXCLUDED.title_e, EXCLUDED.title_f, EXCLUDED.doc_f, EXCLUDED.category_id,
           EXCLUDED.province_code, EXCLUDED.certs, EXCLUDED.availability, EXCLUDED.price, EXCLUDED.price_per_kg,
           EXCLUDED.created)
    """
)
_WORDS = text(
    """
    INSERT INTO search_words (word, folded, hits)
    SELECT w, f, n FROM unnest(CAST(:words AS text[]), CAST(:folded AS text[]), CAST(:hits AS int[])) AS t(w, f, n)
    ORDER BY w
    ON CONFLICT (word) DO UPDATE SET hits = search_words.hits + EXCLUDED.hits
    """
)
_FACETS = "category_id, province_code, availability, certs"
_LOCK = text(
    "SELECT count(pg_advisory_xact_lock(:ns, id)) FROM (SELECT unnest(CAST(:ids AS int[])) AS id ORDER BY 1) ids"
)


# -- analysis into tsvector / tsquery literals (words are \w+: never a quote, backslash or space) ------------------
def _indexable(word: str) -> bool:
    return 0 < len(word) <= MAX_WORD


def lexemes(text_: str, folded: bool) -> str:
    """A tsvector literal of the distinct words of `text_` (exact or folded), without positions."""
    ws = {fold(w) if folded else w for w in words(text_)}
    return " ".join(f"'{w}'" for w in sorted(ws) if _indexable(w))


def positioned(parts: Iterable[str]) -> str:
    """A tsvector literal of the folded words of `parts` with their positions; a gap of one position between parts
    keeps a phrase from spanning two fields."""
    where: dict[str, list[int]] = {}
    pos = 1
    for part in parts:
        for w in words(part):
            f = fold(w)
            if _indexable(f):
                seen = where.setdefault(f, [])
                if len(seen) < MAX_POSITIONS and (not seen or seen[-1] < MAX_POSITION):
                    seen.append(min(pos, MAX_POSITION))
            pos += 1
        pos += 1
    return " ".join(f"'{w}':{','.join(map(str, p))}" for w, p in sorted(where.items()))


class PostgresBackend:
    def __init__(self, engine) -> None:
        self.engine = engine

    # -- writes ------------------------------------------------------------------------------------------------------
    @staticmethod
    def _params(doc) -> dict:
        return {
            "id": doc.id,
            "title_e": lexemes(doc.title, folded=False),
            "title_f": lexemes(doc.title, folded=True),
            "doc_f": positioned([doc.title, *doc.body_parts]),
            "category_id": doc.category_id,
            "province_code": doc.province_code,
            "certs": " " + " ".join(doc.certs) + " ",
            "availability": doc.availability,
            "price": doc.price,
            "price_per_kg": doc.price_per_kg,
            "created": doc.created,
        }

    @staticmethod
    def _vocabulary(docs: Iterable) -> Counter:
        """Every searched word (exact form), counted once per document: corrections and completions come from it."""
        seen: Counter = Counter()
        for d in docs:
            seen.update({w for part in (d.title, *d.body_parts) for w in words(part) if _indexable(w)})
        return seen

    @staticmethod
    def _add_words(conn, vocabulary: Counter) -> None:
        if vocabulary:
            ws = sorted(vocabulary)
            conn.execute(_WORDS, {"words": ws, "folded": [fold(w) for w in ws], "hits": [vocabulary[w] for w in ws]})

    def _write(self, conn, docs: list, remove_ids: list[int], count_words: bool = True) -> None:
        if remove_ids:
            conn.execute(text("DELETE FROM search_documents WHERE listing_id = ANY(:ids)"), {"ids": remove_ids})
        if docs:
            conn.execute(_UPSERT, [self._params(d) for d in sorted(docs, key=lambda d: d.id)])
            if count_words:
                self._add_words(conn, self._vocabulary(docs))

    def _locked(self, ids: list[int], work: Callable) -> None:
        """Run `work(conn)` in one transaction holding the advisory locks of `ids`; retried after a deadlock."""
        for attempt in range(RETRIES):
            try:
                with self.engine.begin() as conn:
                    conn.execute(_LOCK, {"ns": LOCK_NAMESPACE, "ids": sorted(ids)})
                    work(conn)
                return
            except exc.DBAPIError as e:
                state = getattr(e.orig, "sqlstate", None) or getattr(e.orig, "pgcode", None)
                if state not in ("40P01", "40001") or attempt == RETRIES - 1:
                    raise
                log.info("search write retried after %s", state)
                time.sleep(0.01 * (attempt + 1) + random.random() * 0.02)

    def _refresh(self, conn, ids: list[int], source, count_words: bool = True) -> list:
        """Read these listings (their locks held) and write them: the visible ones indexed, the others deleted.
        Returns the documents written."""
        docs = [d for d in source.load(ids).values() if d.visible]
        self._write(conn, docs, sorted(set(ids) - {d.id for d in docs}), count_words)
        return docs

    def sync(self, ids: list[int], source) -> None:
        """Re-read these listings under their locks; index the visible ones, delete the others."""
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            self._locked(chunk, lambda conn, chunk=chunk: self._refresh(conn, chunk, source))

    def remove(self, ids: list[int]) -> None:
        for start in range(0, len(ids), BATCH):
            chunk = sorted(ids[start : start + BATCH])
            self._locked(chunk, lambda conn, chunk=chunk: self._write(conn, [], chunk))

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("TRUNCATE search_documents, search_facet_counts, search_words"))

    def rebuild(self, source, progress=None) -> int:
        """Rewrite every row from the database, a batch of listing ids per transaction, in place: searches keep
        finding every listing meanwhile (each row is the old or the new version of its listing), and a batch holds
        its listings' locks while it reads them, so an edit made meanwhile is never overwritten by older data.
        Rows of listings no longer searchable are deleted; the vocabulary is replaced at the end."""
        count, last = 0, 0
        vocabulary: Counter = Counter()
        while True:
            ids = source.visible_ids(last, BATCH)
            upper = ids[-1] if len(ids) == BATCH else None
            written: list = []

            def work(conn, ids=ids, upper=upper, last=last, written=written):
                stale = conn.scalars(
                    text(
                        "SELECT listing_id FROM search_documents WHERE listing_id > :last"
                        " AND (CAST(:upper AS int) IS NULL OR listing_id <= :upper)"
                    ),
                    {"last": last, "upper": upper},
                )
                batch = sorted(set(ids) | set(stale))
                conn.execute(_LOCK, {"ns": LOCK_NAMESPACE, "ids": batch})
                written[:] = self._refresh(conn, batch, source, count_words=False)

            self._locked([], work)
            count += len(written)
            vocabulary.update(self._vocabulary(written))
            if progress and written:
                progress(len(written))
            if upper is None:
                break
            last = upper
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM search_words"))
            self._add_words(conn, vocabulary)
        with self.engine.begin() as conn:
            # recount from the rows, so counts that drifted (a hand-edited table) are repaired; writers wait for the
            # lock, then add their change on top of the new counts
            conn.execute(text("LOCK TABLE search_facet_counts IN EXCLUSIVE MODE"))
            conn.execute(text("DELETE FROM search_facet_counts"))
            conn.execute(text(f"INSERT INTO search_facet_counts ({_FACETS}, n)"
                              f" SELECT {_FACETS}, count(*) FROM search_documents GROUP BY {_FACETS}"))
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # old row versions out of the way and fresh statistics, as autovacuum would do some minutes later
            conn.execute(text("VACUUM (ANALYZE) search_documents, search_facet_counts, search_words"))
        return count

    def check(self) -> dict:
        """The tables answer (readiness probe); no count of a million rows."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM search_documents LIMIT 1")).all()
        return {}

    # -- reads -------------------------------------------------------------------------------------------------------
    def search(self, q):
        """One page of ids with the total and facet counts, bounded at any catalogue size (postgres_query.py)."""
        from marketplace.search.api import BackendResult

        with self.engine.connect() as conn:
            out = postgres_query.search(conn, q)
        return BackendResult(ids=out.ids, total=out.total, facets=out.facets, exact=out.exact, too_deep=out.too_deep,
                             recent_only=out.recent_only)

    def did_you_mean(self, qwords: list[str]) -> str | None:
        """Unknown words replaced by the closest known word (edit distance ≤ 2), shown with its commonest spelling."""
        out, changed = [], False
        with self.engine.connect() as conn:
            for w in qwords:
                f = fold(w)
                if conn.scalar(text("SELECT 1 FROM search_words WHERE folded = :f LIMIT 1"), {"f": f}):
                    out.append(w)
                    continue
                rows = conn.execute(
                    text(
                        """
                        SELECT folded, sum(hits) FROM search_words
                        WHERE length(folded) BETWEEN length(:f) - 2 AND length(:f) + 2
                          AND levenshtein_less_equal(folded, :f, 2) <= 2
                        GROUP BY folded ORDER BY levenshtein(folded, :f), sum(hits) DESC LIMIT 500
                        """
                    ),
                    {"f": f},
                ).all()
                folded = best_correction(w, [(c, int(n)) for c, n in rows])
                best = None
                if folded:
                    best = conn.scalar(
                        text(
                            "SELECT word FROM search_words WHERE folded = :c"
                            " ORDER BY hits DESC, (word <> folded) DESC LIMIT 1"
                        ),
                        {"c": folded},
                    )
                out.append(best or w)
                changed = changed or bool(best)
        return " ".join(out) if changed else None

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles whose words start with the typed ones: exact spellings first, then newest."""
        qwords = words(prefix)
        if not qwords:
            return []
        min_prefix = 1 if len(qwords) > 1 else 2
        params = {
            "m": _tsquery([fold(w) for w in qwords], " & ", min_prefix=min_prefix),
            "e": _tsquery(qwords, " & ", min_prefix=min_prefix),
            "n": limit * 3,
        }
        title, exact = "d.title_f @@ CAST(:m AS tsquery)", "d.title_e @@ CAST(:e AS tsquery)"
        out: list[str] = []
        with self.engine.connect() as conn:
            for tier in (exact, f"{title} AND NOT {exact}"):
                for t in conn.scalars(
                    text(
                        "SELECT l.title FROM search_documents d JOIN listings l ON l.id = d.listing_id"
                        f" WHERE {tier} ORDER BY d.created DESC, d.listing_id DESC LIMIT :n"
                    ),
                    params,
                ):
                    if t not in out:
                        out.append(t)
                if len(out) >= limit:
                    break
        return out[:limit]
