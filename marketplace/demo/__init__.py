"""Demo marketplace: `load_demo()` fills a fresh database once; `synthesize(n)` adds a large synthetic catalogue.

Used by `flask demo load` and `flask demo synth` (marketplace/cli.py) and by the benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import click
from sqlalchemy import or_, select

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.accounts.phone import normalize_phone
from marketplace.catalog.models import Availability, Category, Listing, ListingPhoto, ListingStatus, Unit, price_per_kg
from marketplace.demo.data import (
    ADMIN_EMAIL,
    BUYER_EMAIL,
    CATEGORIES,
    CLERK_EMAIL,
    DEMO_ACCOUNTS,
    HOUSEHOLDS,
    PASSWORD,
    CLERK2_EMAIL,
    STAFF_AND_BUYERS,
)
from marketplace.demo.images import make_farm_photo, make_photo
from marketplace.demo.seeds import HouseholdSeed
from marketplace.demo.synth import synthesize
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.households.models import Certification, CertificationKind, Household, HouseholdStatus
from marketplace.media import StoredPhoto, store_photo
from marketplace.timeutil import utcnow

__all__ = ["DEMO_ACCOUNTS", "DemoConflict", "ensure_categories", "load_demo", "postal_summary", "synthesize"]

#: generated photos per category, shared by every listing of the category
PHOTO_VARIANTS = 2


class DemoConflict(click.ClickException):
    """A demo account's phone number or e-mail already belongs to another user (shown by the CLI as an error)."""


def ensure_categories() -> dict[str, Category]:
    """Create the demo categories whose slugs are missing; return every category by slug (flushed, not committed)."""
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    for spec in CATEGORIES:
        if spec["slug"] not in existing:
            existing[spec["slug"]] = category = Category(**spec)
            db.session.add(category)
    db.session.flush()
    return existing


def category_photos(slugs: Iterable[str]) -> dict[str, list[StoredPhoto]]:
    """Store PHOTO_VARIANTS generated photos for each category slug, to be shared by its listings."""
    return {slug: [store_photo(make_photo(slug, v), "listings") for v in range(PHOTO_VARIANTS)] for slug in slugs}


def load_demo(progress: bool = False) -> bool:
    """Load the demo marketplace in one transaction; return False, changing nothing, when it is already there.

    The demo administrator's account marks a loaded demo. Raises DemoConflict when another user already holds one of
    the demo phone numbers or e-mails.
    """
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        if postal_summary() is None:  # a demo loaded before the postal network existed: add it
            from marketplace.postal.demo import ensure_demo_postal

            ensure_demo_postal(
                db.session.scalar(select(User).where(User.email == CLERK_EMAIL)),
                db.session.scalar(select(User).where(User.email == BUYER_EMAIL)),
                _demo_households(),
                verifier=db.session.scalar(select(User).where(User.email == ADMIN_EMAIL)),
            )
            db.session.commit()
        from marketplace.relief.demo import CAMPAIGN_TITLE, ensure_demo_relief
        from marketplace.relief.models import Campaign

        if db.session.scalar(select(Campaign.id).where(Campaign.title == CAMPAIGN_TITLE)) is None:
            ensure_demo_relief(db.session.scalar(select(User).where(User.email == ADMIN_EMAIL)))
            db.session.commit()
        return False
    _check_identifiers_free()
    wards = _wards({seed.ward for seed in HOUSEHOLDS})
    for seed in HOUSEHOLDS:
        _check_ward(seed, wards)
    password_hash = hash_password(PASSWORD)  # once: Argon2 is deliberately slow
    categories = ensure_categories()
    people = {}
    for key, role, name, phone, email in STAFF_AND_BUYERS:
        people[key] = User(
            name=name,
            phone=normalize_phone(phone) if phone else None,
            email=email,
            role=Role(role),
            password_hash=password_hash,
            password_chosen_at=utcnow(),
        )
        db.session.add(people[key])
    photos = category_photos(sorted({item.category for seed in HOUSEHOLDS for item in seed.listings}))
    farm_photo = store_photo(make_farm_photo(), "households").thumb
    rng = random.Random(2025)
    now = utcnow()
    households = []
    with progress_bar(progress, HOUSEHOLDS, "Demo households") as seeds:
        for seed in seeds:
            household = _household(seed, password_hash, people["clerk"], farm_photo, now - _ago(rng, 400, 60))
            households.append(household)
            for item in seed.listings:
                created = now - _ago(rng, 45, 0)
                listing = Listing(
                    household=household,
                    category=categories[item.category],
                    title=item.title,
                    description=item.description,
                    unit=Unit(item.unit),
                    price=item.price,
                    stock=item.stock,
                    weight_grams=item.grams,
                    price_per_kg=price_per_kg(item.price, item.grams, Unit(item.unit)),
                    min_order_qty=item.min_qty,
                    shelf_life_days=item.shelf_days,
                    availability=Availability.PREORDER if item.harvest else Availability.IN_STOCK,
                    harvest_start=item.harvest[0] if item.harvest else None,
                    harvest_end=item.harvest[1] if item.harvest else None,
                    origin_ward_code=seed.ward,
                    province_code=seed.province,
                    status=ListingStatus.PAUSED if item.paused else ListingStatus.ACTIVE,
                    created_at=created,
                    updated_at=created,
                )
                first = rng.randrange(PHOTO_VARIANTS)
                for position in range(rng.choice((1, 2))):
                    stored = photos[item.category][(first + position) % PHOTO_VARIANTS]
                    listing.photos.append(ListingPhoto(position=position, filename=stored.filename, thumb=stored.thumb))
                db.session.add(listing)
    db.session.flush()
    _postal(people["clerk"], people["buyer"], households, people["admin"], people["clerk2"])
    db.session.commit()
    return True


