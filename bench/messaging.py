"""Time from order placement to the household's message, with the job worker running.

    .venv/bin/python bench/messaging.py [--orders 30] [--database-url postgresql://…/db] [--redis-url redis://…/15]

A fresh schema (SQLite in a temporary folder by default; the PostgreSQL database given is emptied), one household,
one listing, one buyer; the Zalo ZNS stand-in (the household has Zalo) on a local port; `flask jobs worker` running
against Redis in its own process. Each order is placed through the checkout service and committed; the figure is
the time from just before that commit to the moment the stand-in receives the household's ZNS request (one clock:
both run in this process). Also printed: the same with jobs inline (no Redis: the send runs in the request after
its commit) and how long the placing request itself took in each mode. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name:<44} n={len(ms):<3} p50 {statistics.median(ms):7.1f} ms   p95 {_pct(ms, 0.95):7.1f} ms   "
            f"max {max(ms):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-messaging-"))
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    from scripts.standins._server import Background
    from scripts.standins.zalo import ZaloStandIn

    templates = {"otp": "1", "order_new": "2", "order_reminder": "3", "order_ready": "4", "order_status": "5"}
    zalo = ZaloStandIn("bench-app", "bench-secret", "bench-refresh", templates=set(templates.values()), quota=10**6)
    arrivals: dict[str, float] = {}
    inner = zalo.__call__

    def stamped(environ, start_response):  # when each ZNS request arrives, by the phone it is for
        if environ.get("PATH_INFO") == "/message/template":
            from werkzeug.wrappers import Request

            body = Request(environ).get_json(silent=True) or {}
            arrivals.setdefault(str(body.get("tracking_id")), time.monotonic())
            return _replay(inner, environ, start_response, body)
        return inner(environ, start_response)

    server = Background(stamped).start()
    env = {
        "MARKETPLACE_CONFIG": "testing", "TEST_DATABASE_URL": db_url, "FLASK_APP": "wsgi",
        "ZALO_APP_ID": "bench-app", "ZALO_SECRET_KEY": "bench-secret", "ZALO_REFRESH_TOKEN": "bench-refresh",
        "ZALO_ZNS_URL": server.url + "/message/template", "ZALO_OAUTH_URL": server.url + "/v4/oa/access_token",
        "ZALO_TEMPLATES": __import__("json").dumps(templates), "UPLOAD_DIR": str(tmp / "uploads"),
        "SEARCH_INDEX_DIR": str(tmp / "search"),
    }
    os.environ.update(env)
    from marketplace import create_app

    app = create_app("testing")
    app.config.update(UPLOAD_DIR=str(tmp / "uploads"), SEARCH_INDEX_DIR=str(tmp / "search"))
    with app.app_context():
        household, listing, buyer, address = _world(app)
        print(f"database: {db_url.split('@')[-1]}   orders per mode: {args.orders}")
        inline_delay, inline_request = _run(app, household, listing, buyer, address, args.orders, arrivals)
        print(_line("inline (no Redis): order → household's Zalo", inline_delay))
        print(_line("inline (no Redis): placing request", inline_request))
        from redis import Redis

        redis = Redis.from_url(args.redis_url)
        try:
            redis.ping()
        except Exception as exc:  # noqa: BLE001 - a benchmark reports and stops
            print(f"no Redis at {args.redis_url} ({exc}): worker figures skipped")
            return
        redis.flushdb()
        app.config["REDIS_URL"] = args.redis_url
        app.extensions.pop("jobs_redis", None)
        flask = Path(sys.executable).with_name("flask")
        worker = subprocess.Popen([str(flask), "jobs", "worker"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, text=True,
                                  env={**os.environ, "TEST_REDIS_URL": args.redis_url})
        try:
            time.sleep(2.0)  # the worker connects and registers
            _run(app, household, listing, buyer, address, 3, arrivals)  # warm-up: the work horse's first imports
            worker_delay, worker_request = _run(app, household, listing, buyer, address, args.orders, arrivals)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            redis.flushdb()
        print(_line("worker + Redis: order → household's Zalo", worker_delay))
        print(_line("worker + Redis: placing request", worker_request))


def _replay(inner, environ, start_response, body):
    import io
    import json

    data = json.dumps(body).encode()
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    return inner(environ, start_response)


def _world(app):
    from flask_migrate import upgrade
    from PIL import Image
    from sqlalchemy import text

    from marketplace.accounts.models import Role, User
    from marketplace.accounts.passwords import hash_password
    from marketplace.catalog.models import Category, Listing, ListingPhoto, ListingStatus, Unit, price_per_kg
    from marketplace.extensions import db
    from marketplace.geo.models import Ward
    from marketplace.households.models import Household, HouseholdStatus
    from marketplace.media import store_photo
    from marketplace.orders.checkout import DeliveryAddress

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade()
    ward = db.session.get(Ward, 70)
    user = User(name="Hộ bench", phone="+84911000999", role=Role.HOUSEHOLD, password_hash=hash_password("x" * 10))
    buyer = User(name="Người mua", phone="+84912000999", role=Role.BUYER, password_hash=hash_password("x" * 10))
    household = Household(user=user, name="Hộ bench", representative="A", phone=user.phone, ward_code=ward.code,
                          province_code=ward.province_code, address_line="Thôn 1", status=HouseholdStatus.VERIFIED)
    category = Category(slug="bench", name_vi="Trái cây", name_en="Fruit", position=1, commission_bps=800)
    listing = Listing(household=household, category=category, title="Xoài cát", description="", unit=Unit.KG,
                      price=50_000, stock=10**6, weight_grams=1000, price_per_kg=price_per_kg(50_000, 1000, Unit.KG),
                      min_order_qty=1, origin_ward_code=ward.code, province_code=ward.province_code,
                      status=ListingStatus.ACTIVE)
    stored = store_photo(Image.new("RGB", (64, 48), (200, 120, 40)), "listings")
    listing.photos.append(ListingPhoto(position=0, filename=stored.filename, thumb=stored.thumb))
    db.session.add_all([user, buyer, household, category, listing])
    db.session.commit()
    address = DeliveryAddress(recipient="Lan", phone="+84912000999", ward_code=ward.code, address_line="12 Hàng Bạc")
    return household, listing, buyer, address


def _run(app, household, listing, buyer, address, n, arrivals):
    """Place `n` orders; returns (order → household's ZNS request seconds, placing-request seconds)."""
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.messaging.models import Message
    from marketplace.messaging.services import dedupe_id
    from marketplace.orders.checkout import place_checkout
    from marketplace.orders.models import PaymentMethod

    delays, requests = [], []
    for _ in range(n):
        t0 = time.monotonic()
        checkout = place_checkout(buyer, {listing.id: (1, listing.price)}, address, PaymentMethod.COD)
        order_id = checkout.orders[0].id
        db.session.commit()  # inline mode sends right here, after the commit
        requests.append(time.monotonic() - t0)
        message = db.session.scalar(select(Message).where(Message.order_id == order_id, Message.kind == "new_order"))
        tracking = dedupe_id(message, "zalo")
        deadline = time.monotonic() + 30
        while tracking not in arrivals and time.monotonic() < deadline:
            time.sleep(0.001)
        if tracking in arrivals:
            delays.append(arrivals[tracking] - t0)
        db.session.expire_all()
    return delays, requests


if __name__ == "__main__":
    main()
