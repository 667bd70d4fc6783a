"""A buyer pays by VietQR bank transfer on a phone-sized and a desktop screen: the QR shown is read back from a
screenshot by zbar; the bank-statement stand-in reports the transfer; the page turns paid by itself, without a
reload. And a VNPay checkout round-trips through the VNPay stand-in in the browser."""

import json
import time
import urllib.request

from playwright.sync_api import expect
from sqlalchemy import select

from marketplace.payments import emvco
from tests.browser.helpers import fill_address, sign_in
from tests.fixtures.rails import ACCOUNT, BANK_BIN
from tests.qr import decode


def _checkout(page, method_label: str):
    page.goto("/cart")
    page.get_by_role("link", name="Tiến hành đặt hàng").click()
    fill_address(page)
    page.get_by_label(method_label).check()
    page.get_by_role("button", name="Đặt hàng").click()


def test_a_vietqr_transfer_turns_the_page_paid_without_a_reload(page, db, make_user, make_listing,
                                                                 statement_service):
    from marketplace.orders.models import Checkout

    listing = make_listing(title="Bưởi Năm Roi", price=70_000, stock=20)
    buyer = make_user("buyer", email=f"buoi{time.monotonic_ns()}@example.vn")
    sign_in(page, buyer)
    page.goto(f"/p/{listing.id}")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    _checkout(page, "Chuyển khoản VietQR")

    expect(page.get_by_role("heading", level=1)).to_contain_text("chuyển khoản")
    qr = page.locator("figure.vietqr img")
    expect(qr).to_be_visible()
    page.wait_for_function("document.querySelector('figure.vietqr img').naturalWidth > 0")
    page.screenshot(path=page.screenshot_name("vietqr"), full_page=True)
    [payload] = decode(qr.screenshot())  # what a phone's camera would read from the screen
    db.session.commit()
    checkout = db.session.scalar(select(Checkout).order_by(Checkout.id.desc()))
    fields = emvco.parse(payload)
    assert fields["38"]["01"] == {"00": BANK_BIN, "01": ACCOUNT} and fields["54"] == str(checkout.total)
    memo = fields["62"]["08"]
    assert memo == f"CNS TT{checkout.id:06d}"
    expect(page.locator("#transfer-memo")).to_have_text(memo)
    if page.viewport_size["width"] <= 360:  # nothing wider than a cheap phone's screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.evaluate("window.__notReloaded = true")
    request = urllib.request.Request(statement_service.url + "/_test/transfers", method="POST",
                                     headers={"Content-Type": "application/json"},
                                     data=json.dumps({"amount": checkout.total, "content": memo}).encode())
    started = time.monotonic()
    urllib.request.urlopen(request, timeout=30).read()
    expect(page.locator("#transfer-paid")).to_be_visible(timeout=5_000)
    elapsed = time.monotonic() - started
    assert page.evaluate("window.__notReloaded === true")  # the same page, updated by its status poll
    assert elapsed < 3, elapsed
    page.screenshot(path=page.screenshot_name("vietqr-paid"), full_page=True)


def test_a_vnpay_checkout_round_trips_through_the_stand_in_page(page, db, make_user, make_listing, vnpay_standin):
    from marketplace.orders.models import Checkout

    listing = make_listing(title="Mật ong hoa nhãn", price=150_000, stock=20)
    buyer = make_user("buyer", email=f"matong{time.monotonic_ns()}@example.vn")
    sign_in(page, buyer)
    page.goto(f"/p/{listing.id}")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    _checkout(page, "VNPay (ứng dụng ngân hàng, thẻ ATM, ví điện tử)")
    page.get_by_role("link", name="Sang VNPay").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("VNPay")  # the stand-in's payment page
    page.get_by_role("button", name="Thanh toán").click()
    expect(page.locator("#transfer-paid")).to_be_visible(timeout=10_000)  # back on our return page, paid by the IPN
    db.session.commit()
    assert db.session.scalar(select(Checkout).order_by(Checkout.id.desc())).payment_status.value == "paid"
