"""Household profile, certifications and verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.accounts.phone import normalize_phone
from marketplace.extensions import db
from marketplace.geo.services import get_ward
from marketplace.households.errors import InvalidProfile, NotAllowed
from marketplace.households.models import Certification, CertificationKind, Household, HouseholdStatus
from marketplace.media import delete_photo, store_photo
from marketplace.timeutil import utcnow


@dataclass(frozen=True)
class ProfileData:
    name: str
    representative: str
    phone: str
    ward_code: int
    address_line: str
    story: str = ""


@dataclass(frozen=True)
class CertificationData:
    kind: CertificationKind
    number: str
    expires_on: date
    stars: int | None = None


def household_of(user: User) -> Household | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Household).where(Household.user_id == user.id))


def save_profile(user: User, data: ProfileData, photo=None) -> Household:
    """Create or update `user`'s household. Raises NotAllowed (not a household account) or InvalidProfile."""
    if user.role is not Role.HOUSEHOLD:
        raise NotAllowed(_l("Only farm household accounts have a household profile."))
    phone = normalize_phone(data.phone)
    if phone is None:
        raise InvalidProfile(_l("Enter a Vietnamese mobile number such as 0912 345 678."))
    ward = get_ward(data.ward_code)
    if ward is None:
        raise InvalidProfile(_l("Choose the ward or commune."))
    household = household_of(user)
    if household is None:
        household = Household(user=user, status=HouseholdStatus.PENDING)
        db.session.add(household)
    household.name = data.name.strip()
    household.representative = data.representative.strip()
    household.phone = phone
    household.ward_code = ward.code
    household.province_code = ward.province_code
    household.address_line = data.address_line.strip()
    household.story = (data.story or "").strip()
    if photo is not None:
        stored = store_photo(photo, "households")
        delete_photo(household.photo)
        household.photo = stored.thumb
    db.session.flush()
    return household


def add_certification(household: Household, data: CertificationData) -> Certification:
    """Raises InvalidProfile for an OCOP rating outside 3–5 stars."""
    stars = data.stars if data.kind is CertificationKind.OCOP else None
    if data.kind is CertificationKind.OCOP and stars not in (3, 4, 5):
        raise InvalidProfile(_l("An OCOP rating has 3, 4 or 5 stars."))
    if not data.number.strip():
        raise InvalidProfile(_l("Enter the certificate number."))
    cert = Certification(household=household, kind=data.kind, stars=stars, number=data.number.strip(),
                         expires_on=data.expires_on)
    db.session.add(cert)
    db.session.flush()
    return cert


def remove_certification(household: Household, cert_id: int) -> None:
    """Raises NotAllowed when the certificate belongs to another household."""
    cert = db.session.get(Certification, cert_id)
    if cert is None or cert.household_id != household.id:
        raise NotAllowed(_l("That certificate is not yours."))
    db.session.delete(cert)
    db.session.flush()


def verify(household: Household, actor: User) -> None:
    """Mark a household verified; it may publish from now on. Administrators anywhere, clerks only for households
    their service point serves; recorded in the audit log.

    Raises NotAllowed for anyone else (views answer 404 to clerks of other points).
    """
    from marketplace.staff import audit
    from marketplace.staff.scope import staff_may_see

    if not staff_may_see(actor, household):
        raise NotAllowed(_l("Only a postal clerk of the household's service point or an administrator can verify it."))
    household.status = HouseholdStatus.VERIFIED
    household.verified_by_id = actor.id
    household.verified_at = utcnow()
    db.session.flush()
    audit.record(actor, "household.verify", "household", household.id, household.name, household_id=household.id)


def pending_households(actor: User, limit: int = 100) -> list[Household]:
    """Households waiting for verification that `actor` may verify (a clerk: those his point serves), oldest first."""
    from marketplace.staff.scope import scope_of

    scope = scope_of(actor)
    if scope is None:
        return []
    query = select(Household).where(Household.status == HouseholdStatus.PENDING)
    return list(db.session.scalars(scope.filter(query, Household).order_by(Household.created_at).limit(limit)))


def review_facts(household: Household) -> dict:
    """What a verifier looks at besides the profile: the household's digital addresses and its listings (a few)."""
    from marketplace.catalog.models import Listing
    from marketplace.postal.models import DigitalAddress

    addresses = list(db.session.scalars(select(DigitalAddress).where(DigitalAddress.household_id == household.id)))
    listings = list(
        db.session.scalars(select(Listing).where(Listing.household_id == household.id).order_by(Listing.id).limit(20))
    )
    return {"addresses": addresses, "listings": listings}
