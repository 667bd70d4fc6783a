import pytest
from sqlalchemy import func, select

from marketplace.postal.errors import NoServicePoint
from marketplace.postal.models import ServicePoint
from marketplace.postal.points import delivery_point, origin_point
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD
from tests.fixtures.postal import HANOI_WARD_2


def test_origin_is_the_point_of_the_households_ward(make_point):
    here = make_point(HANOI_WARD)
    make_point(HANOI_WARD_2)
    assert origin_point(HANOI_WARD).id == here.id


def test_delivery_point_is_the_nearest_of_the_wards_points(make_point):
    north = make_point(SAIGON_WARD, lat=10.80, lng=106.70)
    south = make_point(SAIGON_WARD, lat=10.75, lng=106.70)
    assert delivery_point(SAIGON_WARD, 10.79, 106.70).id == north.id
    assert delivery_point(SAIGON_WARD, 10.76, 106.70).id == south.id


def test_a_ward_without_point_is_served_by_the_nearest_point_of_its_province(make_point):
    far = make_point(HANOI_WARD, lat=21.30, lng=105.50)
    near = make_point(HANOI_WARD_2, lat=21.03, lng=105.85)
    other_ward = 4  # Phường Ba Đình, no point of its own
    assert delivery_point(other_ward, 21.035, 105.84).id == near.id
    assert delivery_point(other_ward, 21.29, 105.51).id == far.id


def test_no_point_in_the_province_is_a_clear_error(make_point):
    make_point(HANOI_WARD)
    with pytest.raises(NoServicePoint):
        delivery_point(SAIGON_WARD)


def test_inactive_points_do_not_serve(db, make_point):
    point = make_point(SAIGON_WARD)
    point.active = False
    db.session.commit()
    with pytest.raises(NoServicePoint):
        delivery_point(SAIGON_WARD)


def test_load_points_csv_is_an_idempotent_upsert(runner, db, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(
        "code,name,ward_code,lat,lng,opening_hours\n"
        f"BC100001,Bưu cục Hoàn Kiếm,{HANOI_WARD},21.0285,105.8542,7:00–17:00\n"
        f"bc700001,Bưu cục Sài Gòn,{SAIGON_WARD},10.7769,106.7009,\n",
        encoding="utf-8",
    )
    first = runner.invoke(args=["postal", "load-points", str(path)])
    assert first.exit_code == 0, first.output
    assert "2 created, 0 updated" in first.output
    path.write_text(path.read_text(encoding="utf-8").replace("Bưu cục Sài Gòn", "Bưu cục Sài Gòn 1"), encoding="utf-8")
    second = runner.invoke(args=["postal", "load-points", str(path)])
    assert "0 created, 2 updated" in second.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ServicePoint)) == 2
    assert db.session.scalar(select(ServicePoint.name).where(ServicePoint.code == "BC700001")) == "Bưu cục Sài Gòn 1"


def test_load_points_rejects_a_bad_line_and_keeps_nothing(runner, db, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(
        "code,name,ward_code,lat,lng,opening_hours\n"
        f"BC100001,A,{HANOI_WARD},21.0,105.8,\n"
        "BC100002,B,999999,21.0,105.8,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["postal", "load-points", str(path)])
    assert result.exit_code != 0 and "line 3" in result.output
    assert db.session.scalar(select(func.count()).select_from(ServicePoint)) == 0


def test_demo_points_give_every_ward_of_the_provinces_a_point_inside_vietnam(db):
    from marketplace.geo.models import Ward
    from marketplace.postal.demo import create_demo_points
    from marketplace.postal.geodata import in_vietnam

    created = create_demo_points([1, 79])
    db.session.commit()
    wards = db.session.scalar(select(func.count()).select_from(Ward).where(Ward.province_code.in_([1, 79])))
    assert created == wards > 100
    assert create_demo_points([1, 79]) == 0
    points = list(db.session.scalars(select(ServicePoint)))
    assert all(in_vietnam(p.lat, p.lng) for p in points)
    assert delivery_point(SAIGON_WARD).code == f"BC{SAIGON_WARD:05d}"


def test_geodata_knows_all_34_provinces(db):
    from marketplace.geo.models import Province
    from marketplace.postal.geodata import PROVINCE_CENTRES, in_vietnam

    assert set(PROVINCE_CENTRES) == set(db.session.scalars(select(Province.code)))
    assert all(in_vietnam(lat, lng) for lat, lng, _e in PROVINCE_CENTRES.values())
