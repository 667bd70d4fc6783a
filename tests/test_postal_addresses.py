import pytest

from marketplace.postal import addresses
from marketplace.postal.errors import InvalidAddress, InvalidAddressCode, NotAllowed, UnknownAddressCode
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD

HOAN_KIEM = (21.0285, 105.8542)


def test_code_is_ward_plus_plus_code_without_its_country_prefix_plus_check():
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    # 7PH72VH3+CM4 without 7P, which is the same all over northern and central Vietnam
    assert code.startswith("00070-H72VH-3CM4") and len(code) == 17


def test_full_plus_code_is_recovered_from_the_code_alone():
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    assert addresses.full_plus_code(code) == "7PH72VH3+CM4"
    south = addresses.encode(8.6981, 106.6115, 26732)  # Côn Đảo, below 10° N: 6P…
    assert addresses.full_plus_code(south).startswith("6PW8")


def test_every_single_typo_and_adjacent_swap_is_caught():
    compact = addresses.normalize(addresses.encode(10.7769, 106.7009, SAIGON_WARD))
    for i in range(15):
        alphabet = addresses.CHECK_ALPHABET if i == 14 else addresses.BODY_ALPHABET
        for ch in alphabet:
            if ch != compact[i]:
                with pytest.raises(InvalidAddressCode):
                    addresses.parse(compact[:i] + ch + compact[i + 1 :])
    for i in range(14):
        swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
        if swapped != compact:
            with pytest.raises(InvalidAddressCode):
                addresses.parse(swapped)


def test_parse_ignores_case_spaces_and_dashes():
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    assert addresses.parse(" " + code.lower().replace("-", " ") + " ") == code


@pytest.mark.parametrize("typed", ["", "12345", "00070-H72VH-3CM4VX", "00070-H72VH-3AB4V", "00070-2VH3-AB4J"])
def test_malformed_codes_get_a_clear_message(typed):
    with pytest.raises(InvalidAddressCode) as exc:
        addresses.parse(typed)
    assert str(exc.value)


def test_create_resolve_and_verify(db, make_user, make_point, make_clerk):
    owner, clerk = make_user(), make_clerk(make_point(HANOI_WARD))
    address = addresses.create_address(owner, *HOAN_KIEM, HANOI_WARD, "  12 Hàng Bạc ")
    db.session.commit()
    assert address.province_code == 1 and address.address_line == "12 Hàng Bạc"
    assert addresses.resolve(address.code.lower()).id == address.id
    assert not address.verified
    addresses.verify(address, clerk)
    assert address.verified and address.verified_by_id == clerk.id


def test_same_point_in_same_ward_gives_the_existing_address(db, make_user):
    a = addresses.create_address(make_user(), *HOAN_KIEM, HANOI_WARD, "12 Hàng Bạc")
    b = addresses.create_address(make_user(), *HOAN_KIEM, HANOI_WARD, "12 Hàng Bạc")
    assert a.id == b.id


def test_buyers_cannot_verify(db, make_user):
    address = addresses.create_address(None, *HOAN_KIEM, HANOI_WARD, "12 Hàng Bạc")
    with pytest.raises(NotAllowed):
        addresses.verify(address, make_user("buyer"))


@pytest.mark.parametrize("lat, lng, ward", [(48.85, 2.35, HANOI_WARD), (21.0, 105.8, 999_999), (21.0, 105.8, None)])
def test_create_refuses_positions_outside_vietnam_and_unknown_wards(db, lat, lng, ward):
    with pytest.raises(InvalidAddress):
        addresses.create_address(None, lat, lng, ward, "x")


def test_unknown_but_well_formed_code(db):
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    with pytest.raises(UnknownAddressCode):
        addresses.resolve(code)


def test_json_lookup(client, make_address):
    address = make_address(ward_code=HANOI_WARD, lat=HOAN_KIEM[0], lng=HOAN_KIEM[1], address_line="12 Hàng Bạc")
    body = client.get(f"/api/addresses/{address.code.lower()}").get_json()
    assert body == {
        "code": address.code,
        "address_line": "12 Hàng Bạc",
        "ward": "Phường Hoàn Kiếm",
        "ward_code": HANOI_WARD,
        "province": "Thành phố Hà Nội",
        "province_code": 1,
        "lat": HOAN_KIEM[0],
        "lng": HOAN_KIEM[1],
        "verified": False,
    }


