"""Catalogue benchmark: N listings, the app under gunicorn (2 workers, production config), pages vs a hello ceiling.

    .venv/bin/python bench/catalog.py [--listings 10000] [--seconds 5] [--database-url postgresql://…]

Builds a fresh database (SQLite file in a temporary folder unless --database-url is given), loads the demo data and
N synthetic listings, serves it with gunicorn and measures each page with wrk (or a Python client when wrk is
missing). Prints one table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import measure  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def build(env: dict, listings: int) -> None:
    flask = [sys.executable, "-m", "flask"]
    started = time.perf_counter()
    run([*flask, "db", "upgrade"], env)
    run([*flask, "demo", "load"], env)
    run([*flask, "demo", "synth", "--products", str(max(0, listings - 150))], env)
    print(f"built the catalogue in {time.perf_counter() - started:.1f} s")


def serve(module: str, env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", module],
        env=env, cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"{module} did not start")


def pick_urls(env: dict) -> dict[str, str]:
    """A category with many listings and a product from it, read from the built database."""
    code = (
        "from marketplace import create_app\n"
        "from marketplace.extensions import db\n"
        "from sqlalchemy import text\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    slug, cid = db.session.execute(text('SELECT c.slug, c.id FROM categories c JOIN listings l ON "
        "l.category_id = c.id GROUP BY c.id, c.slug ORDER BY count(*) DESC LIMIT 1')).one()\n"
        "    lid = db.session.execute(text('SELECT max(id) FROM listings WHERE category_id = :c'), {'c': cid}).scalar()\n"
        "    count = db.session.execute(text('SELECT count(*) FROM listings')).scalar()\n"
        "    print(slug, lid, count)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    slug, listing_id, count = out.stdout.split()
    print(f"catalogue: {count} listings; category /c/{slug}, product /p/{listing_id}")
    return {"home": "/", "category": f"/c/{slug}", "category p.5": f"/c/{slug}?page=5", "product": f"/p/{listing_id}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi",
        MARKETPLACE_INSTANCE=str(workdir),
        DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'bench.db'}",
        SECRET_KEY="bench-only-secret",
        UPLOAD_DIR=str(workdir / "uploads"),
        SEARCH_INDEX_DIR=str(workdir / "search-index"),
    )
    build(env, args.listings)
    urls = pick_urls(env)
    env["MARKETPLACE_CONFIG"] = "production"

    rows = []
    port = free_port()
    hello = serve("bench.hello_wsgi:app", env, port)
    try:
        measure(f"http://127.0.0.1:{port}/", 1, args.connections)  # warm-up
        ceiling = measure(f"http://127.0.0.1:{port}/", args.seconds, args.connections)
    finally:
        hello.terminate()
        hello.wait()
    rows.append(("hello (ceiling)", ceiling))

    port = free_port()
    app = serve("wsgi:app", env, port)
    try:
        for name, path in urls.items():
            measure(f"http://127.0.0.1:{port}{path}", 1, args.connections)
            rows.append((name, measure(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)))
    finally:
        app.terminate()
        app.wait()

    db_kind = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"\n{args.listings} listings, {db_kind}, gunicorn 2 workers, {args.connections} connections, "
          f"{args.seconds:.0f} s per page, {os.cpu_count()} cores")
    print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'% ceiling':>11}{'errors':>8}")
    for name, m in rows:
        print(f"{name:<18}{m.rps:>9.1f}{m.p50_ms:>9.1f}{m.p95_ms:>9.1f}{m.p99_ms:>9.1f}"
              f"{100 * m.rps / ceiling.rps:>10.1f}%{m.errors:>8}")


if __name__ == "__main__":
    main()
