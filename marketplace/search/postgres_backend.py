"""PostgreSQL full-text backend: folded tsvectors (search_fold = unaccent + lower) in `search_documents` with a GIN
index, exact tsvectors for ranking, `search_words` with pg_trgm/fuzzystrmatch for "did you mean".

The index lives in the shared database, so any number of app servers read and write it; writes run in their own
transaction right after the listing's transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import text

from marketplace.search.analysis import best_correction, fold, words

_UPSERT = text(
    """
    INSERT INTO search_documents
      (listing_id, title, tsv, tsv_f, category_id, province_code, certs, availability, price, price_per_kg, created)
    VALUES (:id, :title,
      setweight(to_tsvector('simple', lower(:title)), 'A') || setweight(to_tsvector('simple', :body), 'C'),
      setweight(to_tsvector('simple', search_fold(:title)), 'A') || setweight(to_tsvector('simple', search_fold(:body)), 'C'),
      :category_id, :province_code, :certs, :availability, :price, :price_per_kg, :created)
    ON CONFLICT (listing_id) DO UPDATE SET
      title = EXCLUDED.title, tsv = EXCLUDED.tsv, tsv_f = EXCLUDED.tsv_f, category_id = EXCLUDED.category_id,
      province_code = EXCLUDED.province_code, certs = EXCLUDED.certs, availability = EXCLUDED.availability,
      price = EXCLUDED.price, price_per_kg = EXCLUDED.price_per_kg, created = EXCLUDED.created
    """
)
_WORDS = text(
    """
    INSERT INTO search_words (word, folded, hits) SELECT w, search_fold(w), 1 FROM unnest(CAST(:words AS text[])) AS w
    ON CONFLICT (word) DO UPDATE SET hits = search_words.hits + 1
    """
)


def _tsquery(qwords: list[str], joiner: str = " & ", prefix_last: bool = False) -> str:
    """A to_tsquery() string from analysed words (only \\w characters, quoted anyway)."""
    parts = [f"'{w}'" for w in qwords]
    if prefix_last and parts and len(fold(qwords[-1])) >= 2:
        parts[-1] = f"({parts[-1]} | {parts[-1]}:*)"
    return joiner.join(parts)


class PostgresBackend:
    def __init__(self, engine) -> None:
        self.engine = engine

    @staticmethod
    def _params(doc) -> dict:
        return {
            "id": doc.id, "title": doc.title, "body": doc.body, "category_id": doc.category_id,
            "province_code": doc.province_code, "certs": " " + " ".join(doc.certs) + " ",
            "availability": doc.availability, "price": doc.price, "price_per_kg": doc.price_per_kg,
            "created": doc.created,
        }

    def _write(self, conn, docs: list, remove_ids: Iterable[int]) -> None:
        remove_ids = list(remove_ids)
        if remove_ids:
            conn.execute(text("DELETE FROM search_documents WHERE listing_id = ANY(:ids)"), {"ids": remove_ids})
        if docs:
            conn.execute(_UPSERT, [self._params(d) for d in docs])
            vocabulary = sorted({w for d in docs for w in words(d.title + " " + d.body) if 2 <= len(w) <= 80})
            if vocabulary:
                conn.execute(_WORDS, {"words": vocabulary})

    def apply(self, docs: list, remove_ids: list[int]) -> None:
        """Upsert `docs` and delete `remove_ids` in one transaction (rows are locked per listing, no global lock)."""
        if not docs and not remove_ids:
            return
        with self.engine.begin() as conn:
            self._write(conn, sorted(docs, key=lambda d: d.id), sorted(remove_ids))

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM search_documents"))
            conn.execute(text("DELETE FROM search_words"))

    def rebuild(self, iter_docs: Callable[[], Iterable], total: int, load_docs: Callable, progress=None) -> int:
        """Refill search_documents in one transaction: readers see the old rows until it commits (MVCC)."""
        count = 0
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM search_documents"))
            conn.execute(text("DELETE FROM search_words"))
            batch: list = []
            for doc in iter_docs():
                batch.append(doc)
                if len(batch) == 500:
                    self._write(conn, batch, ())
                    count += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            self._write(conn, batch, ())
            count += len(batch)
            if progress and batch:
                progress(len(batch))
            conn.execute(text("ANALYZE search_documents"))
        return count

    # -- reads -------------------------------------------------------------------------------------------------------
    @staticmethod
    def _where(q, params: dict) -> str:
        clauses = []
        if q.words:
            params["qf"] = _tsquery(q.words, prefix_last=True)
            clauses.append("d.tsv_f @@ to_tsquery('simple', search_fold(:qf))")
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

    def search(self, q):
        from marketplace.search.api import BackendResult

        params: dict = {}
        where = self._where(q, params)
        if q.words:
            params["qe"] = _tsquery(q.words, joiner=" | ")
            rank = (
                "ts_rank(d.tsv_f, to_tsquery('simple', search_fold(:qf)))"
                " + 2 * ts_rank(d.tsv, to_tsquery('simple', lower(:qe)))"
            )
            if len(q.words) > 1:
                params["qp"] = _tsquery(q.words, joiner=" <-> ")
                rank += " + CASE WHEN d.tsv_f @@ to_tsquery('simple', search_fold(:qp)) THEN 1 ELSE 0 END"
        else:
            rank = "0"
        order = {
            "price": "d.price, d.listing_id",
            "price_per_kg": "d.price_per_kg, d.listing_id",
            "newest": "d.created DESC, d.listing_id DESC",
        }.get(q.sort, "rank DESC, d.created DESC, d.listing_id DESC" if q.words else "d.created DESC, d.listing_id DESC")
        params["limit"], params["offset"] = q.per_page, (q.page - 1) * q.per_page
        with self.engine.connect() as conn:
            ids = list(
                conn.scalars(
                    text(
                        f"SELECT d.listing_id FROM (SELECT d.listing_id, d.price, d.price_per_kg, d.created, {rank} AS rank"
                        f" FROM search_documents d WHERE {where}) d ORDER BY {order} LIMIT :limit OFFSET :offset"
                    ),
                    params,
                )
            )
            # one pass over the matches: counts per (category, province, availability, certs) combination
            rows = conn.execute(
                text(
                    "SELECT d.category_id, d.province_code, d.availability, d.certs, count(*)"
                    f" FROM search_documents d WHERE {where} GROUP BY 1, 2, 3, 4"
                ),
                params,
            ).all()
        facets: dict[str, dict[str, int]] = {"category": {}, "province": {}, "cert": {}, "availability": {}}
        for category_id, province_code, availability, certs, n in rows:
            for name, value in (("category", str(category_id)), ("province", str(province_code)),
                                ("availability", availability), *(("cert", c) for c in certs.split())):
                facets[name][value] = facets[name].get(value, 0) + n
        return BackendResult(ids=ids, total=sum(facets["availability"].values()), facets=facets)

    def did_you_mean(self, qwords: list[str]) -> str | None:
        """Unknown words replaced by the closest known word (edit distance ≤ 2, then trigram similarity)."""
        out, changed = [], False
        with self.engine.connect() as conn:
            for w in qwords:
                known = conn.scalar(
                    text("SELECT 1 FROM search_words WHERE folded = search_fold(:w) LIMIT 1"), {"w": w}
                )
                if known:
                    out.append(w)
                    continue
                rows = conn.execute(
                    text(
                        """
                        SELECT folded, sum(hits) FROM search_words
                        WHERE length(folded) BETWEEN length(:f) - 2 AND length(:f) + 2
                          AND levenshtein_less_equal(folded, search_fold(:f), 2) <= 2
                        GROUP BY folded ORDER BY levenshtein(folded, search_fold(:f)), sum(hits) DESC LIMIT 500
                        """
                    ),
                    {"f": w},
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
        qwords = words(prefix)
        if not qwords:
            return []
        query = " & ".join([f"'{w}':A" for w in qwords[:-1]] + [f"'{qwords[-1]}':*A"])
        with self.engine.connect() as conn:
            titles = conn.scalars(
                text(
                    """
                    SELECT title FROM search_documents d WHERE d.tsv_f @@ to_tsquery('simple', search_fold(:q))
                    ORDER BY ts_rank(d.tsv, to_tsquery('simple', lower(:q))) DESC, d.created DESC LIMIT :n
                    """
                ),
                {"q": query, "n": limit * 3},
            )
            out: list[str] = []
            for t in titles:
                if t not in out:
                    out.append(t)
        return out[:limit]
