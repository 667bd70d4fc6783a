import pytest

from marketplace.postal import maps
from tests.fixtures.factories import HANOI_WARD


def test_tile_of_a_point_and_where_it_falls_on_it():
    assert maps.tile("", 21.0, 105.8) is None
    t = maps.tile("https://t.example/{z}/{x}/{y}.png", 0.0, 0.0, zoom=1)
    assert t.url == "https://t.example/1/1/1.png" and (t.left, t.top) == (0.0, 0.0)
    hanoi = maps.tile("https://t.example/{z}/{x}/{y}.png", 21.0285, 105.8542)
    # x = (lng + 180) / 360 · 2^16 = 52038.2; y = (1 − ln(tan φ + sec φ) / π) / 2 · 2^16 = 28850.9
    assert hanoi.url == "https://t.example/16/52038/28850.png"
    assert (hanoi.left, hanoi.top) == (16.9, 92.4)
    assert 0 <= hanoi.left < 100 and 0 <= hanoi.top < 100


def test_sketch_places_the_address_and_the_wards_points_inside_the_frame(make_point, make_address):
    point = make_point(HANOI_WARD, lat=21.0300, lng=105.8500)
    address = make_address(ward_code=HANOI_WARD, lat=21.0285, lng=105.8542)
    markers = maps.sketch(address)
    assert [m.kind for m in markers] == ["point", "address"] and markers[0].label == point.name
    assert all(5 <= m.x <= 95 and 5 <= m.y <= 95 for m in markers)
    assert markers[1].x > markers[0].x and markers[1].y > markers[0].y  # east and south of the post office


@pytest.mark.parametrize("template", ["", "https://tiles.example/{z}/{x}/{y}.png"])
def test_address_page_fetches_a_tile_only_when_the_operator_configured_one(app, client, make_address, template):
    app.config["MAP_TILE_URL"] = template
    try:
        html = client.get(f"/dia-chi/{make_address().code}").get_data(as_text=True)
    finally:
        app.config["MAP_TILE_URL"] = ""
    assert ("https://tiles.example/16/" in html) is bool(template)
    assert "<svg" in html


def test_assign_clerk_command(runner, db, make_user, make_point):
    clerk, point = make_user("clerk", email="clerk@example.vn"), make_point()
    result = runner.invoke(args=["postal", "assign-clerk", "clerk@example.vn", point.code])
    assert result.exit_code == 0, result.output
    from marketplace.postal.points import point_of

    assert point_of(clerk).id == point.id
    assert runner.invoke(args=["postal", "assign-clerk", "nobody@example.vn", point.code]).exit_code != 0
