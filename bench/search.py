"""Search benchmark at 10k and 1M listings in one invocation: the results page for common and rare words, filtered
and faceted, under gunicorn (production config, 2 workers) beside a bare Flask hello measured in the same run; and
the backend alone on a fixed mix of 200 queries.

    .venv/bin/python bench/search.py [--sizes 10000,1000000] [--database-url postgresql://…/bench_{n}]
                                     [--search-backend postgres] [--rounds 3] [--seconds 4] [--modes db,cached]
    # the embedded default (its ceiling, README):
    .venv/bin/python bench/search.py --database-url sqlite:////var/tmp/bench_{n}.db --search-backend whoosh \\
        --sizes 10000,100000,300000

Databases are kept and reused as by bench/catalog.py (the same default names: one build serves both).
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

QUERY_WORDS = [
    "xoài", "xoai", "XOÀI", "vải thiều", "vai thieu", "cà phê", "ca phe", "buôn ma thuột", "buon ma thuot", "gạo st25",
    "gao", "mật ong", "mat ong rung", "sầu riêng", "sau rieng ri6", "bưởi", "buoi da xanh", "chè thái nguyên",
    "che thai nguyen", "hạt điều", "hat dieu binh phuoc", "tôm khô cà mau", "nấm", "nam huong", "thịt bò",
    "thit bo to", "đặc sản", "dac san", "hữu cơ", "huu co", "loại 1", "cam", "ổi", "khoai lang tim", "ớt", "xaoi",
    "nuoc mam phu quoc", "tiêu đen", "banh pia", "kẹo dừa bến tre",
]

PICK = """
from sqlalchemy import text
from marketplace import create_app
from marketplace.extensions import db
app = create_app()
with app.app_context():
    print("coffee=%s" % db.session.execute(text("SELECT id FROM categories WHERE slug = 'ca-phe-tra'")).scalar())
"""

#: the backend alone on 200 queries (with and without diacritics, one and several words, filtered, sorted, page 2)
MIX = """
import random, statistics, time
from sqlalchemy import select
from marketplace import create_app
from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.search import api
WORDS = %r
app = create_app()
with app.app_context():
    rnd = random.Random(7)
    cats = list(db.session.scalars(select(Category.id)))
    queries = []
    for i in range(200):
        t, kind = WORDS[i %% len(WORDS)], i %% 5
        queries.append([api.SearchQuery(text=t), api.SearchQuery(text=t, category_id=rnd.choice(cats)),
                        api.SearchQuery(text=t, province_code=rnd.choice([1, 79, 66, 24, 48, 92]),
                                        availability="in_stock"),
                        api.SearchQuery(text=t, min_price=50_000, max_price=200_000, sort="price_per_kg",
                                        cert="vietgap"),
                        api.SearchQuery(text="" if i %% 10 == 4 else t, sort="newest", page=2)][kind])
    be = api.backend()
    for q in queries:
        be.search(q)
    ms = []
    for q in queries:
        t0 = time.perf_counter()
        be.search(q)
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    pct = lambda p: ms[min(len(ms) - 1, round(p / 100 * (len(ms) - 1)))]
    ok = 0
    for text, expect in (("ca phe", "cà phê"), ("vai thieu", "vải thiều"), ("xoài cát hòa lộc", "xoài cát hòa lộc")):
        res = api.query(api.SearchQuery(text=text))
        ok += bool(res.hits) and all(expect in h.listing.title.lower() for h in res.hits)
    ok += api.query(api.SearchQuery(text="xaoi")).did_you_mean == "xoài"
    print(f"p50={pct(50):.1f}\\np95={pct(95):.1f}\\np99={pct(99):.1f}\\nmax={ms[-1]:.1f}\\ncorrect={ok}/4")
"""


def pages_for(p: dict) -> dict[str, str]:
    return {
        "search xoai cat": "/search?q=xoai+cat",
        "search ca phe": "/search?q=ca+phe",
        "search xoai": "/search?q=xoai",
        "search huu co": "/search?q=huu+co",
        "search loai 1": "/search?q=loai+1",
        "search rare (ST25)": "/search?q=gao+st25+soc+trang",
        "ca phe + province": "/search?q=ca+phe&province=66&sort=price",
        "ca phe + category": f"/search?q=ca+phe&category={p['coffee']}",
        "price range, no words": "/search?min_price=50000&max_price=200000",
        "all, facets": "/search",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--database-url", default=harness.DEFAULT_URL,
                        help="{n} or {label} (10k, 1m) in it name the size")
    parser.add_argument("--redis-url", default=harness.DEFAULT_REDIS, help="for the cached mode (FLUSHDB'd)")
    parser.add_argument("--search-backend", default="postgres")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--modes", default="db,cached")
    parser.add_argument("--no-mix", action="store_true", help="skip the backend-alone query mix")
    args = parser.parse_args()

    sizes = [int(s) for s in args.sizes.split(",")]
    modes = tuple(args.modes.split(","))
    work = harness.workdir("bench-search-")
    envs, pages, mix = {}, {}, {}
    for n in sizes:
        url = args.database_url.format(n=n, label=harness.label(n).lower())
        env = harness.environment(url, work / harness.label(n), args.search_backend)
        (work / harness.label(n)).mkdir(parents=True, exist_ok=True)
        harness.ensure_catalogue(env, n)
        envs[n], pages[n] = env, pages_for(harness.pick(env, PICK))
        if not args.no_mix:
            mix[n] = harness.pick(env, MIX % (QUERY_WORDS,))
    results = harness.run_rounds(envs, pages, work, args.rounds, args.seconds, args.connections, modes,
                                 args.redis_url)
    kind = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"\nSearch pages, {kind}, backend {args.search_backend}, gunicorn 2 workers, {args.connections} "
          f"connections, {args.seconds:.0f} s per page per round")
    harness.print_tables(results, sizes, list(pages[sizes[0]]), modes)
    if mix:
        print("\nbackend alone, 200-query mix, warm (ms):")
        print(f"{'size':<6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'correct':>9}")
        for n, m in mix.items():
            print(f"{harness.label(n):<6}{m['p50']:>8}{m['p95']:>8}{m['p99']:>8}{m['max']:>8}{m['correct']:>9}")


if __name__ == "__main__":
    main()
