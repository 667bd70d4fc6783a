"""Checkout throughput with correctness: many buyers race for scarce stock through the real HTTP checkout.

    .venv/bin/python bench/checkout.py --database-url postgresql://postgres@127.0.0.1:5432/bench_checkout
        [--buyers 1200] [--stock 900] [--workers 4] [--concurrency 32]

Builds a fresh database (PostgreSQL: the schema is dropped and re-created), six listings of scarce stock and one
buyer per attempt, each signed in with a cart of one unit; serves the app with gunicorn (production config); fetches
each buyer's checkout page and its priced total (not timed), then fires every "place order" at once and times them.
Prints checkouts per second, latency percentiles, and the stock audit: units sold + units left = units there were,
and no listing below zero. Nothing is asserted; the figures are the result.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LISTINGS = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(env: dict, buyers: int, stock: int) -> list[tuple[str, str]]:
    """A fresh schema, six listings sharing `stock` units, `buyers` buyers with one unit in their carts. Returns the
    buyers' (e-mail, password)."""
    os.environ.update(env)
    from sqlalchemy import text

    from marketplace import create_app
    from marketplace.extensions import db

    app = create_app()
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.session.remove()
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = create_app()
    with app.app_context():
        from argon2 import PasswordHasher
        from sqlalchemy import insert

        from marketplace.accounts.models import Role, User
        from marketplace.cart.models import Cart, CartLine
        from marketplace.catalog.models import Availability, Category, Listing, ListingStatus, Unit
        from marketplace.geo.models import Ward
        from marketplace.households.models import Household, HouseholdStatus

        cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # verified by its own parameters: fast
        password = "bench-pass-1"
        hashed = cheap.hash(password)
        ward = db.session.get(Ward, 70)
        category = Category(slug="trai-cay", name_vi="Trái cây", name_en="Fruit", position=1)
        db.session.add(category)
        owners = []
        for i in range(LISTINGS):
            user = User(name=f"Hộ {i}", phone=f"+8491100{i:04d}", role=Role.HOUSEHOLD, password_hash=hashed)
            household = Household(user=user, name=f"Hộ {i}", representative=f"Hộ {i}", phone=user.phone,
                                  ward_code=ward.code, province_code=ward.province_code, address_line="Thôn 1",
                                  status=HouseholdStatus.VERIFIED)
            db.session.add(household)
            owners.append(household)
        db.session.flush()
        listing_ids = []
        per = stock // LISTINGS
        for i, household in enumerate(owners):
            listing = Listing(household=household, category=category, title=f"Vải thiều lô {i}", unit=Unit.KG,
                              price=60_000, stock=per + (stock % LISTINGS if i == 0 else 0), weight_grams=1000,
                              price_per_kg=60_000, min_order_qty=1, availability=Availability.IN_STOCK,
                              origin_ward_code=ward.code, province_code=ward.province_code,
                              status=ListingStatus.ACTIVE)
            db.session.add(listing)
            db.session.flush()
            listing_ids.append(listing.id)
        users = db.session.execute(
            insert(User).returning(User.id, User.email),
            [{"name": f"Người mua {n}", "email": f"b{n}@bench.vn", "role": Role.BUYER, "password_hash": hashed}
             for n in range(buyers)],
        ).all()
        carts = db.session.execute(
            insert(Cart).returning(Cart.id, Cart.user_id), [{"user_id": uid} for uid, _ in users]
        ).all()
        db.session.execute(insert(CartLine), [
            {"cart_id": cid, "listing_id": listing_ids[n % LISTINGS], "quantity": 1, "price_seen": 60_000}
            for n, (cid, _uid) in enumerate(carts)
        ])
        db.session.commit()
        return [(email, password) for _uid, email in users]


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "wsgi:app"],
        env=env, cwd=ROOT,
    )
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the app did not start")


def _browser():
    """A requests session for plain HTTP to localhost: production cookies are Secure (HTTPS only), and the app runs
    behind a TLS-terminating proxy, so the cookies the app sets are sent back over HTTP here."""
    import requests

    class Browser(requests.Session):
        def request(self, *args, **kwargs):
            response = super().request(*args, **kwargs)
            for cookie in self.cookies:
                cookie.secure = False
            return response

    return Browser()


