"""Checkout throughput with correctness: many buyers race for scarce stock through the real HTTP checkout.

    .venv/bin/python bench/checkout.py --database-url postgresql://postgres@127.0.0.1:5432/bench_checkout
        [--buyers 1200] [--stock 900] [--workers 4] [--concurrency 32]

Builds a fresh database (PostgreSQL: the schema is dropped and re-created), six listings of scarce stock and one
buyer per attempt, each signed in with a cart of one unit; serves the app with gunicorn in the production config
(`gunicorn.conf.py`, Redis for the throttles, jobs and page cache); fetches each buyer's checkout page and its priced
total (not timed), then fires every "place order" at once over keep-alive connections and times them (asyncio and
raw HTTP/1.1: the load generator takes little CPU from the two cores). Prints checkouts per second, latency percentiles, where the CPU went (app
workers, PostgreSQL, Redis, the load generator) per checkout, and the stock audit: units sold + units left = units
there were, and no listing below zero. Nothing is asserted; the figures are the result.

Buyers are signed in by a session cookie minted with the app's own sign-in code (`login_user`), not through the
sign-in form: each form sign-in spends ~0.2 s of argon2 on purpose, which would only lengthen the set-up.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
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


def build(env: dict, buyers: int, stock: int) -> list[str]:
    """A fresh schema, six listings sharing `stock` units, `buyers` buyers with one unit in their carts. Returns each
    buyer's signed-in session cookie."""
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
        hashed = cheap.hash("bench-pass-1")
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
        return mint_sessions(app, [uid for uid, _email in users])


def mint_sessions(app, user_ids: list[int]) -> list[str]:
    """A signed session cookie per user, made by the app's own sign-in (`login_user`, the inactivity clock)."""
    from flask import session
    from flask_login import login_user

    from marketplace.accounts.models import User
    from marketplace.accounts.sessions import mark_signed_in
    from marketplace.extensions import db

    serializer = app.session_interface.get_signing_serializer(app)
    cookies = []
    for user_id in user_ids:
        with app.test_request_context("/"):
            login_user(db.session.get(User, user_id))
            mark_signed_in()
            cookies.append(serializer.dumps(dict(session)))
    return cookies



def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    """gunicorn as production runs it (`gunicorn.conf.py`), `workers` sync workers."""
    env = dict(env, WEB_CONCURRENCY=str(workers), BIND=f"127.0.0.1:{port}",
               PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="bench-checkout-metrics-"))
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--log-level", "warning",
                             "wsgi:app"], env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the app did not start")


def _browser(cookie: str):
    """A requests session for plain HTTP to localhost, holding the buyer's session cookie: production cookies are
    Secure (HTTPS only), and the app runs behind a TLS-terminating proxy, so they are sent back over HTTP here."""
    import requests

    class Browser(requests.Session):
        def request(self, *args, **kwargs):
            response = super().request(*args, **kwargs)
            for c in self.cookies:
                c.secure = False
            return response

    browser = Browser()
    browser.cookies.set("session", cookie, domain="127.0.0.1", path="/")
    return browser


FORM = {"recipient": "Người mua", "phone": "0912345678", "province": "1", "ward": "70",
        "address_line": "12 Hàng Bạc", "note": "", "payment_method": "cod"}


def prepare(base: str, cookie: str):
    """Open the checkout and price it as the buyer's browser would; returns (session, the form to submit)."""
    s = _browser(cookie)
    page = s.get(base + "/checkout").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    page = s.post(base + "/checkout", data={**FORM, "csrf_token": token, "refresh": "1"}).text
    fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
              for name in ("csrf_token", "submission", "quoted_total")}
    return s, {**FORM, **fields}


# -- where the CPU goes --------------------------------------------------------------------------------------------


def _cpu_by_process() -> dict[int, tuple[str, int, float]]:
    """pid → (command, parent pid, user + system CPU seconds), from /proc."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        out[int(stat.parent.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return out


def cpu_shares(app_pid: int) -> dict[str, float]:
    """CPU seconds so far of the app's workers, PostgreSQL's processes and Redis."""
    shares = {"app": 0.0, "postgresql": 0.0, "redis": 0.0}
    for _pid, (name, parent, seconds) in _cpu_by_process().items():
        if parent == app_pid:
            shares["app"] += seconds
        elif name.startswith("postgres"):
            shares["postgresql"] += seconds
        elif name.startswith("redis-server"):
            shares["redis"] += seconds
    return shares


def client_cpu() -> float:
    """CPU seconds of this process (the load generator)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


