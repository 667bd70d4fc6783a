"""PostgreSQL full-text backend, for deployments where several app servers share one database.

`search_documents` holds one narrow row per visible listing: the folded words of all its fields with positions
(`doc_f`, GIN-indexed: what queries and phrases match), its title words exact and folded (`title_e`, `title_f`:
what ranks a match), and the filter and sort values. The vectors are built here in Python with the same analysis
the queries use (analysis.words + fold), so a word indexed is always a word that can be found.

Queries stay fast on common words by never scoring every match:
- Relevance is a ladder of tiers, as in the Whoosh backend: exact title words (+ phrase), folded title words
  (+ phrase), phrase anywhere, the rest; newest first inside a tier. Each tier is one query ordered by creation
  time with a LIMIT, which PostgreSQL answers by walking the `created` index for common words or a GIN bitmap for
  rare ones; tiers are read in order until the page is full.
- Facet counts come from one GROUP BY over the matching rows (a bitmap scan of a narrow table), or, for a search
  without words or price bounds, from `search_facet_counts`, which triggers keep equal to the documents' counts.

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

from marketplace.search.analysis import best_correction, fold, words

log = logging.getLogger(__name__)

#: first key of the (namespace, listing id) advisory locks that serialise writers of one listing
LOCK_NAMESPACE = 0x5EA2C4
#: listings per write transaction (bounds the advisory locks one transaction holds)
BATCH = 250
#: a word longer than this is not indexed (no Vietnamese word comes near it)
MAX_WORD = 60
#: tsvector limits: positions above 16383 are clamped, at most 256 positions per lexeme
MAX_POSITION, MAX_POSITIONS = 16383, 255
#: a tier with more matches than this is read by walking the ordering index, one with fewer through the GIN index
WALK_ABOVE = 2000
#: a last word with more completions than this is matched as a prefix, not as a list of words
MAX_COMPLETIONS = 24
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


def _terms(qwords: list[str], prefix_last: bool, min_prefix: int = 2) -> list[str]:
    # a word too long to be indexed can match nothing: '-' is a lexeme analysis never produces
    out = [f"'{w}'" if _indexable(w) else "'-'" for w in qwords]
    if prefix_last and out and len(fold(qwords[-1])) >= min_prefix:
        out[-1] += ":*"
    return out


def _tsquery(qwords: list[str], joiner: str, prefix_last: bool = True, min_prefix: int = 2) -> str:
    return joiner.join(_terms(qwords, prefix_last, min_prefix))


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

    # -- reads -------------------------------------------------------------------------------------------------------
    @staticmethod
    def _completions(conn, prefix: str) -> list[str] | None:
        """Indexed folded words that extend `prefix` (itself included when indexed); None when there are too many
        to list, and the query keeps PostgreSQL's prefix match (slower on a big index than a list of words)."""
        pattern = prefix.replace("_", r"\_") + "%"  # words are \w+: "_" is the only LIKE wildcard in them
        found = list(
            conn.scalars(
                text(
                    'SELECT DISTINCT folded COLLATE "C" FROM search_words WHERE folded COLLATE "C" LIKE :p'
                    f" LIMIT {MAX_COMPLETIONS + 1}"
                ),
                {"p": pattern},
            )
        )
        return found if len(found) <= MAX_COMPLETIONS else None

    def _match(self, conn, folded: list[str]) -> str:
        """The tsquery every match satisfies: all words, the last one as a prefix (search as you type)."""
        terms = _terms(folded, prefix_last=False)
        last = folded[-1]
        if len(last) >= 2 and _indexable(last):
            completions = self._completions(conn, last)
            if completions is None:
                terms[-1] = f"'{last}':*"
            else:
                terms[-1] = "(" + " | ".join(f"'{w}'" for w in sorted({last, *completions})) + ")"
        return " & ".join(terms)

    @staticmethod
    def _where(q, params: dict) -> str:
        clauses = ["d.doc_f @@ CAST(:m AS tsquery)"] if q.words else []
        if q.category_id:
            clauses.append("d.category_id = :category_id")
            params["category_id"] = q.category_id
        if q.province_code:
            clauses.append("d.province_code = :province_code")
            params["province_code"] = q.province_code
        if q.cert:
            clauses.append("d.certs LIKE :cert")
            params["cert"] = f"% {q.cert} %"
        if q.availability:
            clauses.append("d.availability = :availability")
            params["availability"] = q.availability
        if q.min_price is not None:
            clauses.append("d.price >= :min_price")
            params["min_price"] = q.min_price
        if q.max_price is not None:
            clauses.append("d.price <= :max_price")
            params["max_price"] = q.max_price
        return " AND ".join(clauses) or "TRUE"

    @staticmethod
    def _tiers(qwords: list[str], params: dict) -> list[str]:
        """Conditions splitting the matches into relevance tiers, best first (each match is in exactly one)."""
        params["e"] = _tsquery(qwords, " & ")
        exact, title = "d.title_e @@ CAST(:e AS tsquery)", "d.title_f @@ CAST(:m AS tsquery)"
        if len(qwords) == 1:
            return [exact, f"{title} AND NOT {exact}", f"NOT {title}"]
        params["p"] = _tsquery([fold(w) for w in qwords], " <-> ")
        phrase = "d.doc_f @@ CAST(:p AS tsquery)"
        return [
            f"{exact} AND {phrase}",
            f"{exact} AND NOT {phrase}",
            f"{title} AND NOT {exact} AND {phrase}",
            f"{title} AND NOT {exact} AND NOT {phrase}",
            f"NOT {title} AND {phrase}",
            f"NOT {title} AND NOT {phrase}",
        ]

    @staticmethod
    def _plan(conn, walk: bool) -> None:
        """Walk an ordering index (the first rows found in order are the answer: right when matches are common) or
        read the matches through the GIN index and sort them (right when they are few). The planner cannot tell:
        it takes words as independent ("loại" and "1" are not), and a text match as cheap to test row by row."""
        conn.execute(text(f"SET LOCAL enable_bitmapscan = {'off' if walk else 'on'}"))
        conn.execute(text(f"SET LOCAL enable_indexscan = {'on' if walk else 'off'}"))

    def search(self, q):
        from marketplace.search.api import BackendResult

        params: dict = {}
        need = q.page * q.per_page
        facets: dict[str, dict[str, int]] = {"category": {}, "province": {}, "cert": {}, "availability": {}}
        with self.engine.connect() as conn:
            conn.execute(text("SET LOCAL jit = off"))  # compiling a plan costs more than any search here
            relevance = q.sort not in ("price", "price_per_kg", "newest") and bool(q.words)
            if q.words:
                conn.execute(text("SET LOCAL enable_seqscan = off"))
                params["m"] = self._match(conn, [fold(w) for w in q.words])
            where = self._where(q, params)
            tiers = self._tiers(q.words, params) if relevance else ["TRUE"]
            # one pass over the matches counts them per facet combination and, for relevance, per tier
            if not q.words and q.min_price is None and q.max_price is None:
                counted = f"SELECT category_id, province_code, availability, certs, 0, n FROM search_facet_counts d WHERE {where}"
            else:
                tier = "0" if len(tiers) == 1 else "CASE " + " ".join(
                    f"WHEN {t} THEN {i}" for i, t in enumerate(tiers[:-1])) + f" ELSE {len(tiers) - 1} END"
                counted = (
                    f"SELECT d.category_id, d.province_code, d.availability, d.certs, {tier}, count(*)"
                    f" FROM search_documents d WHERE {where} GROUP BY 1, 2, 3, 4, 5"
                )
            sizes = [0] * len(tiers)
            for category_id, province_code, availability, certs, t, n in conn.execute(text(counted), params):
                if n <= 0:
                    continue
                sizes[t] += n
                for name, value in (("category", str(category_id)), ("province", str(province_code)),
                                    ("availability", availability), *(("cert", c) for c in certs.split())):
                    facets[name][value] = facets[name].get(value, 0) + n
            total = sum(sizes)
            order = f"d.{q.sort}, d.listing_id" if q.sort in ("price", "price_per_kg") else (
                "d.created DESC, d.listing_id DESC")
            ids: list[int] = []
            for t, size in zip(tiers, sizes):
                if len(ids) >= need:
                    break
                if not size:
                    continue
                if q.words:
                    self._plan(conn, walk=size > WALK_ABOVE)
                params["limit"] = need - len(ids)
                ids += conn.scalars(
                    text(f"SELECT d.listing_id FROM search_documents d WHERE {where} AND {t} ORDER BY {order}"
                         " LIMIT :limit"),
                    params,
                )
        return BackendResult(ids=ids[(q.page - 1) * q.per_page :], total=total, facets=facets)

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