FORM = {"recipient": "Người mua", "phone": "0912345678", "province": "1", "ward": "70",
        "address_line": "12 Hàng Bạc", "note": "", "payment_method": "cod"}


def prepare(base: str, email: str, password: str):
    """Sign in and price the checkout as the buyer's browser would; returns (session, the form to submit)."""
    s = _browser()
    page = s.get(base + "/account/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    s.post(base + "/account/login", data={"csrf_token": token, "identifier": email, "password": password},
           allow_redirects=False)
    page = s.get(base + "/checkout").text  # a new session after sign-in: the form's token comes from this page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    page = s.post(base + "/checkout", data={**FORM, "csrf_token": token, "refresh": "1"}).text
    fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
              for name in ("csrf_token", "submission", "quoted_total")}
    return s, {**FORM, **fields}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--buyers", type=int, default=1200)
    parser.add_argument("--stock", type=int, default=900)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3", help="production needs one (throttles, jobs)")
    args = parser.parse_args()
    env = {**os.environ, "MARKETPLACE_CONFIG": "production", "DATABASE_URL": args.database_url,
           "SECRET_KEY": "bench-only", "FLASK_APP": "wsgi", "UPLOAD_DIR": "/tmp/bench-checkout-uploads",
           "SEARCH_BACKEND": "postgres", "SEARCH_SYNC": "inline", "PYTHONWARNINGS": "ignore",
           "RATELIMIT_ENABLED": "0",  # every buyer signs in from this one address
           "FORCE_HTTPS": "0",  # plain HTTP on localhost, as behind a TLS-terminating proxy
           "REDIS_URL": args.redis_url}
    started = time.perf_counter()
    accounts = build(env, args.buyers, args.stock)
    print(f"built {args.buyers} buyers and {LISTINGS} listings of {args.stock} units in "
          f"{time.perf_counter() - started:.1f} s")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(env, port, args.workers)
    try:
        with ThreadPoolExecutor(args.concurrency) as pool:
            prepared = list(pool.map(lambda a: prepare(base, *a), accounts))
        latencies: list[float] = []
        outcomes: dict[str, int] = {"placed": 0, "sold out": 0}
        lock = threading.Lock()

        def place(item):
            session, form = item
            t0 = time.perf_counter()
            response = session.post(base + "/checkout", data=form, allow_redirects=False)
            elapsed = time.perf_counter() - t0
            if response.status_code == 302 and "/done" in response.headers.get("Location", ""):
                kind = "placed"
            elif response.status_code == 302 and response.headers.get("Location", "").endswith("/cart/"):
                kind = "sold out"  # the cart repaired itself (the last units went): the buyer is shown why
            elif response.status_code == 200 and ("hết hàng" in response.text or "Chỉ còn" in response.text):
                kind = "sold out"
            else:
                kind = f"other {response.status_code}"
            with lock:
                latencies.append(elapsed)
                outcomes[kind] = outcomes.get(kind, 0) + 1

        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(place, prepared))
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    audit = stock_audit(env, args.stock)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(f"{len(prepared)} checkout attempts, {args.concurrency} at a time, gunicorn {args.workers} workers, "
          f"PostgreSQL, production config")
    print(f"  {wall:.1f} s: {len(prepared) / wall:.0f} attempts/s, {outcomes['placed'] / wall:.0f} placed "
          f"checkouts/s | outcomes {outcomes}")
    print(f"  latency p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms")
    print(f"  stock audit: {audit}")


def stock_audit(env: dict, stock: int) -> dict:
    os.environ.update(env)
    from sqlalchemy import func, select

    from marketplace import create_app
    from marketplace.catalog.models import Listing
    from marketplace.extensions import db
    from marketplace.orders.models import Checkout, OrderLine

    app = create_app()
    with app.app_context():
        left = db.session.scalar(select(func.sum(Listing.stock)))
        lowest = db.session.scalar(select(func.min(Listing.stock)))
        sold = db.session.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0)))
        checkouts = db.session.scalar(select(func.count()).select_from(Checkout))
    return {"units there were": stock, "sold": sold, "left": left, "sold + left": sold + left,
            "oversold": max(0, sold - stock), "lowest stock": lowest, "checkouts": checkouts}


if __name__ == "__main__":
    main()
