"""A postal clerk at the counter scans a parcel, weighs it, accepts it and prints its label."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.fixtures.factories import SAIGON_WARD
from tests.postal_barcode import decode_pdf_barcode


def test_clerk_scans_weighs_and_prints_the_label(page, make_point, make_clerk, make_household, make_parcel):
    household = make_household(name="Hộ chè Tân Cương")
    point = make_point(household.ward_code)
    make_point(SAIGON_WARD)  # the buyer's delivery point
    clerk = make_clerk(point, email="gdv@buudien.vn")
    parcel = make_parcel(household, declared=1000, cod=185_000)
    number = parcel.tracking_number

    page.goto("/account/login")
    page.get_by_label("Số điện thoại hoặc e-mail").fill(clerk.email)
    page.get_by_label("Mật khẩu").fill("secret-pass-1")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto("/buu-cuc")
    scan = page.get_by_label("Số hiệu bưu gửi")
    expect(scan).to_be_focused()  # ready for the keyboard-wedge scanner
    scan.fill(number.lower())  # scanners and people type in any case
    scan.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number[:2])

    page.get_by_label("Khối lượng trên cân (gam)").fill("1300")
    page.get_by_role("button", name="Nhận bưu gửi").click()
    expect(page.locator("dl.facts")).to_contain_text("5.000 ₫")  # surcharge for a started 500 g above declared
    page.screenshot(path=page.screenshot_name("accepted"), full_page=True)

    href = page.get_by_role("link", name="In nhãn (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert decode_pdf_barcode(reader) == number
