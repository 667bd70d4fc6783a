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
    from marketplace.relief.demo import ISLAND_RECIPIENTS

    assert len(addresses) == len(HOUSEHOLDS) + 1 + len(ISLAND_RECIPIENTS)
    assert all(a.verified for a in addresses if a.user_id is not None)
    assert len({a.code for a in addresses}) == len(addresses)
    summary = postal_summary()
    points = db.session.scalar(select(func.count()).select_from(ServicePoint))
    assert load_demo() is False
    assert db.session.scalar(select(func.count()).select_from(ServicePoint)) == points
    output = runner.invoke(args=["demo", "load"]).output
    assert summary["buyer_address"] in output and summary["clerk_point"] in output
    print(f"load_demo with {points} service points: {elapsed:.1f} s")


def test_every_island_demo_address_decodes_on_its_island(app, db):
    from marketplace.demo import load_demo
    from marketplace.postal import addresses
    from marketplace.postal.geodata import haversine_m
    from marketplace.postal.models import DigitalAddress

    load_demo()
    # Phú Quốc and Côn Đảo: each code decodes inside its island group's box (lat, lng ranges)
    islands = {31078: ((9.8, 10.5), (103.8, 104.1)), 26732: ((8.55, 8.8), (106.5, 106.75))}
    rows = db.session.query(DigitalAddress).filter(DigitalAddress.ward_code.in_(list(islands))).all()
    assert len(rows) >= 3
    for a in rows:
        lat, lng = addresses.decode(a.code)
        (lat0, lat1), (lng0, lng1) = islands[a.ward_code]
        assert haversine_m(lat, lng, a.lat, a.lng) < 2.5
        assert lat0 <= lat <= lat1 and lng0 <= lng <= lng1, a.code
    assert load_demo() is False  # idempotent
