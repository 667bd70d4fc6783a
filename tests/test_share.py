"""Links that preview when shared: Open Graph / Twitter tags on product and storefront pages, and their 1200×630 card
images (issue 15, item 7)."""

import io
import re
from html import unescape

import pytest
from PIL import Image

from marketplace.catalog.models import ListingStatus, Unit
from marketplace.households.models import HouseholdStatus


def _meta(body: str) -> dict[str, str]:
    tags = {}
    for attr, name, content in re.findall(r'<meta (property|name)="([^"]+)" content="([^"]*)"', body):
        tags.setdefault(name, unescape(content))
    return tags


def _card(client, url: str):
    path = url.removeprefix("http://localhost")
    response = client.get(path)
    return response, path


def _image(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.data))
    image.load()
    return image


def test_product_page_carries_open_graph_and_twitter_tags(client, make_household, make_listing):
    household = make_household(name="Hộ Nguyễn Văn Tư")
    listing = make_listing(household, title="Xoài cát Hòa Lộc", price=45_000, unit=Unit.KG)
    body = client.get(f"/p/{listing.id}").get_data(as_text=True)
    tags = _meta(body)
    assert tags["og:type"] == "product"
    assert tags["og:title"] == "Xoài cát Hòa Lộc"
    assert tags["og:description"] == "45.000 ₫/kg · Hộ Nguyễn Văn Tư · Hà Nội"
    assert tags["og:url"] == f"http://localhost/p/{listing.id}"
    assert f'<link rel="canonical" href="http://localhost/p/{listing.id}">' in body
    assert tags["og:locale"] == "vi_VN"
    assert re.fullmatch(rf"http://localhost/p/{listing.id}/card/[0-9a-f]{{16}}\.jpg", tags["og:image"])
    assert (tags["og:image:width"], tags["og:image:height"], tags["og:image:type"]) == ("1200", "630", "image/jpeg")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"] and tags["twitter:title"] == tags["og:title"]
    assert (tags["product:price:amount"], tags["product:price:currency"]) == ("45000", "VND")
    assert 'data-share-url="http://localhost/p/%d"' % listing.id in body and "Chia sẻ" in body


def test_storefront_carries_profile_tags(client, make_household, make_listing):
    household = make_household(name="Hộ Lê Thị Hoa")
    make_listing(household)
    tags = _meta(client.get(f"/h/{household.id}").get_data(as_text=True))
    assert tags["og:type"] == "profile"
    assert tags["og:title"] == "Hộ Lê Thị Hoa"
    assert "Hà Nội" in tags["og:description"] and "Đã được bưu điện xác minh" in tags["og:description"]
    assert tags["og:url"] == f"http://localhost/h/{household.id}"
    assert re.fullmatch(rf"http://localhost/h/{household.id}/card/[0-9a-f]{{16}}\.jpg", tags["og:image"])
    response, _path = _card(client, tags["og:image"])
    assert response.status_code == 200 and _image(response).size == (1200, 630)


def test_card_is_a_1200_by_630_jpeg_cached_for_a_year(client, make_listing):
    listing = make_listing(title="Bưởi da xanh Bến Tre loại một, quả to đều, vỏ mỏng, tép hồng ngọt thanh")
    url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    response, path = _card(client, url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    image = _image(response)
    assert image.format == "JPEG" and image.size == (1200, 630)
    assert "max-age=31536000" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    assert "no-store" not in response.headers["Cache-Control"]
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_card_is_drawn_from_the_listing_photo(client, db, make_listing):
    from marketplace.media import store_photo

    listing = make_listing()
    stored = store_photo(Image.new("RGB", (800, 600), (200, 30, 30)), "listings")  # red photo
    listing.photos[0].filename = stored.filename
    db.session.commit()
    url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    image = _image(_card(client, url)[0]).convert("RGB")
    r, g, b = image.getpixel((900, 200))  # above the band, right of the brand: the photo
    assert r > 150 and g < 80 and b < 80
    r, g, b = image.getpixel((1150, 600))  # the band
    assert g > r


def test_listing_without_photos_gets_a_plain_card(client, db, make_listing):
    listing = make_listing(title="Rau muống")
    listing.photos.clear()
    db.session.commit()
    url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    response, _path = _card(client, url)
    assert response.status_code == 200
    image = _image(response).convert("RGB")
    assert image.size == (1200, 630)
    r, g, b = image.getpixel((1100, 300))
    assert g > 90 and r < 60  # the brand green


def test_card_changes_when_title_or_price_changes_and_the_old_url_redirects(client, db, make_listing):
    listing = make_listing(title="Vải thiều", price=40_000)
    first_url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    first, first_path = _card(client, first_url)

    listing.price = 42_000
    db.session.commit()
    tags = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))
    assert tags["og:description"].startswith("42.000 ₫/kg")
    second_url = tags["og:image"]
    assert second_url != first_url
    second, second_path = _card(client, second_url)
    assert second.status_code == 200 and second.data != first.data

    listing.title = "Vải thiều Lục Ngạn"
    db.session.commit()
    third_url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    assert third_url not in (first_url, second_url)
    old = client.get(first_path)
    assert old.status_code == 302 and old.headers["Location"].endswith(third_url.removeprefix("http://localhost"))


def test_the_household_name_is_on_the_card(client, db, make_listing):
    listing = make_listing()
    first_url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    listing.household.name = "Hộ Trần Văn Ba"
    db.session.commit()
    tags = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))
    assert "Hộ Trần Văn Ba" in tags["og:description"] and tags["og:image"] != first_url


@pytest.mark.parametrize("hide", ["deleted", "paused", "household_unverified", "unknown"])
def test_cards_of_deleted_or_hidden_listings_are_404(client, db, make_listing, hide):
    listing = make_listing()
    url = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))["og:image"]
    path = url.removeprefix("http://localhost")
    if hide == "deleted":
        listing.status = ListingStatus.DELETED
    elif hide == "paused":
        listing.status = ListingStatus.PAUSED
    elif hide == "household_unverified":
        listing.household.status = HouseholdStatus.SUSPENDED
    else:
        path = path.replace(f"/p/{listing.id}/", f"/p/{listing.id + 1000}/")
    db.session.commit()
    assert client.get(path).status_code == 404
    assert client.get(f"/p/{listing.id}/card/not-a-version.jpg").status_code == 404


def test_storefront_card_of_an_unverified_household_is_404(client, db, make_household):
    household = make_household(verified=False)
    assert client.get(f"/h/{household.id}/card/0123456789abcdef.jpg").status_code == 404


def test_english_page_formats_price_its_own_way_but_the_card_stays_vietnamese(client, make_listing):
    listing = make_listing(title="Mít", price=1_250_000)
    client.get("/lang/en")
    tags = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))
    assert tags["og:locale"] == "en_US" and tags["og:description"].startswith("1,250,000 ₫/")
    client.get("/lang/vi")
    vi_tags = _meta(client.get(f"/p/{listing.id}").get_data(as_text=True))
    assert vi_tags["og:image"] == tags["og:image"]  # one card whatever the sharer's language


def test_card_text_fits_and_keeps_vietnamese_letters(app):
    from PIL import ImageDraw

    from marketplace.catalog import share

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = share._font(52, bold=True)
    lines = share._fit(draw, "Gạo ST25 " * 30, font, 1104, 1)
    assert len(lines) == 1 and lines[0].endswith("…") and draw.textlength(lines[0], font=font) <= 1104
    assert share._fit(draw, "Đặc sản", font, 1104, 2) == ["Đặc sản"]
