"""Catalogue pages buyers browse: home, category filters, product, storefront, provinces; no N+1 queries."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from marketplace.catalog.models import Availability, ListingStatus, Unit
from marketplace.households.models import Certification, CertificationKind
from tests.fixtures.factories import SAIGON_WARD


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args):
        self.count += 1


def test_home_shows_categories_new_listings_and_provinces(client, make_listing, make_category):
    category = make_category(slug="ca-phe", name_vi="Cà phê & trà", name_en="Coffee & tea")
    make_listing(category=category, title="Cà phê Robusta Buôn Ma Thuột", price=180_000)
    page = client.get("/").get_data(as_text=True)
    assert "Cà phê &amp; trà" in page and "Cà phê Robusta Buôn Ma Thuột" in page and "180.000 ₫" in page
    assert "Hà Nội" in page  # the listing's province, under specialties by province


def test_category_filters_by_province_certification_price_and_stock(client, db, make_household, make_listing,
                                                                   make_category):
    fruit = make_category(slug="trai-cay")
    hanoi = make_household()
    saigon = make_household(ward_code=SAIGON_WARD)
    db.session.add(Certification(household=saigon, kind=CertificationKind.VIETGAP, number="VG-01",
                                 expires_on=date.today() + timedelta(days=300)))
    db.session.add(Certification(household=hanoi, kind=CertificationKind.VIETGAP, number="VG-02",
                                 expires_on=date.today() - timedelta(days=1)))  # expired: does not count
    db.session.commit()
    make_listing(hanoi, category=fruit, title="Nhãn lồng", price=60_000)
    make_listing(saigon, category=fruit, title="Xoài cát", price=90_000)
    make_listing(saigon, category=fruit, title="Sầu riêng", price=150_000, stock=0)

    def titles(query):
        body = client.get(f"/c/trai-cay?{query}").get_data(as_text=True)
        return {t for t in ("Nhãn lồng", "Xoài cát", "Sầu riêng") if t in body}

    assert titles("") == {"Nhãn lồng", "Xoài cát", "Sầu riêng"}
    assert titles("province=79") == {"Xoài cát", "Sầu riêng"}
    assert titles("cert=vietgap") == {"Xoài cát", "Sầu riêng"}
    assert titles("min_price=70000&max_price=100.000") == {"Xoài cát"}
    assert titles("in_stock=1") == {"Nhãn lồng", "Xoài cát"}
    body = client.get("/c/trai-cay?sort=price_desc").get_data(as_text=True)
    assert body.index("Sầu riêng") < body.index("Xoài cát") < body.index("Nhãn lồng")


def test_category_pages_paginate(client, app, make_household, make_listing, make_category):
    app.config["PAGE_SIZE"] = 3
    try:
        cat = make_category(slug="rau")
        household = make_household()
        for i in range(7):
            make_listing(household, category=cat, title=f"Rau số {i}")
        first = client.get("/c/rau").get_data(as_text=True)
        last = client.get("/c/rau?page=3").get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = 24
    assert "Trang 1 / 3" in first or "Page 1 of 3" in first
    assert "Rau số 6" in first and "Rau số 0" in last and "Rau số 6" not in last


def test_unknown_or_bad_filter_values_do_not_break_the_page(client, make_category):
    make_category(slug="rau")
    for query in ("page=abc", "page=-4", "province=xyz", "cert=gold", "min_price=-1", "sort=drop"):
        assert client.get(f"/c/rau?{query}").status_code == 200
    assert client.get("/c/khong-co").status_code == 404


def test_product_page_shows_household_certifications_harvest_and_price_per_kg(client, db, make_household,
                                                                               make_listing):
    household = make_household(name="Hộ ông Tư")
    db.session.add(Certification(household=household, kind=CertificationKind.OCOP, stars=4, number="OCOP-4",
                                 expires_on=date.today() + timedelta(days=100)))
    db.session.commit()
    listing = make_listing(household, title="Bưởi Năm Roi", unit=Unit.PIECE, price=45_000, weight_grams=1500,
                           availability=Availability.PREORDER, shelf_life_days=20)
    body = client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Hộ ông Tư" in body and "OCOP 4★" in body
    assert "30.000 ₫" in body  # 45.000 ₫ for 1.5 kg
    assert listing.harvest_end.strftime("%d/%m/%Y") in body


def test_storefront_lists_only_visible_listings(client, make_household, make_listing):
    household = make_household(name="Vườn cô Ba")
    make_listing(household, title="Cam sành")
    make_listing(household, title="Quýt đường", status=ListingStatus.PAUSED)
    body = client.get(f"/h/{household.id}").get_data(as_text=True)
    assert "Vườn cô Ba" in body and "Cam sành" in body and "Quýt đường" not in body
    pending = make_household(verified=False)
    assert client.get(f"/h/{pending.id}").status_code == 404


def test_provinces_browse_lists_all_34_with_examples(client, make_household, make_listing):
    make_listing(make_household(ward_code=SAIGON_WARD), title="Nước mắm")
    body = client.get("/tinh").get_data(as_text=True)
    assert body.count('class="card"') == 34
    assert "Nước mắm" in body
    assert "Nước mắm" in client.get("/tinh/ho_chi_minh").get_data(as_text=True)
    assert client.get("/tinh/atlantis").status_code == 404


@pytest.mark.parametrize("path", ["/", "/c/trai-cay", "/tinh", "/tinh/ha_noi", "/h/{household}"])
def test_query_count_does_not_grow_with_the_listings_shown(client, db, make_household, make_listing, make_category,
                                                           path, uncached):
    fruit = make_category(slug="trai-cay")
    household = make_household()
    url = path.format(household=household.id)

    def queries_for_page():
        client.get(url)  # warm up
        with QueryCounter(db.engine) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    make_listing(household, category=fruit)
    few = queries_for_page()
    for _ in range(9):
        make_listing(make_household(ward_code=SAIGON_WARD), category=fruit)
        make_listing(household, category=fruit)
    many = queries_for_page()
    assert many == few, f"{url}: {few} queries for 1 listing, {many} for 19"


def test_product_page_query_count_is_fixed(client, db, make_household, make_listing, uncached):
    household = make_household()
    listing = make_listing(household)
    make_listing(household)  # one in "more from this household"
    client.get(f"/p/{listing.id}")
    with QueryCounter(db.engine) as few:
        client.get(f"/p/{listing.id}")
    for _ in range(5):
        make_listing(household)
    with QueryCounter(db.engine) as many:
        client.get(f"/p/{listing.id}")
    assert many.count == few.count
