"""Every public page fits the screen (no sideways scrolling at 360 px), labels every input, and has one h1."""

import pytest

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("path", ["/", "/c/{slug}", "/p/{listing}", "/h/{household}", "/tinh", "/cart",
                                  "/account/login", "/account/signup", "/account/code", "/tra-cuu", "/dia-chi"])
def test_public_page_fits_the_screen_and_labels_its_inputs(page, make_listing, make_category, path):
    category = make_category(slug="rau-cu", name_vi="Rau củ", name_en="Vegetables")
    listing = make_listing(category=category, title="Rau muống Đà Lạt", price=15_000)
    page.goto(path.format(slug=category.slug, listing=listing.id, household=listing.household_id))
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], "scrolls sideways"
    assert page.evaluate(UNLABELLED) == []
    assert page.locator("h1").count() == 1
