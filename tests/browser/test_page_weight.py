"""The home page stays light for rural 4G without a data package: under 200 KB on first load."""

from tests.fixtures.factories import SAIGON_WARD

LIMIT = 200 * 1024


def test_home_page_first_load_is_under_200_kb(page, make_household, make_listing, make_category):
    for slug, name in [("trai-cay", "Trái cây"), ("rau-cu", "Rau củ"), ("ca-phe-tra", "Cà phê & trà")]:
        category = make_category(slug=slug, name_vi=name, name_en=name)
        for ward in (None, SAIGON_WARD):
            household = make_household(ward_code=ward) if ward else make_household()
            for n in range(3):
                make_listing(household, category=category, title=f"{name} số {n}")
    sizes = {}
    page.on("requestfinished", lambda request: sizes.__setitem__(request.url, request.sizes()["responseBodySize"]))
    page.goto("/", wait_until="networkidle")
    total = sum(sizes.values())
    print(f"home page first load: {total} bytes in {len(sizes)} responses")
    assert total < LIMIT, sizes
