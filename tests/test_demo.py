"""The demo loader (`flask demo load`) and the synthetic catalogue (`flask demo synth`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from marketplace.accounts.models import Role, User
from marketplace.accounts.phone import normalize_phone
from marketplace.catalog.models import Availability, Category, Listing, ListingPhoto, ListingStatus, Unit
from marketplace.demo import DEMO_ACCOUNTS, load_demo, synthesize
from marketplace.demo.data import CATEGORIES, CLERK_EMAIL, HOUSEHOLDS
from marketplace.geo.models import Ward
from marketplace.households.models import Certification, Household, HouseholdStatus


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _visible_listings(db) -> int:
    return db.session.scalar(
        select(func.count(Listing.id))
        .join(Listing.household)
        .where(Listing.status == ListingStatus.ACTIVE, Household.status == HouseholdStatus.VERIFIED)
    )


def test_every_demo_ward_code_exists_and_lies_in_the_stated_province(db):
    wards = dict(db.session.execute(select(Ward.code, Ward.province_code)).all())
    wrong = [(h.name, h.ward, h.province, wards.get(h.ward)) for h in HOUSEHOLDS if wards.get(h.ward) != h.province]
    assert wrong == []


def test_demo_data_is_varied_and_well_formed():
    slugs = {c["slug"] for c in CATEGORIES}
    listings = [item for h in HOUSEHOLDS for item in h.listings]
    phones = [normalize_phone(h.phone) for h in HOUSEHOLDS]
    assert len(HOUSEHOLDS) >= 32 and len({h.province for h in HOUSEHOLDS}) >= 16
    assert len(listings) >= 150
    assert None not in phones and len(set(phones)) == len(phones)
    assert HOUSEHOLDS[0].phone == "0911000001"
    assert sum(not h.verified for h in HOUSEHOLDS) == 2
    assert {item.category for item in listings} == slugs
    for item in listings:
        assert Unit(item.unit) and item.price > 0 and item.grams > 0 and item.min_qty >= 1, item.title
        assert item.shelf_days is None or item.shelf_days > 0, item.title
        if item.harvest:
            assert item.harvest[0] <= item.harvest[1] and item.harvest[0].year == 2027, item.title
    assert sum(item.harvest is not None for item in listings) >= 3
    assert any(item.paused for item in listings)
    for household in HOUSEHOLDS:
        for cert in household.certs:
            assert (cert.kind == "ocop") == (cert.stars is not None) and (cert.stars is None or 3 <= cert.stars <= 5)


def test_load_demo_builds_a_marketplace_of_every_role_with_photos_and_prices(app, db):
    assert load_demo() is True

    households = db.session.scalars(select(Household)).all()
    assert len(households) >= 30
    assert len({h.province_code for h in households}) >= 15
    assert Counter(h.status for h in households)[HouseholdStatus.PENDING] == 2
    clerk = db.session.scalar(select(User).where(User.email == CLERK_EMAIL))
    verified = [h for h in households if h.is_verified]
    assert verified and all(h.verified_by_id == clerk.id and h.verified_at for h in verified)
    assert all(h.photo and (Path(app.config["UPLOAD_DIR"]) / h.photo).is_file() for h in households)
    assert _count(db, Certification) >= 30
    assert _count(db, Category) == len(CATEGORIES)

    roles = set(db.session.scalars(select(User.role)))
    assert roles == {Role.BUYER, Role.HOUSEHOLD, Role.CLERK, Role.ADMIN}

    listings = db.session.scalars(select(Listing)).all()
    assert len(listings) >= 150
    for listing in listings:
        assert listing.photos, listing.title
        assert listing.price > 0 and listing.price_per_kg > 0, listing.title
        assert listing.province_code == listing.household.province_code
        assert (listing.availability is Availability.PREORDER) == (listing.harvest_start is not None)
    files = set(db.session.scalars(select(ListingPhoto.filename)))
    assert len(files) <= 2 * len(CATEGORIES)  # generated once per category, shared
    assert all((Path(app.config["UPLOAD_DIR"]) / name).is_file() for name in files)
    assert _visible_listings(db) >= 140


def test_second_load_returns_false_and_changes_nothing(db):
    assert load_demo() is True
    tables = (User, Household, Certification, Category, Listing, ListingPhoto)
    before = {model: _count(db, model) for model in tables}

    assert load_demo() is False

    assert {model: _count(db, model) for model in tables} == before


def test_flask_demo_load_prints_the_demo_accounts(runner, db):
    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 0, result.output
    assert "Demo data loaded." in result.output
    for ident in ("admin@chonongsan.vn", "clerk@chonongsan.vn", "0901234567", "0911000001", DEMO_ACCOUNTS["password"]):
        assert ident in result.output
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "nothing changed" in again.output


def test_demo_accounts_sign_in_through_the_real_login_form(client, db):
    load_demo()
    password = DEMO_ACCOUNTS["password"]

    for identifier in ("admin@chonongsan.vn", "0911000001", "buyer@example.vn", "0901234567"):
        response = client.post("/account/login", data={"identifier": identifier, "password": password})
        assert response.status_code == 302, identifier
        client.post("/account/logout")


def test_synthesize_adds_exactly_n_visible_listings_with_valid_wards(db):
    assert synthesize(500) == 500

    assert _count(db, Listing) == 500
    assert _visible_listings(db) == 500
    assert _count(db, Household) == 10
    assert _count(db, Category) == len(CATEGORIES)  # created because there were none
    mismatched = db.session.scalar(
        select(func.count(Listing.id))
        .join(Ward, Ward.code == Listing.origin_ward_code)
        .where(Ward.province_code != Listing.province_code)
    )
    assert mismatched == 0
    no_photo = db.session.scalar(select(func.count(Listing.id)).where(~Listing.photos.any()))
    assert no_photo == 0
    assert db.session.scalar(select(func.min(Listing.price_per_kg))) > 0


def test_synthesize_after_the_demo_uses_new_phone_numbers(db):
    load_demo()
    users = _count(db, User)

    assert synthesize(120, households=40) == 120

    assert _count(db, User) == users + 40
    phones = db.session.scalars(select(User.phone).where(User.phone.is_not(None))).all()
    assert len(phones) == len(set(phones))
    assert len(set(db.session.scalars(select(Household.province_code)))) == 34