def _postal(clerk: User, buyer: User, households: list[Household], admin: User, clerk2: User) -> None:
    """Service points, the clerks' points, digital addresses (marketplace/postal/demo.py)."""
    from marketplace.postal.demo import ensure_demo_postal

    ensure_demo_postal(clerk, buyer, households, verifier=admin, buyer_clerk=clerk2)
    from marketplace.relief.demo import ensure_demo_relief

    ensure_demo_relief(admin)


def _demo_households() -> list[Household]:
    phones = [normalize_phone(seed.phone) for seed in HOUSEHOLDS]
    by_phone = {
        u.phone: u.household for u in db.session.scalars(select(User).where(User.phone.in_(phones))) if u.household
    }
    return [by_phone[p] for p in phones if p in by_phone]


def postal_summary() -> dict[str, str] | None:
    """The demo clerk's service point and the demo buyer's digital-address code, or None before they exist."""
    from marketplace.postal.models import DigitalAddress
    from marketplace.postal.points import point_of

    clerk = db.session.scalar(select(User).where(User.email == CLERK_EMAIL))
    clerk2 = db.session.scalar(select(User).where(User.email == CLERK2_EMAIL))
    buyer = db.session.scalar(select(User).where(User.email == BUYER_EMAIL))
    point = point_of(clerk) if clerk else None
    point2 = point_of(clerk2) if clerk2 else None
    address = (
        db.session.scalar(select(DigitalAddress).where(DigitalAddress.user_id == buyer.id).limit(1)) if buyer else None
    )
    if point is None or address is None:
        return None
    summary = {"clerk_point": f"{point.code} · {point.name}", "buyer_address": address.code}
    if point2 is not None:
        summary["clerk2_point"] = f"{point2.code} · {point2.name}"
    return summary


def _household(seed: HouseholdSeed, password_hash: str, clerk: User, photo: str, created) -> Household:
    phone = normalize_phone(seed.phone)
    if phone is None:
        raise ValueError(f"demo household {seed.name!r} has an invalid phone {seed.phone!r}")
    user = User(
        name=seed.representative, phone=phone, role=Role.HOUSEHOLD, password_hash=password_hash, created_at=created,
        password_chosen_at=created,  # signed up with its own password (demo1234)
    )
    household = Household(
        user=user,
        name=seed.name,
        representative=seed.representative,
        phone=phone,
        ward_code=seed.ward,
        province_code=seed.province,
        address_line=seed.address,
        story=seed.story,
        photo=photo,
        created_at=created,
        status=HouseholdStatus.VERIFIED if seed.verified else HouseholdStatus.PENDING,
        verified_by=clerk if seed.verified else None,
        verified_at=created + timedelta(days=2) if seed.verified else None,
        certifications=[
            Certification(kind=CertificationKind(c.kind), stars=c.stars, number=c.number, expires_on=c.expires_on)
            for c in seed.certs
        ],
    )
    db.session.add(household)
    return household


def _check_identifiers_free() -> None:
    phones = [normalize_phone(p) for _, _, _, p, _ in STAFF_AND_BUYERS if p] + [
        normalize_phone(h.phone) for h in HOUSEHOLDS
    ]
    emails = [e for _, _, _, _, e in STAFF_AND_BUYERS if e]
    taken = db.session.execute(
        select(User.phone, User.email).where(or_(User.phone.in_(phones), User.email.in_(emails)))
    ).all()
    if taken:
        names = ", ".join(sorted({(phone if phone in phones else email) or "" for phone, email in taken}))
        raise DemoConflict(f"cannot load the demo: these demo accounts already belong to other users: {names}")


def _wards(codes: set[int]) -> dict[int, Ward]:
    return {w.code: w for w in db.session.scalars(select(Ward).where(Ward.code.in_(codes)))}


def _check_ward(seed: HouseholdSeed, wards: dict[int, Ward]) -> None:
    """Raises ValueError when the seed's ward is unknown or lies in another province (a mistake in the data)."""
    ward = wards.get(seed.ward)
    if ward is None or ward.province_code != seed.province:
        raise ValueError(f"demo household {seed.name!r}: ward {seed.ward} is not in province {seed.province}")


def _ago(rng: random.Random, max_days: int, min_days: int) -> timedelta:
    return timedelta(minutes=rng.randint(min_days * 24 * 60, max_days * 24 * 60))


@contextmanager
def progress_bar(show: bool, items, label: str) -> Iterator:
    """`click.progressbar` over `items` (an iterable, or a length) when `show`, else the plain items."""
    if show:
        kwargs = {"length": items} if isinstance(items, int) else {"iterable": items}
        with click.progressbar(label=label, **kwargs) as bar:
            yield bar
    else:
        yield _NoBar() if isinstance(items, int) else items


class _NoBar:
    def update(self, n_steps: int) -> None:
        pass
