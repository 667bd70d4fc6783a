"""A household manages its own listings: create with photos, edit, pause, delete; bad input saves nothing."""

import io

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingPhoto, ListingStatus
from tests.fixtures.factories import photo_bytes


@pytest.fixture
def seller(client, auth, make_household):
    household = make_household()
    auth.login(household.user)
    return household


def _form(category, **overrides):
    data = {
        "title": "Xoài cát Hòa Lộc loại 1", "category": str(category.id), "unit": "kg", "price": "85.000",
        "stock": "40", "weight_grams": "1050", "min_order_qty": "2", "availability": "in_stock",
        "shelf_life_days": "6", "description": "Xoài chín cây, ngọt đậm.",
        "photos": [(io.BytesIO(photo_bytes()), "xoai.jpg")],
    }
    data.update(overrides)
    return data


def _count(db, model=Listing):
    return db.session.scalar(select(func.count()).select_from(model))


def test_household_publishes_a_listing_with_a_photo_and_buyers_see_it(client, db, seller, make_category, app):
    category = make_category(slug="trai-cay")
    response = client.post("/my/listings/new", data=_form(category), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    listing = db.session.scalar(select(Listing))
    assert listing.price == 85_000 and listing.stock == 40 and listing.min_order_qty == 2
    assert listing.price_per_kg == 85_000  # sold by the kg: the 1,050 g include packaging
    assert listing.origin_ward_code == seller.ward_code and listing.province_code == seller.province_code
    assert len(listing.photos) == 1
    photo = listing.photos[0]
    assert photo.filename.endswith(".webp") and photo.thumb.endswith("-t.webp")
    assert client.get(f"/media/{photo.thumb}").status_code == 200
    page = client.get("/c/trai-cay").get_data(as_text=True)
    assert "Xoài cát Hòa Lộc loại 1" in page and "85.000 ₫" in page


@pytest.mark.parametrize(
    "field, value, message_vi",
    [
        ("price", "-5000", "không thể âm"),
        ("price", "0", "lớn hơn 0"),
        ("price", "mười nghìn", "Nhập số tiền"),
        ("price", "12.5", "phần thập phân"),
        ("price", "45.000,5", "phần thập phân"),
        ("price", "10000000000000000000", "tối đa"),
        ("stock", "0", "ít nhất 1"),
        ("stock", "-3", "từ 0 đến 1.000.000"),
        ("stock", "10000000000000000000", "từ 0 đến 1.000.000"),
        ("stock", "2.5", "phần thập phân"),
        ("weight_grams", "0", "từ 1 đến 50.000"),
        ("weight_grams", "99999999999999999999999", "từ 1 đến 50.000"),
        ("min_order_qty", "10000000000000000000", "từ 1 đến 1.000.000"),
    ],
)
def test_bad_numbers_get_a_clear_message_and_nothing_is_saved(client, db, seller, make_category, field, value,
                                                             message_vi, app):
    category = make_category()
    response = client.post("/my/listings/new", data=_form(category, **{field: value}),
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert message_vi in response.get_data(as_text=True)
    assert _count(db) == 0 and _count(db, ListingPhoto) == 0


def test_a_file_that_is_not_a_photo_is_refused(client, db, seller, make_category, app, tmp_path):
    category = make_category()
    data = _form(category, photos=[(io.BytesIO(b"%PDF-1.4 not an image"), "giay-to.jpg")])
    response = client.post("/my/listings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "không phải là ảnh" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_an_oversized_photo_is_refused(client, db, seller, make_category, app):
    app.config["MAX_PHOTO_BYTES"] = 20_000
    try:
        big = photo_bytes("PNG", size=(600, 600), color=(1, 2, 3))
        noisy = io.BytesIO()
        from PIL import Image
        import os

        Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(noisy, "PNG")
        assert len(noisy.getvalue()) > 20_000
        response = client.post("/my/listings/new",
                               data=_form(make_category(), photos=[(io.BytesIO(noisy.getvalue()), "big.png")]),
                               content_type="multipart/form-data")
    finally:
        app.config["MAX_PHOTO_BYTES"] = 5 * 1024 * 1024
    assert response.status_code == 200
    assert "tối đa" in response.get_data(as_text=True)
    assert _count(db) == 0
    del big


def test_a_request_larger_than_the_limit_gets_413(client, db, seller, make_category, app):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    try:
        response = client.post("/my/listings/new",
                               data=_form(make_category(), photos=[(io.BytesIO(b"x" * 60_000), "a.jpg")]),
                               content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 32 * 1024 * 1024
    assert response.status_code == 413
    assert _count(db) == 0


def test_a_listing_needs_a_photo_and_at_most_six(client, db, seller, make_category):
    category = make_category()
    assert client.post("/my/listings/new", data=_form(category, photos=[]),
                       content_type="multipart/form-data").status_code == 200
    seven = [(io.BytesIO(photo_bytes()), f"{i}.jpg") for i in range(7)]
    assert client.post("/my/listings/new", data=_form(category, photos=seven),
                       content_type="multipart/form-data").status_code == 200
    assert _count(db) == 0


def test_preorder_needs_a_harvest_window_in_order(client, db, seller, make_category):
    category = make_category()
    response = client.post("/my/listings/new", data=_form(category, availability="preorder"),
                           content_type="multipart/form-data")
    assert response.status_code == 200 and _count(db) == 0
    response = client.post("/my/listings/new", data=_form(category, availability="preorder",
                                                          harvest_start="2027-06-10", harvest_end="2027-05-01"),
                           content_type="multipart/form-data")
    assert response.status_code == 200 and _count(db) == 0
    response = client.post("/my/listings/new", data=_form(category, availability="preorder",
                                                          harvest_start="2027-05-10", harvest_end="2027-06-01"),
                           content_type="multipart/form-data")
    assert response.status_code == 302 and _count(db) == 1


def test_household_edits_its_listing_and_replaces_the_photo(client, db, seller, make_category, make_listing):
    listing = make_listing(seller, price=30_000)
    old_photo = listing.photos[0].id
    data = _form(listing.category, title="Vải thiều Lục Ngạn", price="55000", remove_photo=str(old_photo))
    response = client.post(f"/my/listings/{listing.id}/edit", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(listing)
    assert listing.title == "Vải thiều Lục Ngạn" and listing.price == 55_000
    assert [p.id for p in listing.photos] != [old_photo] and len(listing.photos) == 1


def test_removing_the_last_photo_is_refused(client, db, seller, make_listing):
    listing = make_listing(seller)
    data = _form(listing.category, photos=[], remove_photo=str(listing.photos[0].id), title="Đổi tên")
    response = client.post(f"/my/listings/{listing.id}/edit", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    db.session.refresh(listing)
    assert listing.title != "Đổi tên" and len(listing.photos) == 1


def test_another_household_cannot_touch_the_listing(client, db, auth, make_household, make_listing):
    owner = make_household()
    listing = make_listing(owner, price=40_000, title="Chè Tân Cương")
    intruder = make_household()
    auth.login(intruder.user)
    assert client.get(f"/my/listings/{listing.id}/edit").status_code == 404
    response = client.post(f"/my/listings/{listing.id}/edit", data=_form(listing.category, price="1"),
                           content_type="multipart/form-data")
    assert response.status_code == 404
    for action in ("pause", "delete"):
        assert client.post(f"/my/listings/{listing.id}/status", data={"action": action}).status_code == 404
    db.session.refresh(listing)
    assert listing.price == 40_000 and listing.status is ListingStatus.ACTIVE
    assert "Chè Tân Cương" not in client.get("/my/listings").get_data(as_text=True)


def test_pause_resume_and_delete_change_what_buyers_see(client, db, seller, make_listing):
    listing = make_listing(seller, title="Bưởi da xanh")
    product = f"/p/{listing.id}"
    assert client.get(product).status_code == 200
    client.post(f"/my/listings/{listing.id}/status", data={"action": "pause"})
    assert client.get(product).status_code == 404
    client.post(f"/my/listings/{listing.id}/status", data={"action": "resume"})
    assert client.get(product).status_code == 200
    client.post(f"/my/listings/{listing.id}/status", data={"action": "delete"})
    assert client.get(product).status_code == 404
    assert "Bưởi da xanh" not in client.get("/my/listings").get_data(as_text=True)
    db.session.refresh(listing)
    assert listing.status is ListingStatus.DELETED  # kept for past orders


def test_listings_of_a_pending_household_stay_hidden_until_a_clerk_verifies_it(client, db, auth, make_household,
                                                                                make_listing, make_point, make_clerk):
    household = make_household(verified=False)
    listing = make_listing(household, title="Mật ong bạc hà")
    assert client.get(f"/p/{listing.id}").status_code == 404
    clerk = make_clerk(make_point(household.ward_code))
    auth.login(clerk)
    assert household.name in client.get("/households/pending").get_data(as_text=True)
    assert client.post(f"/households/{household.id}/verify", data={"checked": "1"}).status_code == 302
    db.session.refresh(household)
    assert household.is_verified and household.verified_by_id == clerk.id and household.verified_at is not None
    assert client.get(f"/p/{listing.id}").status_code == 200


def test_price_per_kg_is_derived_from_the_unit_weight_unless_sold_by_the_kg(client, db, seller, make_category):
    category = make_category()
    client.post("/my/listings/new", data=_form(category, title="Bưởi", unit="qua", price="45.000", weight_grams="1500"),
                content_type="multipart/form-data")
    listing = db.session.scalar(select(Listing))
    assert listing.price_per_kg == 30_000


def test_photos_are_kept_when_the_form_comes_back_with_an_error(client, db, seller, make_category, app):
    """A household picked its photos, mistyped the price: the form comes back with its message at the top, the
    photos kept (not to be picked again on a slow phone), and the listing saves with them once the price is right."""
    import re

    category = make_category()
    response = client.post("/my/listings/new", data=_form(category, price="12.5"), content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(db) == 0
    assert 'class="error-summary"' in page and 'href="#price"' in page  # the summary links to the field
    token = re.search(r'name="kept_photos"[^>]*value="([0-9a-f]{32})"', page).group(1)
    assert "Ảnh bạn đã chọn" in page and f"drafts/{seller.user_id}/{token}-t.webp" in page
    data = _form(category, kept_photos=token)
    data.pop("photos")  # nothing picked again
    response = client.post("/my/listings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    listing = db.session.scalar(select(Listing))
    assert len(listing.photos) == 1
    from pathlib import Path

    assert not (Path(app.config["UPLOAD_DIR"]) / "drafts" / str(seller.user_id) / f"{token}.webp").exists()


def test_a_draft_token_of_someone_else_or_made_up_picks_nothing(client, db, seller, make_category):
    category = make_category()
    data = _form(category, kept_photos="0" * 32 + " ../../etc/passwd")
    data.pop("photos")
    response = client.post("/my/listings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and _count(db) == 0  # no photo: "add at least one photo"
