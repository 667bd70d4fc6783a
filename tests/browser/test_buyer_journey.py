"""A buyer searches without diacritics, fills a cart from two households, pays cash on delivery and sees the orders."""

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.helpers import fill_address
from tests.fixtures.factories import SAIGON_WARD


def add_from_search(page, query, title):
    page.locator("#site-search").fill(query)
    page.locator("#site-search").press("Enter")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="Thêm vào giỏ").click()


def test_buyer_searches_fills_a_cart_from_two_households_and_pays_cod(page, db, make_user, make_household,
                                                                     make_listing, make_category):
    from marketplace.orders.models import Order

    drinks = make_category(slug="ca-phe-tra", name_vi="Cà phê & trà", name_en="Coffee & tea")
    fruit = make_category(slug="trai-cay", name_vi="Trái cây", name_en="Fruit")
    coffee_farm = make_household(name="Hộ cà phê Ê Đê", ward_code=SAIGON_WARD)
    lychee_farm = make_household(name="Vườn vải Lục Ngạn")
    make_listing(coffee_farm, category=drinks, title="Cà phê Robusta Buôn Ma Thuột", price=180_000, stock=30)
    make_listing(lychee_farm, category=fruit, title="Vải thiều Lục Ngạn", price=65_000, stock=50, shelf_life_days=3)
    buyer = make_user("buyer", email="lan@example.vn")

    page.goto("/")
    add_from_search(page, "ca phe", "Cà phê Robusta Buôn Ma Thuột")
    add_from_search(page, "vai thieu", "Vải thiều Lục Ngạn")
    page.goto("/cart")
    expect(page.locator("main")).to_contain_text("Hộ cà phê Ê Đê")
    expect(page.locator("main")).to_contain_text("Vườn vải Lục Ngạn")
    page.get_by_role("link", name="Tiến hành đặt hàng").click()
    if "/account/login" in page.url:  # guests sign in at checkout; the cart comes along
        page.get_by_label("Số điện thoại hoặc e-mail").fill(buyer.email)
        page.get_by_label("Mật khẩu").fill("secret-pass-1")
        page.get_by_role("button", name="Đăng nhập").click()
    fill_address(page)
    summary = page.locator("#order-summary")
    expect(summary).to_contain_text("Phí vận chuyển")  # shipping per parcel and the total, before placing
    expect(summary).to_contain_text("Cần thanh toán")
    page.screenshot(path=page.screenshot_name("checkout"), full_page=True)
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
    expect(page.locator("main")).to_contain_text("tiền mặt")
    page.screenshot(path=page.screenshot_name("thanks"), full_page=True)

    page.locator("main .card a").first.click()
    expect(page.locator("main")).to_contain_text("Đơn hàng")
    page.screenshot(path=page.screenshot_name("order"), full_page=True)
    db.session.commit()
    assert db.session.scalar(select(func.count(Order.id))) == 2