# -- the race --------------------------------------------------------------------------------------------------------

def _raw_request(base: str, cookie: str, form: dict) -> bytes:
    """The bytes of one "place order" POST, as a browser sends it."""
    from urllib.parse import urlencode, urlsplit

    body = urlencode(form).encode()
    host = urlsplit(base).netloc
    return (f"POST /checkout HTTP/1.1\r\nHost: {host}\r\nCookie: session={cookie}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def race(base: str, prepared: list, concurrency: int):
    """Fire every prepared checkout over `concurrency` keep-alive connections (asyncio, raw HTTP/1.1: a few tenths of
    a millisecond of client CPU per request, so the load generator takes little from the app's two cores). Returns
    (seconds, outcomes, p50, p95, p99 in ms)."""
    import asyncio
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    requests = [_raw_request(base, session.cookies.get("session"), form) for session, form in prepared]
    latencies: list[float] = []
    outcomes: dict[str, int] = {"placed": 0, "sold out": 0}

    def outcome(status: int, headers: dict, body: bytes) -> str:
        location = headers.get("location", "")
        if status == 302 and "/done" in location:
            return "placed"
        if status == 302 and location.endswith("/cart/"):
            return "sold out"  # the cart repaired itself (the last units went): the buyer is shown why
        text = body.decode("utf-8", "replace")
        if status == 200 and ("hết hàng" in text or "Chỉ còn" in text):
            return "sold out"
        return f"other {status}"

    async def connection(queue: list):
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while queue:
            raw = queue.pop()
            t0 = time.perf_counter()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {k.strip().lower(): v.strip() for k, _sep, v in (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", 0)))
            latencies.append(time.perf_counter() - t0)
            kind = outcome(status, headers, body)
            outcomes[kind] = outcomes.get(kind, 0) + 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.close()

    async def main():
        queue = list(reversed(requests))
        await asyncio.gather(*(connection(queue) for _ in range(concurrency)))

    t0 = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - t0
    q = statistics.quantiles(sorted(latencies), n=100)
    return wall, outcomes, q[49] * 1000, q[94] * 1000, q[98] * 1000


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
           "RATELIMIT_ENABLED": "0",  # every buyer comes from this one address
           "FORCE_HTTPS": "0",  # plain HTTP on localhost, as behind a TLS-terminating proxy
           "REDIS_URL": args.redis_url}
    started = time.perf_counter()
    cookies = build(env, args.buyers, args.stock)
    print(f"built {args.buyers} signed-in buyers and {LISTINGS} listings of {args.stock} units in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(env, port, args.workers)
    try:
        with ThreadPoolExecutor(8) as pool:
            prepared = list(pool.map(lambda c: prepare(base, c), cookies))
        print(f"prepared {len(prepared)} checkout forms; racing (app pid {proc.pid})", flush=True)
        before, client_before = cpu_shares(proc.pid), client_cpu()
        wall, outcomes, p50, p95, p99 = race(base, prepared, args.concurrency)
        after, client_after = cpu_shares(proc.pid), client_cpu()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    audit = stock_audit(env, args.stock)
    attempts = len(prepared)
    cpu = {k: after[k] - before[k] for k in after}
    cpu["load generator"] = client_after - client_before
    print(f"{attempts} checkout attempts, {args.concurrency} at a time, gunicorn {args.workers} workers, "
          f"PostgreSQL, production config, {os.cpu_count()} cores")
    print(f"  {wall:.2f} s: {attempts / wall:.0f} attempts/s, {outcomes['placed'] / wall:.0f} placed "
          f"checkouts/s | outcomes {outcomes}")
    print(f"  latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms")
    print("  CPU per attempt: " + ", ".join(f"{k} {1000 * v / attempts:.2f} ms" for k, v in cpu.items())
          + f" | busy {100 * sum(cpu.values()) / wall / (os.cpu_count() or 1):.0f} % of the cores")
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
