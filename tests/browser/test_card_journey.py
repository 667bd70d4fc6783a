"""A buyer pays by card with Stripe.js Elements (localstripe's stand-in); the order turns paid only after the webhook."""

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import fill_address, sign_in


def test_card_payment_with_stripe_elements(page, stripe_on, db, make_user, make_listing):
    from marketplace.orders.models import Order

    listing = make_listing(title="Cà phê Robusta Buôn Ma Thuột", price=180_000, stock=20)
    buyer = make_user("buyer", email="mai@example.vn")
    sign_in(page, buyer)

    page.goto(f"/p/{listing.id}")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.goto("/cart")
    page.get_by_role("link", name="Tiến hành đặt hàng").click()
    fill_address(page)
    page.get_by_label("Thẻ (Visa, Mastercard)").check()
    page.get_by_role("button", name="Đặt hàng").click()

    expect(page.locator("#card-element input").first).to_be_visible()  # Elements mounted by Stripe.js
    inputs = page.locator("#card-element input")
    for i, value in enumerate(("4242424242424242", "12", "30", "123", "70000")):  # number, month, year, cvc, zip
        inputs.nth(i).fill(value)
    page.screenshot(path=page.screenshot_name("card-form"), full_page=True)
    page.get_by_role("button", name="Thanh toán").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn", timeout=30_000)

    db.session.commit()
    order = db.session.scalar(select(Order))
    assert order.payment_status.value == "paid"


def test_declined_card_says_why_in_vietnamese_and_the_buyer_pays_cash_instead(
    page, stripe_on, db, make_user, make_listing
):
    from marketplace.catalog.models import Listing
    from marketplace.orders.models import Order

    listing = make_listing(title="Hạt điều Bình Phước", price=250_000, stock=10)
    buyer = make_user("buyer", email="lan@example.vn")
    sign_in(page, buyer)
    page.goto(f"/p/{listing.id}")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.goto("/cart")
    page.get_by_role("link", name="Tiến hành đặt hàng").click()
    fill_address(page)
    page.get_by_label("Thẻ (Visa, Mastercard)").check()
    page.get_by_role("button", name="Đặt hàng").click()

    inputs = page.locator("#card-element input")
    expect(inputs.first).to_be_visible()
    for i, value in enumerate(("4000000000000341", "12", "30", "123", "70000")):  # a card the bank declines
        inputs.nth(i).fill(value)
    page.expected_console.append("status of 402 (PAYMENT REQUIRED)")  # the confirm call's answer to a declined card
    page.get_by_role("button", name="Thanh toán").click()
    expect(page.locator("#card-errors")).to_have_text(
        "Ngân hàng đã từ chối thẻ này. Hãy thử thẻ khác, hoặc trả tiền khi nhận hàng.", timeout=30_000
    )
    page.screenshot(path=page.screenshot_name("card-declined"), full_page=True)
    db.session.commit()
    assert db.session.get(Listing, listing.id).stock == 9  # the order and its stock wait for another card

    page.get_by_role("button", name="Chuyển sang trả tiền khi nhận hàng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
    expect(page.get_by_text("trả tiền cho bưu tá khi hàng đến")).to_be_visible()
    db.session.expire_all()
    order = db.session.scalar(select(Order))
    assert order.payment_method.value == "cod" and order.payment_status.value == "cod_pending"
