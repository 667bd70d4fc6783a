"""Whoosh backend: one index directory per build, a `current` symlink naming the live one, writes under a lock.

Layout of SEARCH_INDEX_DIR:
    write.lock        cross-process lock held by every writer (see locking.py)
    current -> v-...  the live index; a rebuild builds a new v-... aside and swaps the link with one rename
    rebuild.journal   while a rebuild runs: ids changed meanwhile, re-applied to the new index before the swap
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import Term

from marketplace.search import whoosh_query
from marketplace.search.analysis import best_correction, exact_analyzer, fold, folded_analyzer, words
from marketplace.search.locking import file_lock
from marketplace.search.whoosh_bulk import BulkWriter

#: Queries are set algebra over posting lists (whoosh_query.py): no phrase query reads positions (phrases are matched
#: through `pairs`) and no range query reads the numbers' terms (prices and dates are read from their columns), so text
#: fields keep word frequencies only and numbers one term each (Whoosh's default is sixteen per 64-bit number).
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    title_display=STORED,
    title=TEXT(analyzer=exact_analyzer, phrase=False),
    title_f=TEXT(analyzer=folded_analyzer, phrase=False, spelling=True),
    body=TEXT(analyzer=exact_analyzer, phrase=False),
    body_f=TEXT(analyzer=folded_analyzer, phrase=False, spelling=True),
    category=ID(sortable=True),
    province=ID(sortable=True),
    cert=KEYWORD(),
    #: folded word pairs ("buon_ma ma_thuot"): phrases ranked first without positional matching
    pairs=KEYWORD(),
    availability=ID(sortable=True),
    price=NUMERIC(bits=64, sortable=True, shift_step=0),
    price_per_kg=NUMERIC(bits=64, sortable=True, shift_step=0),
    created=NUMERIC(bits=64, sortable=True, shift_step=0),
)

LOCK_TIMEOUT = 60.0

_readers = threading.local()


def merge_newest(writer, segments: list) -> list:
    """Whoosh merge policy for single writes: merge the newest segments, oldest first, into the segment being written
    while each is no bigger than what that segment holds so far; keep the others in place and in order.

    Whoosh's default (MERGE_SMALL) returns the segments it keeps sorted by size, which renumbers the documents of the
    big segment a rebuild wrote whenever a smaller one is kept; kept in place, every kept segment keeps its document
    numbers and the query caches of it stay valid (whoosh_query.SegmentCache). Like MERGE_SMALL, each document is
    merged again a logarithmic number of times (segment sizes about double towards the oldest)."""
    from whoosh.reading import SegmentReader

    pending = max(1, writer.docnum - writer.docbase)
    keep = list(segments)
    merge = []
    while keep and keep[-1].doc_count_all() <= pending:
        merge.insert(0, keep.pop())
        pending += merge[0].doc_count_all()
    for segment in merge:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return keep


class WhooshBackend:
    def __init__(self, root: str) -> None:
        self.root = root
        os.makedirs(root, exist_ok=True)

    @classmethod
    def for_app(cls, app) -> WhooshBackend:
        return cls(app.config["SEARCH_INDEX_DIR"])

    # -- paths and opening -------------------------------------------------------------------------------------------
    @property
    def _link(self) -> str:
        return os.path.join(self.root, "current")

    @property
    def _journal(self) -> str:
        return os.path.join(self.root, "rebuild.journal")

    def _lock(self):
        return file_lock(os.path.join(self.root, "write.lock"), LOCK_TIMEOUT)

    def _new_dir(self) -> str:
        name = f"v-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path = os.path.join(self.root, name)
        os.makedirs(path)
        whoosh_index.create_in(path, SCHEMA)
        return name

    def _swap(self, name: str) -> None:
        """Point `current` at `name` atomically (rename of a fresh symlink over the old one)."""
        tmp = os.path.join(self.root, f".current-{uuid.uuid4().hex}")
        os.symlink(name, tmp)
        os.replace(tmp, self._link)

    def _current_name(self) -> str:
        try:
            return os.readlink(self._link)
        except FileNotFoundError:
            with self._lock():
                if not os.path.lexists(self._link):
                    self._swap(self._new_dir())
            return os.readlink(self._link)

    def _open(self):
        return whoosh_index.open_dir(os.path.join(self.root, self._current_name()))

    def _searcher(self):
        """A searcher on the live index, kept per thread and refreshed (cheap) when the index changed."""
        name = self._current_name()
        cache = getattr(_readers, "cache", None)
        if cache is None:
            cache = _readers.cache = {}
        key = (self.root, name)
        searcher = cache.get(key)
        if searcher is None:
            for old_key in [k for k in cache if k[0] == self.root]:
                cache.pop(old_key).close()
            searcher = cache[key] = whoosh_index.open_dir(os.path.join(self.root, name)).searcher()
        else:
            fresh = searcher.refresh()
            if fresh is not searcher:
                cache[key] = searcher = fresh
        return searcher

    def check(self) -> dict:
        """The live index opens and answers (readiness probe)."""
        return {"documents": self._searcher().doc_count()}

    # -- writes ------------------------------------------------------------------------------------------------------
    @staticmethod
    def _fields(doc) -> dict:
        return {
            "id": str(doc.id),
            "title_display": doc.title,
            "title": doc.title,
            "title_f": doc.title,
            "body": doc.body,
            "body_f": doc.body,
            "category": str(doc.category_id),
            "province": str(doc.province_code),
            "cert": " ".join(doc.certs),
            "pairs": " ".join(
                p for part in (doc.title + " . " + doc.body).split(" . ") for p in whoosh_query.pairs(words(fold(part)))
            ),
            "availability": doc.availability,
            "price": doc.price,
            "price_per_kg": doc.price_per_kg,
            "created": doc.created,
        }

    def _write(self, writer, docs: Iterable, remove_ids: Iterable[int]) -> None:
        for i in remove_ids:
            writer.delete_by_term("id", str(i))
        for doc in docs:
            writer.update_document(**self._fields(doc))

    def sync(self, ids: list[int], source) -> None:
        """Re-read these listings under the write lock and index the visible ones, delete the others."""
        self._apply(ids, source.load)

    def remove(self, ids: list[int]) -> None:
        self._apply(ids, lambda _ids: {})

    def _apply(self, ids: list[int], load: Callable) -> None:
        """One commit under the cross-process lock; the rows are read under it, so a later writer has newer rows."""
        if not ids:
            return
        self._current_name()  # creates the first index (under the lock) if there is none yet
        with self._lock():
            docs = [d for d in load(ids).values() if d.visible]
            remove_ids = sorted(set(ids) - {d.id for d in docs})
            # read the link again under the lock: a rebuild may have swapped it meanwhile
            writer = whoosh_index.open_dir(os.path.join(self.root, os.readlink(self._link))).writer()
            try:
                self._write(writer, docs, remove_ids)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=merge_newest)
            if os.path.exists(self._journal):
                with open(self._journal, "a") as journal:
                    journal.write("".join(f"{i}\n" for i in [d.id for d in docs] + list(remove_ids)))

    def clear(self) -> None:
        with self._lock():
            old = os.readlink(self._link) if os.path.lexists(self._link) else None
            self._swap(self._new_dir())
            if old:
                shutil.rmtree(os.path.join(self.root, old), ignore_errors=True)

    def clear_if_not_empty(self) -> None:
        if os.path.lexists(self._link) and self._open().doc_count_all():
            self.clear()

    def rebuild(self, source, progress=None) -> int:
        """Build a new index aside from `iter_docs()`, catch up with changes made meanwhile, then swap it in."""
        with self._lock():
            if os.path.exists(self._journal):
                raise RuntimeError("another rebuild is running (rebuild.journal exists)")
            name = self._new_dir()
            open(self._journal, "w").close()
        try:
            ix = whoosh_index.open_dir(os.path.join(self.root, name))
            writer = BulkWriter(ix)
            count = 0
            for doc in source.iter_visible():
                writer.add_document(**self._fields(doc))
                count += 1
                if progress and count % 500 == 0:
                    progress(500)
            if progress:
                progress(count % 500)
            writer.commit()
            with self._lock():
                with open(self._journal) as journal:
                    changed = {int(line) for line in journal if line.strip()}
                if changed:
                    docs = source.load(changed)
                    visible = [d for d in docs.values() if d.visible]
                    writer = ix.writer()
                    self._write(writer, visible, changed - {d.id for d in visible})
                    writer.commit(mergetype=merge_newest)
                old = os.readlink(self._link) if os.path.lexists(self._link) else None
                self._swap(name)
                os.remove(self._journal)
            self._prune(keep={name, old})
            return count
        except BaseException:
            if os.path.exists(self._journal):
                os.remove(self._journal)
            shutil.rmtree(os.path.join(self.root, name), ignore_errors=True)
            raise

    def _prune(self, keep: set) -> None:
        """Delete index builds other than the live one and the one before it (readers may still hold that one)."""
        for entry in os.listdir(self.root):
            if entry.startswith("v-") and entry not in keep:
                shutil.rmtree(os.path.join(self.root, entry), ignore_errors=True)

    # -- reads -------------------------------------------------------------------------------------------------------
    def _cache(self) -> whoosh_query.PostingCache:
        searcher = self._searcher()
        cache = getattr(searcher, "_posting_cache", None)
        if cache is None:
            # the segments' caches carry over from this thread's previous searcher on this index
            segments = getattr(_readers, "segments", None)
            if segments is None:
                segments = _readers.segments = {}
            cache = searcher._posting_cache = whoosh_query.PostingCache(searcher, segments.setdefault(self.root, {}))
        return cache

    def search(self, q):
        from marketplace.search.api import BackendResult

        cache = self._cache()
        docs, total, facets = whoosh_query.run(cache, q)
        ids = [int(cache.searcher.stored_fields(d)["id"]) for d in docs]
        return BackendResult(ids=ids, total=total, facets=facets)

    def did_you_mean(self, qwords: list[str]) -> str | None:
        """The query with unknown words replaced by the closest indexed word, shown with its diacritics."""
        searcher = self._searcher()
        corrector = searcher.corrector("body_f")
        title_corrector = searcher.corrector("title_f")
        out, changed = [], False
        for w in qwords:
            f = fold(w)
            if searcher.doc_frequency("body_f", f) or searcher.doc_frequency("title_f", f):
                out.append(w)
                continue
            candidates = {
                c: searcher.doc_frequency("title_f", c) + searcher.doc_frequency("body_f", c)
                for c in title_corrector.suggest(f, limit=10, maxdist=2) + corrector.suggest(f, limit=10, maxdist=2)
            }
            found = best_correction(w, list(candidates.items()))
            if not found:
                out.append(w)
                continue
            out.append(self._display_form(searcher, found))
            changed = True
        return " ".join(out) if changed else None

    @staticmethod
    def _display_form(searcher, folded_word: str) -> str:
        """The commonest diacritic spelling of `folded_word` among the titles that contain it."""
        seen: dict[str, int] = {}
        for field in ("title_f", "body_f"):
            for hit in searcher.search(Term(field, folded_word), limit=20):
                for w in words(hit.get("title_display", "")):
                    if fold(w) == folded_word:
                        seen[w] = seen.get(w, 0) + 1
            if seen:
                break
        return max(seen, key=lambda w: (seen[w], w != folded_word)) if seen else folded_word

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        qwords = words(prefix)
        if not qwords:
            return []
        cache = self._cache()
        out: list[str] = []
        for d in whoosh_query.suggest(cache, qwords, limit * 3):
            title = cache.searcher.stored_fields(d)["title_display"]
            if title not in out:
                out.append(title)
        return out[:limit]
