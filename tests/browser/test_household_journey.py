"""A farm household signs in on a phone, publishes a listing with a photo, and buyers find it in its category."""

import re

from playwright.sync_api import expect

from tests.fixtures.factories import photo_bytes


def test_household_publishes_a_listing_with_a_photo(page, make_household, make_category, tmp_path):
    category = make_category(slug="trai-cay", name_vi="Trái cây", name_en="Fruit")
    household = make_household(name="Vườn vải Lục Ngạn")
    photo = tmp_path / "vai.jpg"
    photo.write_bytes(photo_bytes(size=(800, 600), color=(190, 40, 60)))

    page.goto("/account/login")
    page.get_by_label("Số điện thoại hoặc e-mail").fill("0" + household.user.phone[3:])
    page.get_by_label("Mật khẩu").fill("secret-pass-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Sản phẩm của tôi").click()
    page.get_by_role("link", name="Đăng sản phẩm mới").click()
    page.get_by_label("Tên sản phẩm").fill("Vải thiều Lục Ngạn loại 1")
    page.get_by_label("Danh mục").select_option(label="Trái cây")
    page.get_by_label("Giá mỗi đơn vị (₫)").fill("65.000")
    page.get_by_label("Số lượng còn").fill("120")
    page.get_by_label("Khối lượng một đơn vị, kể cả bao bì (gam)").fill("1100")
    page.get_by_label("Bảo quản được (ngày)").fill("3")
    page.locator("input[type=file]").set_input_files(str(photo))
    page.screenshot(path=page.screenshot_name("form"), full_page=True)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash-success")).to_contain_text("Vải thiều Lục Ngạn loại 1")

    page.goto(f"/c/{category.slug}")
    card = page.locator(".listing-card", has_text="Vải thiều Lục Ngạn loại 1")
    expect(card).to_contain_text("65.000 ₫")
    expect(card.locator("img")).to_have_attribute("src", re.compile(r"/media/listings/.+-t\.webp$"))
    page.screenshot(path=page.screenshot_name("category"), full_page=True)
    card.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vải thiều Lục Ngạn loại 1")
    expect(page.locator(".badge-fresh")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], "page scrolls sideways"

    page.locator("#site-search").fill("vai thieu luc ngan")  # found at once, without diacritics
    page.locator("#site-search").press("Enter")
    expect(page.get_by_role("link", name="Vải thiều Lục Ngạn loại 1").first).to_be_visible()
