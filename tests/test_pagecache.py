"""The shared page cache: a cached page costs no query, every change that a page shows is on the next request,
personal parts (cart count, sign-in, flashes, CSRF tokens) are each visitor's own, ETag / 304."""

import io
import os

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Listing
from tests.fixtures.factories import photo_bytes
from tests.test_catalog import QueryCounter


def _edit_form(listing, **overrides):
    data = {
        "title": listing.title, "category": str(listing.category_id), "unit": listing.unit.value,
        "price": str(listing.price), "stock": str(listing.stock), "weight_grams": str(listing.weight_grams),
        "min_order_qty": str(listing.min_order_qty), "availability": listing.availability.value,
        "shelf_life_days": "6", "description": listing.description or "",
        "photos": [(io.BytesIO(photo_bytes()), "x.jpg")],
    }
    data.update(overrides)
    return data


def _pages(listing):
    return ["/", f"/c/{listing.category.slug}", f"/p/{listing.id}", f"/h/{listing.household_id}", "/tinh",
            "/tinh/ha_noi", "/search?q=xoai"]


def test_a_cached_page_costs_no_query(client, db, make_listing):
    listing = make_listing(title="Xoài cát")
    for path in _pages(listing):
        assert client.get(path).status_code == 200
        with QueryCounter(db.engine) as counter:
            second = client.get(path)
        assert second.status_code == 200 and counter.count == 0, path


def test_price_title_and_stock_edits_show_on_every_page_at_the_next_request(client, auth, db, make_listing):
    listing = make_listing(title="Xoài cát Hòa Lộc", price=85_000, stock=30)
    for path in _pages(listing):
        body = client.get(path).get_data(as_text=True)
        assert "Xoài cát Hòa Lộc" in body and ("85.000 ₫" in body or path == "/tinh"), path
    auth.login(listing.household.user)
    form = _edit_form(listing, title="Xoài cát chu loại 1", price="91.000", stock="0")
    response = client.post(f"/my/listings/{listing.id}/edit", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    auth.logout()
    for path in _pages(listing):
        if path.startswith("/search"):
            path = "/search?q=xoai+cat+chu"
        body = client.get(path).get_data(as_text=True)
        assert ("91.000 ₫" in body or path == "/tinh") and "85.000 ₫" not in body, path
        assert "Xoài cát chu loại 1" in body, path
    assert "Hết hàng" in client.get(f"/p/{listing.id}").get_data(as_text=True)


def test_stock_taken_by_a_checkout_shows_on_the_product_page_and_sold_out_on_lists(client, db, buyer, make_listing,
                                                                                     place):
    listing = make_listing(title="Vải thiều", stock=5)
    slug = listing.category.slug
    assert "5 kg" in client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Hết hàng" not in client.get(f"/c/{slug}").get_data(as_text=True)
    place(buyer, {listing.id: 2})
    assert "3 kg" in client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Hết hàng" not in client.get(f"/c/{slug}").get_data(as_text=True)
    place(buyer, {listing.id: 3})
    assert "Hết hàng" in client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Hết hàng" in client.get(f"/c/{slug}").get_data(as_text=True)  # crossed "sold out": lists renewed


def test_stock_given_back_by_a_cancellation_shows_in_stock_again_on_lists(client, db, buyer, make_listing, place):
    from marketplace.orders.models import OrderStatus
    from marketplace.orders.services import advance

    listing = make_listing(title="Vải thiều", stock=2)
    slug = listing.category.slug
    order = place(buyer, {listing.id: 2}).orders[0]
    assert "Hết hàng" in client.get(f"/c/{slug}").get_data(as_text=True)
    advance(order, OrderStatus.CANCELLED, buyer)  # the units go back on sale
    db.session.commit()
    assert "2 kg" in client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Hết hàng" not in client.get(f"/c/{slug}").get_data(as_text=True)  # crossed back: lists renewed


def test_household_and_certificate_changes_show_on_its_listings(client, db, make_listing):
    listing = make_listing(title="Chè Tân Cương")
    assert "Chè Tân Cương" in client.get(f"/c/{listing.category.slug}").get_data(as_text=True)
    household = listing.household
    household.name = "Hộ chè cô Hoa"
    db.session.commit()
    for path in (f"/p/{listing.id}", f"/h/{household.id}", f"/c/{listing.category.slug}", "/"):
        assert "Hộ chè cô Hoa" in client.get(path).get_data(as_text=True), path
    from marketplace.households.models import HouseholdStatus

    household.status = HouseholdStatus.SUSPENDED
    db.session.commit()
    assert client.get(f"/p/{listing.id}").status_code == 404
    assert "Chè Tân Cương" not in client.get(f"/c/{listing.category.slug}").get_data(as_text=True)


def test_a_new_listing_shows_on_the_home_category_province_and_search_pages(client, db, make_household,
                                                                           make_listing, make_category):
    fruit = make_category(slug="trai-cay")
    household = make_household()
    make_listing(household, category=fruit, title="Nhãn lồng")
    paths = ["/", "/c/trai-cay", "/tinh/ha_noi", f"/h/{household.id}", "/search?q=mang"]
    for path in paths:
        client.get(path)
    make_listing(household, category=fruit, title="Măng cụt Lái Thiêu")
    for path in paths:
        assert "Măng cụt Lái Thiêu" in client.get(path).get_data(as_text=True), path


def test_the_header_is_each_visitors_own(client, app, auth, db, buyer, make_listing):
    listing = make_listing(title="Bưởi da xanh", stock=9)
    guest = app.test_client()
    assert "Đăng nhập" in guest.get(f"/p/{listing.id}").get_data(as_text=True)  # cached by a guest
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    body = client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Chị Lan" in body and 'class="count">2<' in body
    assert "Đã thêm vào giỏ hàng" in body  # the flash of the add, on a cached page
    assert "Đã thêm vào giỏ hàng" not in client.get(f"/p/{listing.id}").get_data(as_text=True)
    other = guest.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Chị Lan" not in other and 'class="count"' not in other


@pytest.mark.usefixtures("csrf_on")
def test_each_visitor_gets_a_csrf_token_of_its_own_on_a_cached_product_page(app, make_listing):
    listing = make_listing(stock=9)
    tokens = []
    for _ in range(2):
        visitor = app.test_client()
        body = visitor.get(f"/p/{listing.id}").get_data(as_text=True)
        token = body.split('name="csrf_token" value="')[1].split('"')[0]
        tokens.append(token)
        added = visitor.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token})
        assert added.status_code == 302
    assert tokens[0] != tokens[1] and "hole" not in tokens[0]


