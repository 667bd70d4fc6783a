import pytest

from marketplace.postal import addresses
from marketplace.postal.errors import InvalidAddress, InvalidAddressCode, NotAllowed, UnknownAddressCode
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD

HOAN_KIEM = (21.0285, 105.8542)


def test_code_is_ward_plus_shortened_plus_code_plus_check():
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    # 7PH72VH3+CM4 without its 1° area prefix 7PH7
    assert code.startswith("00070-2VH3-CM4") and len(code) == 15


def test_full_plus_code_is_recovered_from_a_nearby_reference():
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    assert addresses.full_plus_code(code, 21.3, 105.6) == "7PH72VH3+CM4"


def test_every_single_typo_and_adjacent_swap_is_caught():
    compact = addresses.normalize(addresses.encode(10.7769, 106.7009, SAIGON_WARD))
    for i in range(13):
        alphabet = addresses.CHECK_ALPHABET if i == 12 else addresses.BODY_ALPHABET
        for ch in alphabet:
            if ch != compact[i]:
                with pytest.raises(InvalidAddressCode):
                    addresses.parse(compact[:i] + ch + compact[i + 1 :])
    for i in range(12):
        swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
        if swapped != compact:
            with pytest.raises(InvalidAddressCode):
                addresses.parse(swapped)


def test_parse_ignores_case_spaces_and_dashes():
    code = addresses.encode(*HOAN_KIEM, HANOI_WARD)
    assert addresses.parse(" " + code.lower().replace("-", " ") + " ") == code


@pytest.mark.parametrize("typed", ["", "12345", "00070-2VH3-CM4JX", "00070-2VH3-AB4J"])
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
    bad = client.get("/api/addresses/00070-2VH3-CM4X")
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
