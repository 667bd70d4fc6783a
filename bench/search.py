"""Search benchmark: N synthetic Vietnamese listings, then per backend: indexing rate, query latency, page req/s.

    .venv/bin/python bench/search.py [--listings 100000] [--database-url postgresql://…] [--seconds 5]

Builds a fresh database (SQLite in a temporary folder unless --database-url is given; the PostgreSQL backend is
measured only on PostgreSQL), fills it with synthetic listings (marketplace.demo.synth, as `make demo` does;
--reuse keeps a previous run's), then for each backend: rebuilds the index (listings/s), runs a fixed mix of 200 queries
(with and without diacritics, one and several words, filtered, faceted, sorted) measuring the backend alone and the
whole interface (backend + loading the listings + highlighting), times single-listing updates, and serves /search
with gunicorn (2 workers) to measure requests/s. Prints one table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalog import free_port, serve  # noqa: E402
from bench.loadgen import measure  # noqa: E402

QUERY_WORDS = [
    "xoài", "xoai", "XOÀI", "vải thiều", "vai thieu", "cà phê", "ca phe", "buôn ma thuột", "buon ma thuot", "gạo st25",
    "gao", "mật ong", "mat ong rung", "sầu riêng", "sau rieng ri6", "bưởi", "buoi da xanh", "chè thái nguyên",
    "che thai nguyen", "hạt điều", "hat dieu binh phuoc", "tôm khô cà mau", "nấm", "nam huong", "thịt bò",
    "thit bo to", "đặc sản", "dac san", "hữu cơ", "huu co", "loại 1", "cam", "ổi", "khoai lang tim", "ớt", "xaoi",
    "nuoc mam phu quoc", "tiêu đen", "banh pia", "kẹo dừa bến tre",
]


def query_mix(db) -> list:
    """200 fixed queries: text with and without diacritics, one and several words, filtered, faceted, sorted."""
    from sqlalchemy import select

    from marketplace.catalog.models import Category
    from marketplace.search.api import SearchQuery

    rnd = random.Random(7)
    cats = list(db.session.scalars(select(Category.id)))
    provs = [1, 79, 66, 24, 48, 92]
    out = []
    for i in range(200):
        text = QUERY_WORDS[i % len(QUERY_WORDS)]
        kind = i % 5
        if kind == 0:
            out.append(SearchQuery(text=text))
        elif kind == 1:
            out.append(SearchQuery(text=text, category_id=rnd.choice(cats)))
        elif kind == 2:
            out.append(SearchQuery(text=text, province_code=rnd.choice(provs), availability="in_stock"))
        elif kind == 3:
            out.append(SearchQuery(text=text, min_price=50_000, max_price=200_000, sort="price_per_kg", cert="vietgap"))
        else:
            out.append(SearchQuery(text="" if i % 10 == 4 else text, sort="newest", page=2))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_backend(app, db, name: str, queries: list) -> dict:
    from sqlalchemy import select

    from marketplace.catalog.models import Listing
    from marketplace.search import api

    app.config["SEARCH_BACKEND"] = name
    api.clear()
    started = time.perf_counter()
    count = api.rebuild()
    rate = count / (time.perf_counter() - started)
    be = api.backend()
    cold_ms = []
    for q in queries:  # first pass on a fresh index: readers and caches are cold
        t = time.perf_counter()
        be.search(q)
        cold_ms.append((time.perf_counter() - t) * 1000)
    backend_ms, full_ms, correct = [], [], 0
    for q in queries:
        t = time.perf_counter()
        be.search(q)
        backend_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        res = api.query(q)
        full_ms.append((time.perf_counter() - t) * 1000)
        db.session.rollback()
    for text, expect in (("ca phe", "cà phê"), ("vai thieu", "vải thiều"), ("xoài cát hòa lộc", "xoài cát hòa lộc")):
        res = api.query(api.SearchQuery(text=text))
        correct += bool(res.hits) and all(expect in h.listing.title.lower() for h in res.hits)
    correct += api.query(api.SearchQuery(text="xaoi")).did_you_mean == "xoài"
    ids = list(db.session.scalars(select(Listing.id).limit(50)))
    update_ms, after_ms = 0.0, []
    for n, i in enumerate(ids):
        t = time.perf_counter()
        api.index_listing(i)
        update_ms += (time.perf_counter() - t) * 1000 / len(ids)
        t = time.perf_counter()  # the first query after a write: readers and caches of what changed are cold
        be.search(queries[n * 4 % len(queries)])
        after_ms.append((time.perf_counter() - t) * 1000)
    return {"rate": rate, "count": count, "backend": backend_ms, "full": full_ms, "update": update_ms, "cold": cold_ms,
            "after": after_ms, "correct": f"{correct}/4"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--backends", default="whoosh,postgres", help="comma-separated; postgres needs PostgreSQL")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the listings already in --database-url (a previous run's) instead of a fresh load")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi", MARKETPLACE_INSTANCE=str(workdir), SECRET_KEY="bench-only-secret",
        DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'bench.db'}", UPLOAD_DIR=str(workdir / "uploads"),
        SEARCH_INDEX_DIR=str(workdir / "search-index"),
    )
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import func, inspect, select, text

    from marketplace import create_app
    from marketplace.demo.synth import synthesize
    from marketplace.extensions import db

    app = create_app("development")
    app.config["SEARCH_SYNC"] = False  # the bulk load is indexed by the rebuild, not row by row
    with app.app_context():
        from marketplace.catalog.models import Listing

        have = db.session.scalar(select(func.count(Listing.id))) if args.reuse and inspect(db.engine).has_table(
            "listings") else 0
        if have < args.listings:
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
            upgrade()
            started = time.perf_counter()
            synthesize(args.listings, progress=False)
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))  # fresh planner statistics, as autovacuum would have after a bulk load
            print(f"built {args.listings} listings in {time.perf_counter() - started:.1f} s")
        else:
            upgrade()
            print(f"reusing the {have} listings in the database")
        queries = query_mix(db)
        results = {}
        for name in args.backends.split(","):
            if name == "postgres" and db.engine.dialect.name != "postgresql":
                continue
            app.config["SEARCH_SYNC"] = True
            results[name] = bench_backend(app, db, name, queries)
            print(f"{name}: measured queries")

    env["MARKETPLACE_CONFIG"] = "production"
    pages = {"search": "/search?q=xoai+cat", "search filtered": "/search?q=ca+phe&province=66&sort=price"}
    for name in results:
        env["SEARCH_BACKEND"] = name
        port = free_port()
        proc = serve("wsgi:app", env, port)
        try:
            for label, path in pages.items():
                measure(f"http://127.0.0.1:{port}{path}", 1, args.connections)
                results[name][label] = measure(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
        finally:
            proc.terminate()
            proc.wait()

    db_kind = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"\n{args.listings} listings, {db_kind} database, {os.cpu_count()} cores; 200 queries; "
          f"gunicorn 2 workers, {args.connections} connections, {args.seconds:.0f} s per page")
    head = (f"{'backend':<9}{'index/s':>9}{'upd ms':>8}{'q p50':>7}{'q p95':>7}{'q p99':>7}"
            f"{'cold p95':>9}{'full p50':>9}{'full p95':>9}{'full p99':>9}{'page r/s':>9}{'filt r/s':>9}{'correct':>8}")
    print(head)
    for name, r in results.items():
        b, f = r["backend"], r["full"]
        print(f"{name:<9}{r['rate']:>9.0f}{r['update']:>8.1f}{pct(b, 50):>7.1f}{pct(b, 95):>7.1f}{pct(b, 99):>7.1f}"
              f"{pct(r['cold'], 95):>9.1f}{pct(f, 50):>9.1f}{pct(f, 95):>9.1f}{pct(f, 99):>9.1f}{r['search'].rps:>9.1f}"
              f"{r['search filtered'].rps:>9.1f}{r['correct']:>8}")
    print("q = backend alone (ids, total, facets), warm; cold = first pass on a fresh index; full = interface "
          "(+ listings loaded from the database, highlighted); all in ms; upd = one listing re-indexed and committed")
    for name, r in results.items():
        print(f"{name}: first query after each of 50 single-listing writes: p50 {pct(r['after'], 50):.1f} ms, "
              f"p95 {pct(r['after'], 95):.1f} ms")


if __name__ == "__main__":
    main()