def test_etag_gives_304_until_the_page_changes(client, db, make_listing):
    listing = make_listing(price=40_000)
    first = client.get(f"/p/{listing.id}")
    etag = first.headers["ETag"]
    assert client.get(f"/p/{listing.id}", headers={"If-None-Match": etag}).status_code == 304
    db.session.get(Listing, listing.id).price = 42_000
    db.session.commit()
    again = client.get(f"/p/{listing.id}", headers={"If-None-Match": etag})
    assert again.status_code == 200 and "42.000 ₫" in again.get_data(as_text=True)


def test_requests_with_unknown_arguments_are_not_cached(client, db, make_listing):
    listing = make_listing()
    client.get(f"/p/{listing.id}?utm_source=zalo")
    with QueryCounter(db.engine) as counter:
        assert client.get(f"/p/{listing.id}?utm_source=zalo").status_code == 200
    assert counter.count > 0


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return None
    return url


def test_two_servers_sharing_redis_see_a_price_change_at_once(_app_and_schema, app, db, make_listing):
    """Two app instances (as two servers) on one database and one Redis: an edit through one shows on the other's
    next response, and a page cached by one is served by the other."""
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis at TEST_REDIS_URL (redis://127.0.0.1:6379/7)")
    import config
    from marketplace import create_app

    servers = []
    for _ in range(2):
        cfg = config.TestingConfig()
        cfg.REDIS_URL = url
        cfg.METRICS = False
        server = create_app(cfg)
        server.config.update(UPLOAD_DIR=app.config["UPLOAD_DIR"], SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
        servers.append(server)
    with servers[0].app_context():
        from marketplace.extensions import cache

        cache.clear()
    listing = make_listing(title="Mật ong bạc hà", price=300_000)
    a, b = (s.test_client() for s in servers)
    assert "300.000 ₫" in a.get(f"/p/{listing.id}").get_data(as_text=True)
    with servers[1].app_context():
        from marketplace.extensions import db as db_b

        with QueryCounter(db_b.engine) as counter:
            assert "300.000 ₫" in b.get(f"/p/{listing.id}").get_data(as_text=True)
        assert counter.count == 0  # served from the page server A cached
        row = db_b.session.get(Listing, listing.id)
        row.price = 320_000
        db_b.session.commit()
        db_b.session.remove()
    assert "320.000 ₫" in a.get(f"/p/{listing.id}").get_data(as_text=True)
    with servers[0].app_context():
        cache.clear()
    assert db.session.scalar(select(Listing.price).where(Listing.id == listing.id)) == 320_000


@pytest.mark.parametrize("cache_on", [True, False])
def test_the_product_page_says_what_is_already_in_the_cart_and_offers_only_what_is_left(app, db, make_listing,
                                                                                      cache_on):
    app.config["PAGE_CACHE"] = cache_on
    listing = make_listing(title="Bưởi da xanh", stock=9, min_order_qty=2)
    guest = app.test_client()
    first = guest.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "trong giỏ hàng của bạn" not in first and 'min="2" max="9" value="2"' in first and "hole:" not in first
    other = app.test_client()
    other.get(f"/p/{listing.id}")  # the page is in the cache now (when on)

    guest.post("/cart/add", data={"listing_id": listing.id, "quantity": 7})
    body = guest.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Đã có 7 trong giỏ hàng của bạn." in body and "Bạn có thể thêm tối đa 2 nữa." in body
    assert 'min="1" max="2" value="1"' in body  # the minimum order is met by the line already in the cart
    assert "trong giỏ hàng của bạn" not in other.get(f"/p/{listing.id}").get_data(as_text=True)

    guest.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    full = guest.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Đã có 9 trong giỏ hàng của bạn." in full and "Đó là toàn bộ số hàng còn lại." in full
    assert 'id="buy-qty"' not in full and "Thêm vào giỏ" not in full.split('class="buy-box')[1].split("</form>")[0]


def test_the_etag_holds_across_seconds_although_csrf_tokens_are_signed_with_the_time(client, make_listing):
    """A token is signed with the time: the page's ETag must not change with it, or a 304 would never come."""
    from unittest import mock

    import itsdangerous.timed

    listing = make_listing(price=40_000)
    first = client.get(f"/p/{listing.id}")
    token = first.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    later = itsdangerous.timed.TimestampSigner.get_timestamp
    with mock.patch.object(itsdangerous.timed.TimestampSigner, "get_timestamp",
                           lambda self: later(self) + 5):
        again = client.get(f"/p/{listing.id}")
        assert again.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0] != token
        assert again.headers["ETag"] == first.headers["ETag"]
        assert client.get(f"/p/{listing.id}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
