"""Dashboard benchmark: the strategy, household and desk figures over a synthetic market, timed in-process.

    .venv/bin/python bench/dashboards.py [--households 3000] [--orders 30000] [--database-url postgresql://…]

Builds a fresh database from the migrations (SQLite file in a temporary folder unless --database-url is given; the
PostgreSQL database is emptied first), bulk-inserts households across every ward, listings, delivered orders with
their events and ledger rows spread over 90 days, then times each dashboard query set (best of 5). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(households: int, orders: int) -> None:
    from sqlalchemy import insert, select

    from marketplace.accounts.models import Role, User
    from marketplace.catalog.models import Category, Listing, Unit
    from marketplace.extensions import db
    from marketplace.geo.models import Ward
    from marketplace.households.models import Household, HouseholdStatus
    from marketplace.orders.models import (
        Checkout,
        LedgerEntry,
        LedgerKind,
        Order,
        OrderEvent,
        OrderStatus,
        PaymentMethod,
        PaymentStatus,
    )
    from marketplace.postal.models import Service

    rnd = random.Random(6)
    now = datetime.now(UTC)
    wards = db.session.execute(select(Ward.code, Ward.province_code)).all()
    started = time.perf_counter()
    db.session.execute(
        insert(User),
        [
            {"name": f"Hộ {i}", "phone": f"+8490{i:07d}", "password_hash": "x", "role": Role.HOUSEHOLD}
            for i in range(households + 1)
        ],
    )
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    buyer_id = user_ids[-1]
    db.session.execute(insert(Category), [{"slug": "b", "name_vi": "Rau", "name_en": "Veg", "commission_bps": 800}])
    cat_id = db.session.scalar(select(Category.id))
    rows = []
    for i, uid in enumerate(user_ids[:-1]):
        ward, province = wards[rnd.randrange(len(wards))]
        status = HouseholdStatus.VERIFIED if rnd.random() < 0.7 else HouseholdStatus.PENDING
        rows.append(
            {
                "user_id": uid,
                "name": f"Hộ {i}",
                "representative": "A",
                "phone": f"+8490{i:07d}",
                "ward_code": ward,
                "province_code": province,
                "address_line": "Thôn 1",
                "status": status,
            }
        )
    db.session.execute(insert(Household), rows)
    hh = db.session.execute(select(Household.id, Household.ward_code, Household.province_code)).all()
    db.session.execute(
        insert(Listing),
        [
            {
                "household_id": h,
                "category_id": cat_id,
                "title": f"Sản phẩm {h}",
                "unit": Unit.KG,
                "price": 30_000,
                "stock": rnd.randrange(0, 40),
                "weight_grams": 1000,
                "price_per_kg": 30_000,
                "origin_ward_code": w,
                "province_code": p,
            }
            for h, w, p in hh
            if rnd.random() < 0.8
        ],
    )
    listing_of = dict(db.session.execute(select(Listing.household_id, Listing.id)).all())
    sellers = [h for h in hh if h[0] in listing_of]
    db.session.execute(
        insert(Checkout),
        [
            {
                "buyer_id": buyer_id,
                "payment_method": PaymentMethod.COD,
                "payment_status": PaymentStatus.COD_COLLECTED,
                "total": 0,
                "recipient": "B",
                "phone": "+84912345678",
                "ward_code": wards[0][0],
                "province_code": wards[0][1],
                "address_line": "1",
            }
        ],
    )
    checkout_id = db.session.scalar(select(Checkout.id))
    placed_times = [now - timedelta(days=rnd.uniform(0, 90)) for _ in range(orders)]
    order_rows = []
    for placed in placed_times:
        h = sellers[rnd.randrange(len(sellers))][0]
        cod = rnd.random() < 0.85
        order_rows.append(
            {
                "checkout_id": checkout_id,
                "buyer_id": buyer_id,
                "household_id": h,
                "status": OrderStatus.DELIVERED,
                "payment_method": PaymentMethod.COD if cod else PaymentMethod.CARD,
                "payment_status": PaymentStatus.COD_COLLECTED if cod else PaymentStatus.PAID,
                "goods_total": 60_000,
                "shipping_fee": 20_000,
                "commission": 4_800,
                "weight_grams": 2000,
                "shipping_service": Service.EXPRESS if rnd.random() < 0.3 else Service.STANDARD,
                "created_at": placed,
            }
        )
    db.session.execute(insert(Order), order_rows)
    orders_db = db.session.execute(select(Order.id, Order.household_id, Order.created_at, Order.payment_method)).all()
    events, ledger = [], []
    for oid, h, placed, method in orders_db:
        delivered = placed + timedelta(days=rnd.uniform(0.5, 5))
        events.append(
            {
                "order_id": oid,
                "from_status": OrderStatus.PLACED,
                "to_status": OrderStatus.HANDED_OVER,
                "created_at": placed + timedelta(hours=6),
            }
        )
        events.append(
            {
                "order_id": oid,
                "from_status": OrderStatus.OUT_FOR_DELIVERY,
                "to_status": OrderStatus.DELIVERED,
                "created_at": delivered,
            }
        )
        ledger.append(
            {"household_id": h, "order_id": oid, "kind": LedgerKind.SALE, "amount": 60_000, "created_at": delivered}
        )
        ledger.append(
            {
                "household_id": h,
                "order_id": oid,
                "kind": LedgerKind.COMMISSION,
                "amount": -4_800,
                "created_at": delivered,
            }
        )
        if method is PaymentMethod.COD:
            ledger.append(
                {
                    "household_id": h,
                    "order_id": oid,
                    "kind": LedgerKind.COD_COLLECTED,
                    "amount": 80_000,
                    "created_at": delivered,
                }
            )
    db.session.execute(insert(OrderEvent), events)
    db.session.execute(insert(LedgerEntry), ledger)
    db.session.commit()
    print(
        f"built {households} households, {len(listing_of)} listings, {orders} orders, {len(events)} events, "
        f"{len(ledger)} ledger rows in {time.perf_counter() - started:.1f} s"
    )


def best_of(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--orders", type=int, default=30000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-dash-")
    os.environ["TEST_DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.db"
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from marketplace import create_app
    from marketplace.dashboards import clerk, services, strategy
    from marketplace.extensions import db
    from marketplace.households.models import Household
    from marketplace.orders.models import Order

    app = create_app("testing")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        build(args.households, args.orders)
        if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would have gathered
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        busiest = db.session.get(
            Household,
            db.session.scalar(
                select(Order.household_id).group_by(Order.household_id).order_by(func.count().desc()).limit(1)
            ),
        )
        print(f"database: {db.engine.dialect.name}")
        print(f"{'figures':<42} {'ms (best of 5)':>14}")
        for name, fn in (
            ("strategy: provinces (34 rows)", strategy.province_rows),
            ("strategy: ward coverage", strategy.ward_coverage),
            ("strategy: deliveries, 365 days", lambda: strategy.deliveries(365)),
            ("strategy: deliveries per day, 365 days", lambda: strategy.deliveries_by_day(365)),
            ("household dashboard, 90 days (busiest)", lambda: services.household_dashboard(busiest, 90)),
            ("desk per day, 30 days", lambda: clerk.desk_by_day(30)),
        ):
            print(f"{name:<42} {best_of(fn):>14.1f}")


if __name__ == "__main__":
    main()
