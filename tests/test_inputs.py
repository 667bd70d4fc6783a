"""Hostile input gets a 4xx or a form message, never a 500: huge ids and prices, Unicode digits, NUL bytes, bidi
overrides, JSON that is not an object."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Listing


@pytest.mark.parametrize("path", [
    f"/p/{2**63}", f"/p/{2**31}", f"/h/{2**64}", f"/orders/{10**30}", f"/geo/provinces/{2**40}/wards",
    "/c/tr%00ai", "/tinh/ha_%00noi", "/dia-chi/%00", "/tra-cuu/EE%00123", "/media/%00x.webp",
])
def test_ids_beyond_the_database_and_nul_in_paths_are_not_found(client, path):
    assert client.get(path).status_code in (302, 404)


@pytest.mark.parametrize("query", [
    f"min_price={2**63}", f"max_price={2**64}&min_price=1", "min_price=²", "max_price=①", "page=²",
    f"page={2**70}", "province=%00", f"province={2**31}", "sort=%00", "in_stock=1%00",
])
def test_catalogue_filters_take_any_query_string(client, make_listing, query):
    listing = make_listing()
    for path in (f"/c/{listing.category.slug}", "/tinh/ha_noi", f"/search?q=x&{query}&category={2**31}", "/"):
        assert client.get(f"{path}?{query}" if "?" not in path else path).status_code == 200


def test_a_nul_byte_in_sign_in_is_a_wrong_password_not_an_error(client, make_user):
    make_user(phone="+84987654321")
    response = client.post("/account/login", data={"identifier": "0987654321\x00", "password": "x\x00y"})
    assert response.status_code == 200


def test_control_characters_and_bidi_overrides_never_reach_a_title(client, auth, db, make_household, make_category):
    import io

    from tests.fixtures.factories import photo_bytes

    household = make_household()
    auth.login(household.user)
    title = "Xoài\x00 cát\u202e gpj\u2066.exe\u2069\x1b"
    response = client.post("/my/listings/new", data={
        "title": title, "category": str(make_category().id), "unit": "kg", "price": "85.000", "stock": "4",
        "weight_grams": "1000", "availability": "in_stock", "description": "Ngọt\x00\u202d lắm\r\nthật",
        "photos": [(io.BytesIO(photo_bytes()), "x.jpg")],
    }, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    listing = db.session.scalar(select(Listing))
    assert listing.title == "Xoài cát gpj.exe"
    assert listing.description == "Ngọt lắm\r\nthật"


@pytest.mark.parametrize("field, value", [("stock", str(2**63)), ("weight_grams", "9" * 40), ("price", "9" * 30),
                                          ("shelf_life_days", "²"), ("min_order_qty", "-" + "9" * 20)])
def test_numbers_beyond_the_columns_get_a_form_message(client, auth, db, make_household, make_category, field, value):
    import io

    from tests.fixtures.factories import photo_bytes

    household = make_household()
    auth.login(household.user)
    data = {"title": "Xoài", "category": str(make_category().id), "unit": "kg", "price": "85.000", "stock": "4",
            "weight_grams": "1000", "availability": "in_stock", "photos": [(io.BytesIO(photo_bytes()), "x.jpg")]}
    data[field] = value
    response = client.post("/my/listings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert db.session.scalar(select(Listing)) is None


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "3", "null", "[" * 100_000 + "]" * 100_000, "{bad"])
def test_json_endpoints_answer_400_with_a_json_error_to_anything_but_an_object(client, auth, buyer, body):
    auth.login(buyer)
    response = client.post("/payments/checkout/1/confirm", data=body, content_type="application/json")
    assert response.status_code in (400, 404)
    response = client.post("/payments/stripe/webhook", data=body, content_type="application/json",
                           headers={"Stripe-Signature": "t=1,v1=00"})
    assert response.status_code == 400 and "error" in response.get_json()


def test_bidi_overrides_already_in_the_database_are_not_shown(client, make_listing):
    listing = make_listing(title="Xoài\u202e gpj.exe\u2066", description="Ngọt\u202d lắm")
    page = client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Xoài gpj.exe" in page and "Ngọt lắm" in page
    assert not any(ch in page for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
