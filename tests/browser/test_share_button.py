"""The product page's "Chia sẻ" button in a real browser: the phone's share sheet where the browser has one,
otherwise the link is copied; the card image the page names loads (issue 15, item 7)."""

from playwright.sync_api import expect

SHARE_SPY = """
window.__shared = [];
Object.defineProperty(Navigator.prototype, 'share', {configurable: true, value: function (data) {
  window.__shared.push(data); return Promise.resolve();
}});
"""
NO_SHARE = "delete Navigator.prototype.share;"


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_share_button_opens_the_share_sheet_with_the_product_link(page, make_listing):
    listing = make_listing(title="Xoài cát Hòa Lộc", price=45_000)
    page.add_init_script(SHARE_SPY)
    page.goto(f"/p/{listing.id}")
    button = page.get_by_role("button", name="Chia sẻ")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 48 and box["x"] + box["width"] <= page.viewport_size["width"]
    _fits(page)
    button.click()
    page.wait_for_function("window.__shared.length === 1")
    shared = page.evaluate("window.__shared[0]")
    assert shared["url"].endswith(f"/p/{listing.id}") and shared["title"] == "Xoài cát Hòa Lộc"
    assert "45.000 ₫/kg" in shared["text"]
    page.screenshot(path=page.screenshot_name("product"))


def test_without_a_share_sheet_the_link_is_copied(page, make_listing, live_server):
    listing = make_listing(title="Vải thiều")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.add_init_script(NO_SHARE)
    page.goto(f"/p/{listing.id}")
    page.get_by_role("button", name="Chia sẻ").click()
    expect(page.get_by_role("status").filter(has_text="Đã chép liên kết")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/p/{listing.id}"
    _fits(page)
    page.screenshot(path=page.screenshot_name("copied"))
    card = page.locator('meta[property="og:image"]').get_attribute("content")
    response = page.request.get(card)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"


def test_storefront_has_the_share_button(page, make_household, make_listing):
    household = make_household(name="Vườn Bà Sáu")
    make_listing(household)
    page.add_init_script(SHARE_SPY)
    page.goto(f"/h/{household.id}")
    page.get_by_role("button", name="Chia sẻ").click()
    page.wait_for_function("window.__shared.length === 1")
    assert page.evaluate("window.__shared[0].url").endswith(f"/h/{household.id}")
    _fits(page)
