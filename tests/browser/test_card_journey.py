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
