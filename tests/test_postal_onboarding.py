"""Assisted onboarding: a clerk registers a household at the counter, prints its sign-in sheet, and manages its
listings on its behalf; a clerk of another point gets 404."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import verify_password
from marketplace.catalog.models import Listing
from marketplace.households.models import Household, HouseholdStatus
from marketplace.postal.models import DigitalAddress
from tests.fixtures.factories import HANOI_WARD, photo_bytes
from tests.fixtures.postal import HANOI_WARD_2

FORM = {
    "name": "Hộ ông Ba Vườn Cam",
    "representative": "Nguyễn Văn Ba",
    "phone": "0977 123 456",
    "ward": str(HANOI_WARD),
    "address_line": "Thôn Đông, số 5",
    "lat": "21.0301",
    "lng": "105.8520",
}


def _listing_form(category, **overrides):
    data = {
        "title": "Cam Canh",
        "category": str(category.id),
        "unit": "kg",
        "price": "45.000",
        "stock": "30",
        "weight_grams": "1050",
        "min_order_qty": "1",
        "availability": "in_stock",
        "photos": [(io.BytesIO(photo_bytes()), "cam.jpg")],
    }
    data.update(overrides)
    return data


def test_a_clerk_registers_a_household_prints_its_sheet_and_lists_for_it(
    client, auth, db, postal_world, make_category, make_point, make_clerk
):
    w = postal_world
    auth.login(w.origin_clerk)
    response = client.post("/buu-cuc/ho/moi", data=FORM)
    assert response.status_code == 302
    household = db.session.scalar(select(Household).where(Household.name == FORM["name"]))
    assert household.status is HouseholdStatus.VERIFIED and household.verified_by_id == w.origin_clerk.id
    assert household.province_code == w.origin.province_code and household.user.role is Role.HOUSEHOLD
    address = db.session.scalar(select(DigitalAddress).where(DigitalAddress.household_id == household.id))
    assert address.verified and address.verified_by_id == w.origin_clerk.id

    sheet = client.post(f"/buu-cuc/ho/{household.id}/phieu.pdf")
    assert sheet.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.data)).pages)
    assert address.code in text and "0977" in text.replace(" ", "")
    password = text.split("Mật khẩu tạm thời:")[1].split()[0]
    db.session.refresh(household.user)
    assert verify_password(household.user.password_hash, password)

    category = make_category()
    created = client.post(
        f"/buu-cuc/ho/{household.id}/san-pham/moi", data=_listing_form(category), content_type="multipart/form-data"
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    listing = db.session.scalar(select(Listing).where(Listing.household_id == household.id))
    assert listing.created_by_id == w.origin_clerk.id
    edited = client.post(
        f"/buu-cuc/ho/{household.id}/san-pham/{listing.id}",
        data=_listing_form(category, price="48.000", photos=[]),
        content_type="multipart/form-data",
    )
    assert edited.status_code == 302
    db.session.refresh(listing)
    assert listing.price == 48_000
    auth.logout()

    # a clerk of another point: 404 everywhere, nothing changes
    stranger = make_clerk(make_point(HANOI_WARD_2, code="BC10073"))
    auth.login(stranger)
    for method, url in [
        ("get", f"/buu-cuc/ho/{household.id}"),
        ("post", f"/buu-cuc/ho/{household.id}/phieu.pdf"),
        ("get", f"/buu-cuc/ho/{household.id}/san-pham/moi"),
        ("post", f"/buu-cuc/ho/{household.id}/san-pham/{listing.id}"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    assert (
        client.post(
            f"/buu-cuc/ho/{household.id}/san-pham/moi", data=_listing_form(category), content_type="multipart/form-data"
        ).status_code
        == 404
    )
    assert db.session.scalar(select(Listing).where(Listing.title == "Cam Canh", Listing.id != listing.id)) is None


def test_a_clerk_registers_only_in_his_province_and_only_new_phones(client, auth, db, postal_world, make_user):
    from tests.fixtures.factories import SAIGON_WARD

    auth.login(postal_world.origin_clerk)
    assert client.post("/buu-cuc/ho/moi", data={**FORM, "ward": str(SAIGON_WARD)}).status_code == 400
    make_user("buyer", phone="+84977123456")
    taken = client.post("/buu-cuc/ho/moi", data=FORM)
    assert taken.status_code == 400 and "Số điện thoại này đã có tài khoản" in taken.get_data(as_text=True)
    assert db.session.scalar(select(Household).where(Household.name == FORM["name"])) is None
    assert db.session.scalar(select(User).where(User.role == Role.HOUSEHOLD)) is not None  # the world's own household


def test_a_household_signing_in_with_the_sheets_password_must_choose_its_own_first(
    client, auth, db, postal_world
):
    w = postal_world
    auth.login(w.origin_clerk)
    assert client.post("/buu-cuc/ho/moi", data=FORM).status_code == 302
    household = db.session.scalar(select(Household).where(Household.name == FORM["name"]))
    sheet = client.post(f"/buu-cuc/ho/{household.id}/phieu.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.data)).pages)
    temporary = text.split("Mật khẩu tạm thời:")[1].split()[0]
    auth.logout()

    auth.login(household.user, password=temporary)
    for path in ("/", "/my/listings", "/orders"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/account/password"), path
    assert client.get("/api/addresses/xyz").status_code == 403
    page = client.get("/account/password").get_data(as_text=True)
    assert "phiếu đăng nhập" in page
    same = client.post("/account/password", data={"current": temporary, "new": temporary, "confirm": temporary})
    assert same.status_code == 200 and "khác với mật khẩu hiện tại" in same.get_data(as_text=True)
    changed = client.post("/account/password", data={"current": temporary, "new": "cam-ngot-2026", "confirm": "cam-ngot-2026"})
    assert changed.status_code == 302
    assert client.get("/my/listings").status_code == 200
    db.session.refresh(household.user)
    assert not household.user.must_change_password
    assert not verify_password(household.user.password_hash, temporary)
