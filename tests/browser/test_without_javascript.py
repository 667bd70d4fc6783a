"""The core flows work with JavaScript switched off (old phones, data-saving browsers): browse, cart, checkout."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.conftest import WIDTHS
from tests.fixtures.factories import SAIGON_WARD


@pytest.fixture
def plain_page(browser, live_server, app, csrf_on):
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS["phone"])), base_url=live_server,
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_browse_cart_and_cod_checkout_without_javascript(plain_page, db, make_user, make_listing, make_category):
    from marketplace.orders.models import Order

    page = plain_page
    fruit = make_category(slug="trai-cay", name_vi="Trái cây", name_en="Fruit")
    make_listing(category=fruit, title="Bưởi da xanh Bến Tre", price=55_000, stock=10)
    buyer = make_user("buyer", email="no-js@example.vn")

    page.goto("/account/login")
    page.get_by_label("Số điện thoại hoặc e-mail").fill(buyer.email)
    page.get_by_label("Mật khẩu").fill("secret-pass-1")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto("/")
    page.get_by_role("link", name="Trái cây").click()
    page.get_by_role("link", name="Bưởi da xanh Bến Tre").first.click()
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.goto("/cart")
    page.get_by_role("link", name="Tiến hành đặt hàng").click()

    page.get_by_label("Tên người nhận").fill("Lê Văn Tám")
    page.get_by_label("Số điện thoại di động").fill("0912 000 111")
    page.get_by_label("Tỉnh/thành phố").select_option(value="79")
    page.get_by_label("Số nhà, thôn/ấp, đường").fill("3 Nguyễn Huệ")
    page.get_by_role("button", name="Tính phí vận chuyển và tổng tiền").click()  # no JS: the server prices it
    expect(page.locator("#order-summary")).to_contain_text("Phí vận chuyển")  # the total is shown before placing
    page.get_by_label("Xã/phường").select_option(value=str(SAIGON_WARD))
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
    db.session.commit()
    assert db.session.scalar(select(func.count(Order.id))) == 1
