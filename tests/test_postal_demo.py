"""The demo has a postal network: points in the demo provinces, the clerk at the first household's point, addresses."""

import time

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.demo import load_demo, postal_summary
from marketplace.demo.data import CLERK_EMAIL, HOUSEHOLDS
from marketplace.households.models import Household
from marketplace.postal.models import DigitalAddress, ServicePoint
from marketplace.postal.points import origin_point, point_of


def test_the_demo_loads_points_the_clerk_and_digital_addresses(runner, db):
    started = time.perf_counter()
    assert load_demo() is True
    elapsed = time.perf_counter() - started
    households = db.session.scalars(select(Household)).all()
    assert {h.province_code for h in households} <= set(db.session.scalars(select(ServicePoint.province_code)))
    first = next(h for h in households if h.phone.endswith("911000001"))
    clerk = db.session.scalar(select(User).where(User.email == CLERK_EMAIL))
    assert point_of(clerk).id == origin_point(first.ward_code).id
    addresses = db.session.scalars(select(DigitalAddress)).all()
    assert len(addresses) == len(HOUSEHOLDS) + 1 and all(a.verified for a in addresses)
    assert len({a.code for a in addresses}) == len(addresses)
    summary = postal_summary()
    points = db.session.scalar(select(func.count()).select_from(ServicePoint))
    assert load_demo() is False
    assert db.session.scalar(select(func.count()).select_from(ServicePoint)) == points
    output = runner.invoke(args=["demo", "load"]).output
    assert summary["buyer_address"] in output and summary["clerk_point"] in output
    print(f"load_demo with {points} service points: {elapsed:.1f} s")