def test_json_lookup_errors(client, db):
    bad = client.get("/api/addresses/00070-H72VH-3CM4X")
    assert bad.status_code == 400 and "error" in bad.get_json()
    missing = client.get(f"/api/addresses/{addresses.encode(*HOAN_KIEM, HANOI_WARD)}")
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_public_page_shows_the_address_and_sketch_without_fetching_tiles(client, make_address):
    address = make_address(ward_code=HANOI_WARD, address_line="12 Hàng Bạc")
    page = client.get(f"/dia-chi/{address.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "12 Hàng Bạc" in html and "Phường Hoàn Kiếm" in html and "<svg" in html
    assert "http://" not in html.split("<main", 1)[1].split("</main>")[0].replace("http://localhost", "")


def test_lookup_form_redirects_to_the_page_and_explains_typos(client, make_address):
    address = make_address()
    assert client.get("/dia-chi", query_string={"code": address.code.replace("-", " ")}).status_code == 302
    typo = client.get("/dia-chi", query_string={"code": address.code[:-1] + ("2" if address.code[-1] != "2" else "3")})
    assert typo.status_code == 400
    assert "check character" in typo.get_data(as_text=True) or "kiểm tra" in typo.get_data(as_text=True)


def test_qr_code_is_an_svg(client, make_address):
    address = make_address()
    response = client.get(f"/dia-chi/{address.code}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<path" in response.data


def test_signed_in_user_creates_an_address_from_typed_coordinates(client, auth, make_user, db):
    from marketplace.postal.models import DigitalAddress

    user = make_user()
    auth.login(user)
    assert client.get("/dia-chi/moi").status_code == 200
    response = client.post(
        "/dia-chi/moi",
        data={
            "lat": "21.0285",
            "lng": "105.8542",
            "province": "1",
            "ward": str(HANOI_WARD),
            "address_line": "12 Hàng Bạc",
        },
    )
    assert response.status_code == 302
    address = db.session.query(DigitalAddress).one()
    assert address.user_id == user.id and response.location.endswith(address.code)


def test_address_form_refuses_a_ward_of_another_province(client, auth, make_user, db):
    auth.login(make_user())
    response = client.post(
        "/dia-chi/moi",
        data={"lat": "21.0285", "lng": "105.8542", "province": "1", "ward": str(SAIGON_WARD), "address_line": "x"},
    )
    assert response.status_code == 200
    from marketplace.postal.models import DigitalAddress

    assert db.session.query(DigitalAddress).count() == 0


def test_address_form_needs_sign_in(client):
    assert client.get("/dia-chi/moi").status_code == 302


def test_clerk_verifies_on_the_page_and_buyer_cannot(client, auth, make_user, make_address, make_point, make_clerk, db):
    address = make_address()
    auth.login(make_user("buyer"))
    assert client.post(f"/dia-chi/{address.code}/xac-minh").status_code == 403
    auth.logout()
    clerk = make_clerk(make_point(address.ward_code))
    auth.login(clerk)
    assert "Xác minh địa chỉ này" in client.get(f"/dia-chi/{address.code}").get_data(as_text=True)
    assert client.post(f"/dia-chi/{address.code}/xac-minh").status_code == 302
    db.session.refresh(address)
    assert address.verified_by_id == clerk.id and address.verified_at is not None


def test_verify_form_is_csrf_protected(client, make_address, csrf_on):
    address = make_address()
    assert client.post(f"/dia-chi/{address.code}/xac-minh").status_code == 400


# --- codes that hold everywhere (issue 16) ------------------------------------------------------------------------


def _worst_decode_error_m(points) -> tuple[float, tuple]:
    from marketplace.postal.geodata import haversine_m

    worst, where = 0.0, None
    for lat, lng, ward in points:
        code = addresses.encode(lat, lng, ward)
        got = addresses.decode(code)
        error = haversine_m(lat, lng, *got)
        if error > worst:
            worst, where = error, (lat, lng, ward, code)
    return worst, where


def test_every_ward_decodes_offline_within_a_few_metres():
    """Around the centre of each of the 3,321 wards and out to 0.6° from it (farther than the old codes could
    reach from a province centre), the code alone gives back the position within 2.5 m."""
    from marketplace.geo.centres import all_centres

    points = []
    for c in all_centres():
        for dlat, dlng in ((0, 0), (0.6, -0.6), (-0.45, 0.55), (0.0123457, 0.0098765)):
            lat, lng = c.lat + dlat, c.lng + dlng
            if 6.5 <= lat <= 23.5 and 102 <= lng <= 117.5:
                points.append((lat, lng, c.code))
    worst, where = _worst_decode_error_m(points)
    print(f"\n{len(points)} positions in {len(all_centres())} wards: worst decode error {worst:.2f} m at {where}")
    assert len(all_centres()) == 3321
    assert worst < 2.5, where


ISLANDS = {
    # (lat, lng, ward): Phú Quốc (Dương Đông, An Thới, Hòn Thơm), Côn Đảo, Thổ Châu, Kiên Hải, Trường Sa, Hoàng Sa,
    # Bạch Long Vĩ, Cô Tô, Lý Sơn, Phú Quý
    "phu_quoc_duong_dong": (10.2173, 103.9597, 31078),
    "phu_quoc_an_thoi": (10.0136, 104.0093, 31078),
    "phu_quoc_hon_thom": (9.9573, 104.0150, 31078),
    "con_dao": (8.6826, 106.6081, 26732),
    "con_dao_hon_bay_canh": (8.6497, 106.6864, 26732),
    "tho_chau": (9.3022, 103.4830, 31105),
    "kien_hai": (9.8040, 104.6310, 31108),
    "truong_sa_lon": (8.6453, 111.9197, 22736),
    "song_tu_tay": (11.4306, 114.3331, 22736),
    "hoang_sa_phu_lam": (16.8340, 112.3380, 20333),
    "bach_long_vi": (20.1346, 107.7307, 11948),
    "co_to": (20.9870, 107.7790, 7192),
    "ly_son": (15.3850, 109.1150, 21548),
    "phu_quy": (10.5283, 108.9453, 23272),
}


@pytest.mark.parametrize("name", sorted(ISLANDS))
def test_island_addresses_register_and_decode_on_the_island(db, name):
    from marketplace.postal.geodata import haversine_m

    lat, lng, ward = ISLANDS[name]
    address = addresses.create_address(None, lat, lng, ward, "Bến tàu")
    assert haversine_m(lat, lng, *addresses.decode(address.code)) < 2.5


def test_a_position_far_from_its_ward_is_refused_with_a_message(app, db):
    cai_be = 28360  # Xã Cái Bè, Đồng Tháp
    with pytest.raises(InvalidAddress) as exc:
        addresses.create_address(None, *HOAN_KIEM, cai_be, "Ấp 1")
    with app.test_request_context():
        assert "km" in str(exc.value) and "Cái Bè" in str(exc.value)
    address = addresses.create_address(None, 10.3417, 106.0110, cai_be, "Ấp 1")  # in Cái Bè: accepted
    assert address.ward_code == cai_be


def test_an_old_code_still_resolves_and_decodes_near_its_ward(db, client):
    from marketplace.postal.models import DigitalAddress

    address = addresses.create_address(None, *HOAN_KIEM, HANOI_WARD, "12 Hàng Bạc")
    old_body = "00070" + "2VH3CM4"
    old = addresses.format_code(old_body + addresses.check_character(old_body))
    address.legacy_code = old
    db.session.commit()
    assert addresses.resolve(old.lower().replace("-", " ")).id == address.id
    assert client.get(f"/api/addresses/{old}").get_json()["code"] == address.code
    page = client.get(f"/dia-chi/{old}")
    assert page.status_code == 301 and page.location.endswith(address.code)
    from marketplace.postal.geodata import haversine_m

    assert haversine_m(*HOAN_KIEM, *addresses.decode(old)) < 2.5
    assert db.session.query(DigitalAddress).count() == 1
