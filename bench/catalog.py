"""Catalogue benchmark at 10k and 1M listings in one invocation: every public catalogue page under gunicorn
(production config, gunicorn.conf.py, 2 workers), beside a bare Flask hello measured in the same run.

    .venv/bin/python bench/catalog.py [--sizes 10000,1000000] [--database-url postgresql://…/bench_{n}]
                                      [--rounds 3] [--seconds 4] [--modes db,cached]

Each size has its own database (`{n}` in --database-url is replaced by the size): kept from a previous run when it
holds the listings, otherwise built with the README's commands (`flask db upgrade`, `flask demo load`,
`flask demo synth --products N`, `flask search rebuild`; about 12 minutes for 1M on PostgreSQL). Prints per page
req/s, p50/p95/p99, SQL time and statements per request, the page ÷ hello ratio, and the 1M ÷ 10k ratio of p50.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

PICK = """
from sqlalchemy import text
from marketplace import create_app
from marketplace.catalog.keyset import SORT_KEYS
from marketplace.catalog.models import Listing
from marketplace.extensions import db
app = create_app()
with app.app_context():
    q = db.session.execute
    slug, cid, size = q(text("SELECT c.slug, c.id, sum(n) FROM categories c JOIN listing_counts lc"
                             " ON lc.category_id = c.id GROUP BY c.id, c.slug ORDER BY 3 DESC LIMIT 1")).one()
    lid, hid = q(text("SELECT id, household_id FROM listings WHERE category_id = :c AND status = 'ACTIVE'"
                      " ORDER BY id DESC LIMIT 1"), {"c": cid}).one()
    code, codename = q(text("SELECT p.code, p.codename FROM provinces p JOIN listing_counts lc"
                            " ON lc.province_code = p.code GROUP BY p.code ORDER BY sum(lc.n) DESC LIMIT 1")).one()
    depth = int(size * 0.8)
    deep_id = q(text("SELECT l.id FROM listings l JOIN households h ON h.id = l.household_id"
                     " WHERE l.status = 'ACTIVE' AND h.status = 'VERIFIED' AND l.category_id = :c"
                     " ORDER BY l.created_at DESC, l.id DESC LIMIT 1 OFFSET :o"), {"c": cid, "o": depth}).scalar()
    cursor = SORT_KEYS["newest"].encode(db.session.get(Listing, deep_id))
    for k, v in dict(slug=slug, listing=lid, household=hid, province=code, codename=codename, cursor=cursor,
                     deep_page=depth // 24 + 2, size=size).items():
        print(f"{k}={v}")
"""


def pages_for(p: dict) -> dict[str, str]:
    return {
        "home": "/",
        "category": f"/c/{p['slug']}",
        "category page 5": f"/c/{p['slug']}?page=5",
        "category filtered": f"/c/{p['slug']}?province={p['province']}&sort=price_asc",
        "category in stock+cert": f"/c/{p['slug']}?in_stock=1&cert=vietgap",
        "category deep": f"/c/{p['slug']}?page={p['deep_page']}&after={p['cursor']}",
        "product": f"/p/{p['listing']}",
        "storefront": f"/h/{p['household']}",
        "provinces /tinh": "/tinh",
        "province": f"/tinh/{p['codename']}",
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
    args = parser.parse_args()

    sizes = [int(s) for s in args.sizes.split(",")]
    modes = tuple(args.modes.split(","))
    work = harness.workdir("bench-catalog-")
    envs, pages = {}, {}
    for n in sizes:
        url = args.database_url.format(n=n, label=harness.label(n).lower())
        env = harness.environment(url, work / harness.label(n), args.search_backend)
        (work / harness.label(n)).mkdir(parents=True, exist_ok=True)
        harness.ensure_catalogue(env, n)
        picked = harness.pick(env, PICK)
        print(f"  {harness.label(n)}: category /c/{picked['slug']} ({picked['size']} listings), product "
              f"/p/{picked['listing']}, deep page {picked['deep_page']}", flush=True)
        envs[n], pages[n] = env, pages_for(picked)
    results = harness.run_rounds(envs, pages, work, args.rounds, args.seconds, args.connections, modes,
                                 args.redis_url)
    kind = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"\nCatalogue pages, {kind}, search backend {args.search_backend}, gunicorn 2 workers, "
          f"{args.connections} connections, {args.seconds:.0f} s per page per round")
    harness.print_tables(results, sizes, list(pages[sizes[0]]), modes)


if __name__ == "__main__":
    main()
