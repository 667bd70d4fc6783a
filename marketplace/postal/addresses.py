"""Digital addresses: a short code for a location, tied to a 2025 ward and an address line.

The code
--------
``WWWWW-XXXX-XXXC``, e.g. ``00070-2VH3-CM4K`` (13 significant characters, said on the phone in three groups):

* ``WWWWW`` — the 2025 ward code, zero-padded to 5 digits. It names the ward (and so the province and the service
  point that delivers there), like the routing key of an Eircode.
* ``XXXXXXX`` — the 11-character Open Location Code of the point (a cell of about 2.8 × 3.5 m) without its first four
  characters and its ``+``. The dropped four name the 1° × 1° cell (≈110 km) around the point. A ward is far smaller
  than 1°, so inside one ward the remaining seven characters are unique, and the full plus code is recovered with
  ``recoverNearest`` from any reference point within ±0.5° of the address — the ward's service point, or the centre
  of the ward's province (see ``full_plus_code``). Being derived from coordinates, the code survives a later change of
  boundaries: only its ward part would be re-issued.
* ``C`` — a check character, ISO 7064 pure system with modulus 23 and radix 2 over the 12 characters before it
  (digits keep their values 0–9, the OLC letters C F G H J M P Q R V W X count 10–21). Because 23 is prime and every
  difference between two character values is below 23, any single mistyped character changes the sum, and so does
  any swap of two adjacent characters (the difference is multiplied by 2^k·(2 − 1) ≠ 0 mod 23). The check value 0–22
  is written with the alphabet below (digits, the OLC letters, then ``K``).

The registry is the authority: ``resolve`` looks the code up; the structure only makes typing errors detectable and
lets a point be found offline.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from openlocationcode import openlocationcode as olc
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.postal.errors import InvalidAddress, InvalidAddressCode, NotAllowed, UnknownAddressCode
from marketplace.postal.geodata import in_vietnam
from marketplace.postal.models import DigitalAddress
from marketplace.timeutil import utcnow

#: characters that may appear in the body of a code, with their values for the check
BODY_ALPHABET = "0123456789CFGHJMPQRVWX"
#: the check value 0–22 written as one character
CHECK_ALPHABET = BODY_ALPHABET + "K"
MODULUS = 23
OLC_LENGTH = 11
_NORMALISE = re.compile(r"[\s\-+.]")
_BODY = re.compile(r"^\d{5}[" + "23456789CFGHJMPQRVWX" + r"]{7}$")


def check_character(body: str) -> str:
    """ISO 7064 pure MOD 23 (radix 2) check character over the 12-character body."""
    p = 0
    for ch in body:
        p = ((p + BODY_ALPHABET.index(ch)) * 2) % MODULUS
    return CHECK_ALPHABET[(MODULUS + 1 - p) % MODULUS]


def _is_consistent(compact: str) -> bool:
    """A compact code (body + check) whose check makes the whole sum ≡ 1 (mod 23)."""
    p = 0
    for ch in compact[:-1]:
        p = ((p + BODY_ALPHABET.index(ch)) * 2) % MODULUS
    return (p + CHECK_ALPHABET.index(compact[-1])) % MODULUS == 1


def encode(lat: float, lng: float, ward_code: int) -> str:
    """The canonical code of a point in a ward (no database access)."""
    plus = olc.encode(lat, lng, OLC_LENGTH).replace("+", "")
    body = f"{ward_code:05d}{plus[4:]}"
    compact = body + check_character(body)
    return format_code(compact)


def format_code(compact: str) -> str:
    return f"{compact[:5]}-{compact[5:9]}-{compact[9:]}"


def normalize(code: str) -> str:
    """Upper-case, drop spaces, dashes, dots and plus signs: `00070 2vh3+cm4k` → `000702VH3CM4K`."""
    return _NORMALISE.sub("", code or "").upper()


def parse(code: str) -> str:
    """The canonical form of a typed code. Raises InvalidAddressCode with a message a person can act on."""
    compact = normalize(code)
    if not compact:
        raise InvalidAddressCode(_l("Enter a digital address code."))
    if len(compact) != 13:
        raise InvalidAddressCode(
            _l(
                "A digital address code has 13 characters (5 digits, then 8 letters or digits); this one has %(n)s.",
                n=len(compact),
            )
        )
    if not _BODY.match(compact[:12]) or compact[12] not in CHECK_ALPHABET:
        raise InvalidAddressCode(
            _l("This code contains characters that digital addresses do not use. Check it and type it again.")
        )
    if not _is_consistent(compact):
        raise InvalidAddressCode(
            _l(
                "This code has a typing mistake (its check character does not match). "
                "Check each character and try again."
            )
        )
    return format_code(compact)


def full_plus_code(code: str, ref_lat: float, ref_lng: float) -> str:
    """Recover the full 11-character plus code from a digital-address code and a reference point within ±0.5°."""
    compact = normalize(parse(code))
    short = f"{compact[5:9]}+{compact[9:12]}"
    return olc.recoverNearest(short, ref_lat, ref_lng)


def create_address(
    owner: User | None, lat: float, lng: float, ward_code: int, address_line: str, household_id: int | None = None
) -> DigitalAddress:
    """Register (or return the existing) digital address for a point in a ward.

    Raises InvalidAddress for coordinates outside Vietnam, an unknown ward or an empty address line.
    """
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise InvalidAddress(_l("Enter the position as two numbers (latitude and longitude).")) from None
    if not in_vietnam(lat, lng):
        raise InvalidAddress(_l("This position is outside Vietnam. Check the latitude and longitude."))
    ward = db.session.get(Ward, ward_code) if ward_code else None
    if ward is None:
        raise InvalidAddress(_l("Choose the ward or commune."))
    line = (address_line or "").strip()
    if not line:
        raise InvalidAddress(_l("Enter the house number, hamlet or street."))
    code = encode(lat, lng, ward.code)
    existing = db.session.scalar(select(DigitalAddress).where(DigitalAddress.code == code))
    if existing is not None:
        return existing
    address = DigitalAddress(
        code=code,
        lat=lat,
        lng=lng,
        ward_code=ward.code,
        province_code=ward.province_code,
        address_line=line[:200],
        user_id=owner.id if owner is not None else None,
        household_id=household_id,
    )
    db.session.add(address)
    db.session.flush()
    return address


def resolve(code: str) -> DigitalAddress:
    """The address a code names. Raises InvalidAddressCode (malformed, fails its check) or UnknownAddressCode."""
    canonical = parse(code)
    address = db.session.scalar(select(DigitalAddress).where(DigitalAddress.code == canonical))
    if address is None:
        raise UnknownAddressCode(
            _l("No address has the code %(code)s. Ask the recipient to read it again.", code=canonical)
        )
    return address


def verify(address: DigitalAddress, clerk: User) -> DigitalAddress:
    """Mark an address checked by postal staff (who and when), recorded in the audit log. Administrators anywhere;
    clerks in their point's ward and for the households their point serves.

    Raises NotAllowed for anyone else (the staff scope, `staff.scope`).
    """
    from marketplace.staff import audit
    from marketplace.staff.scope import staff_may_see

    if not staff_may_see(clerk, address):
        raise NotAllowed(_l("Only a postal clerk of this area can verify this address."))
    address.verified_by_id = clerk.id
    address.verified_at = utcnow()
    db.session.flush()
    audit.record(clerk, "address.verify", "address", address.id, address.code, household_id=address.household_id)
    return address


def addresses_of(user: User) -> list[DigitalAddress]:
    return list(
        db.session.scalars(
            select(DigitalAddress).where(DigitalAddress.user_id == user.id).order_by(DigitalAddress.created_at)
        )
    )


def as_json(address: DigitalAddress) -> dict:
    return {
        "code": address.code,
        "address_line": address.address_line,
        "ward": address.ward.name,
        "ward_code": address.ward_code,
        "province": address.ward.province.name,
        "province_code": address.province_code,
        "lat": address.lat,
        "lng": address.lng,
        "verified": address.verified,
    }
