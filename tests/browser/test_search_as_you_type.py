"""Search as you type in a real browser: the search box's suggestions fill while typing, with or without diacritics,
and a misspelt search offers the right word."""

from playwright.sync_api import expect


def test_suggestions_fill_while_typing_and_a_misspelling_is_corrected(page, make_household, make_listing,
                                                                      make_category):
    fruit = make_category(slug="trai-cay", name_vi="Trái cây", name_en="Fruit")
    farm = make_household(name="Vườn Bà Sáu")
    make_listing(farm, category=fruit, title="Xoài cát Hòa Lộc", price=90_000)
    make_listing(farm, category=fruit, title="Vải thiều Lục Ngạn", price=60_000)

    page.goto("/")
    box = page.locator("#site-search")
    options = page.locator("#site-search-suggestions option")
    box.press_sequentially("xoa", delay=40)
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "Xoài cát Hòa Lộc")

    box.fill("")
    box.press_sequentially("vải th", delay=40)
    expect(page.locator('#site-search-suggestions option[value="Vải thiều Lục Ngạn"]')).to_have_count(1)
    box.fill("")
    box.press_sequentially("trai", delay=40)
    expect(page.locator('#site-search-suggestions option[value="Trái cây"]')).to_have_count(1)
    page.screenshot(path=page.screenshot_name("typing"))

    box.fill("xaoi")
    box.press("Enter")
    expect(page.locator(".did-you-mean")).to_contain_text("Có phải bạn muốn tìm")
    page.locator(".did-you-mean a").click()
    expect(page).to_have_url(page.url.split("?")[0] + "?q=xo%C3%A0i")
    expect(page.get_by_role("link", name="Xoài cát Hòa Lộc")).to_be_visible()
    expect(box).to_have_value("xoài")
    page.screenshot(path=page.screenshot_name("corrected"), full_page=True)
