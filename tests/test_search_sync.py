"""The index follows the database right after each commit (never after a rollback), through the real HTTP flows."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from tests.fixtures.search import titles
from tests.test_listings import _form


@pytest.fixture
def seller(client, auth, make_household):
    household = make_household(name="Hộ Trần Văn Mít")
    auth.login(household.user)
    return household


def _found(client, text: str) -> str:
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_published_listing_is_found_at_once(search, client, db, seller, make_category):
    response = client.post("/my/listings/new", data=_form(make_category(), title="Mít Thái siêu sớm"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert titles(search("mit thai")) == ["Mít Thái siêu sớm"]
    assert "Thái" in _found(client, "mit thai")


def test_household_edits_a_title_and_the_new_title_is_found_at_once(search, client, db, seller, make_listing):
    listing = make_listing(seller, title="Chuối tiêu hồng")
    assert titles(search("chuoi")) == ["Chuối tiêu hồng"]
    response = client.post(f"/my/listings/{listing.id}/edit", data=_form(listing.category, title="Bưởi Diễn"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert titles(search("buoi dien")) == ["Bưởi Diễn"]
    assert titles(search("chuoi")) == []


def test_paused_listing_disappears_and_comes_back_when_resumed(search, client, db, seller, make_listing):
    listing = make_listing(seller, title="Na dai Chi Lăng")
    client.post(f"/my/listings/{listing.id}/status", data={"action": "pause"})
    assert search("na dai").total == 0
    client.post(f"/my/listings/{listing.id}/status", data={"action": "resume"})
    assert titles(search("na dai")) == ["Na dai Chi Lăng"]
    client.post(f"/my/listings/{listing.id}/status", data={"action": "delete"})
    assert search("na dai").total == 0


def test_rolled_back_listing_is_never_indexed(search, db, make_household, make_category):
    from marketplace.catalog.models import Listing, Unit

    household, category = make_household(), make_category()
    listing = Listing(household=household, category=category, title="Dứa Đồng Giao", unit=Unit.KG, price=20_000,
                      stock=5, weight_grams=1000, price_per_kg=20_000, origin_ward_code=household.ward_code,
                      province_code=household.province_code)
    db.session.add(listing)
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert search("dua dong giao").total == 0


def test_rolled_back_edit_leaves_the_old_title(search, db, make_listing):
    listing = make_listing(title="Cam Vinh")
    listing.title = "Cam Cao Phong"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert titles(search("cam")) == ["Cam Vinh"]
    assert search("cao phong").total == 0


def test_sold_out_listing_leaves_the_in_stock_filter(search, db, make_listing):
    listing = make_listing(title="Hồng giòn Mộc Châu", stock=3)
    assert search("hong gion", availability="in_stock").total == 1
    listing.stock = 0
    db.session.commit()
    assert search("hong gion", availability="in_stock").total == 0
    assert search("hong gion").facets["availability"] == {}


def test_household_verified_by_a_clerk_becomes_searchable(search, client, auth, db, make_household, make_point,
                                                         make_clerk, make_listing):
    household = make_household(verified=False)
    make_listing(household, title="Măng cụt Lái Thiêu")
    assert search("mang cut").total == 0
    auth.login(make_clerk(make_point(household.ward_code)))
    assert client.post(f"/households/{household.id}/verify", data={"checked": "1"}).status_code == 302
    assert titles(search("mang cut")) == ["Măng cụt Lái Thiêu"]


def test_suspended_household_disappears_and_certifications_follow(search, db, make_listing):
    from marketplace.households.models import Certification, CertificationKind, HouseholdStatus

    listing = make_listing(title="Gạo ST25")
    household = listing.household
    db.session.add(Certification(household=household, kind=CertificationKind.OCOP, stars=4, number="OCOP-1",
                                 expires_on=date.today() + timedelta(days=30)))
    db.session.commit()
    assert titles(search("gao", cert="ocop")) == ["Gạo ST25"]
    household.status = HouseholdStatus.SUSPENDED
    db.session.commit()
    assert search("gao").total == 0


def test_renamed_category_is_searched_by_its_new_name(search, db, make_category, make_listing):
    category = make_category(name_vi="Rau", name_en="Vegetables")
    make_listing(category=category, title="Cải ngồng")
    category.name_vi = "Rau sạch"
    db.session.commit()
    assert titles(search("rau sach")) == ["Cải ngồng"]


def test_a_writer_that_read_an_older_state_cannot_write_it_last(search_backend, app, db, monkeypatch, make_listing):
    """Two workers edit one listing. The first reads the listing for the index, then stalls; the second commits a
    newer title meanwhile. The second worker's index write waits for the first, then reads the newer title."""
    from marketplace.catalog.models import Listing
    from marketplace.search import api
    from marketplace.search.documents import DocumentSource

    listing = make_listing(title="Bơ sáp")
    release, read_old = threading.Event(), threading.Event()
    real_load = DocumentSource.load

    def load(self, ids):
        docs = real_load(self, ids)
        if threading.current_thread().name == "first":
            read_old.set()
            release.wait(5)
        return docs

    monkeypatch.setattr(DocumentSource, "load", load)

    def edit(title: str) -> None:
        with app.app_context():
            db.session.get(Listing, listing.id).title = title
            db.session.commit()
            db.session.remove()

    first = threading.Thread(target=edit, args=("Bơ sáp Đắk Lắk",), name="first")
    first.start()
    assert read_old.wait(5)
    second = threading.Thread(target=edit, args=("Bơ 034",), name="second")
    second.start()
    second.join(0.5)  # with the lock it waits for the first writer; without it, it would be done by now
    release.set()
    first.join(10)
    second.join(10)
    db.session.expire_all()
    assert titles(api.query(api.SearchQuery(text="034"))) == ["Bơ 034"]
    assert api.query(api.SearchQuery(text="dak lak")).total == 0
