"""Digital addresses: a code for a location, tied to a 2025 ward and an address line.

The code
--------
``WWWWW-XXXXX-XXXXC``, e.g. ``00070-H72VH-3CM4V`` (15 characters, said on the phone in three groups of five):

* ``WWWWW`` — the 2025 ward code, zero-padded to 5 digits. It names the ward (and so the province and the service
  point that delivers there), like the routing key of an Eircode.
* ``XXXXXXXXX`` — the 11-character Open Location Code of the point (a cell of about 2.8 × 3.5 m) without its first
  two characters and its ``+``. Those two are the same for the whole country and need no reference point: the
  longitude character is ``P`` (100°–120° E) and the latitude character is ``7`` (10°–30° N) unless the next
  character names a degree from 4° to 9° N (``P``–``X``: values 14–19), when it is ``6``. So every code decodes on
  its own, offline, to the centre of its cell — within 2.2 m of the registered position anywhere from 4° to 24° N
  and 100° to 120° E, the islands of Phú Quốc, Côn Đảo, Trường Sa and Hoàng Sa included (`decode`).
* ``C`` — a check character, ISO 7064 pure system with modulus 23 and radix 2 over the 14 characters before it
  (digits keep their values 0–9, the OLC letters C F G H J M P Q R V W X count 10–21). Because 23 is prime and every
  difference between two character values is below 23, any single mistyped character changes the sum, and so does
  any swap of two adjacent characters (the difference is multiplied by 2^k·(2 − 1) ≠ 0 mod 23). The check value 0–22
  is written with the alphabet below (digits, the OLC letters, then ``K``).

Old codes (before 2025-12): ``WWWWW-XXXX-XXXC``, 13 characters, the plus code shortened by four characters relative
to the province's centre, which decoded up to 222 km off in the large 2025 provinces. Migration 0017 gave every
address a new code and kept the old one in ``legacy_code``: an old code still resolves (`resolve`), and decodes
offline relative to its ward's centre (`decode`), which is right for any address within 55 km of that centre.

A position is refused when it lies implausibly far from the centre of the ward it names (`geo.centres`).
The registry is the authority: ``resolve`` looks the code up; the structure makes typing errors detectable and lets
a point be found offline.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from openlocationcode import openlocationcode as olc
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo.centres import distance_from_ward_m, plausible_radius_m, ward_centre
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
OLC_DIGITS = "23456789CFGHJMPQRVWX"
#: the code's length without separators: 5 ward digits, 9 plus-code characters, 1 check
LENGTH = 15
LEGACY_LENGTH = 13
_NORMALISE = re.compile(r"[\s\-+.]")
_BODY = re.compile(r"^\d{5}[" + OLC_DIGITS + r"]{9}$")
_LEGACY_BODY = re.compile(r"^\d{5}[" + OLC_DIGITS + r"]{7}$")


def check_character(body: str) -> str:
    """ISO 7064 pure MOD 23 (radix 2) check character over the body."""
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
    """The canonical code of a point in a ward (no database access). Raises InvalidAddress outside 4°–24° N,
    100°–120° E, where the dropped prefix would not be recoverable."""
    plus = olc.encode(lat, lng, OLC_LENGTH).replace("+", "")
    if plus[:2] != _prefix(plus[2]):
        raise InvalidAddress(_l("This position is outside Vietnam. Check the latitude and longitude."))
    body = f"{ward_code:05d}{plus[2:]}"
    return format_code(body + check_character(body))


def _prefix(third: str) -> str:
    """The two dropped plus-code characters, from the third (the degree of latitude within its 20° band)."""
    return ("6" if OLC_DIGITS.index(third) >= 14 else "7") + "P"


def format_code(compact: str) -> str:
    if len(compact) == LEGACY_LENGTH:
        return f"{compact[:5]}-{compact[5:9]}-{compact[9:]}"
    return f"{compact[:5]}-{compact[5:10]}-{compact[10:]}"


def normalize(code: str) -> str:
    """Upper-case, drop spaces, dashes, dots and plus signs: `00070 h72vh+3cm4v` → `00070H72VH3CM4V`."""
    return _NORMALISE.sub("", code or "").upper()


def parse(code: str) -> str:
    """The canonical form of a typed code (a current 15-character code, or an old 13-character one). Raises
    InvalidAddressCode with a message a person can act on."""
    compact = normalize(code)
    if not compact:
        raise InvalidAddressCode(_l("Enter a digital address code."))
    if len(compact) not in (LENGTH, LEGACY_LENGTH):
        raise InvalidAddressCode(
            _l(
                "A digital address code has 15 characters (5 digits, then 10 letters or digits); this one has %(n)s.",
                n=len(compact),
            )
        )
    body = _BODY if len(compact) == LENGTH else _LEGACY_BODY
    if not body.match(compact[:-1]) or compact[-1] not in CHECK_ALPHABET:
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


def is_legacy(code: str) -> bool:
    return len(normalize(code)) == LEGACY_LENGTH


def full_plus_code(code: str, ref_lat: float | None = None, ref_lng: float | None = None) -> str:
    """The full 11-character plus code a digital-address code stands for, offline. A current code needs nothing
    else; an old 13-character one is recovered relative to `ref_lat, ref_lng` or, by default, its ward's centre.

    Raises InvalidAddressCode (malformed) or UnknownAddressCode (an old code of a ward without a known centre)."""
    compact = normalize(parse(code))
    ward_code = int(compact[:5])
    if len(compact) == LENGTH:
        olc_part = compact[5:14]
        full = _prefix(olc_part[0]) + olc_part
        return f"{full[:8]}+{full[8:]}"
    if ref_lat is None or ref_lng is None:
        centre = ward_centre(ward_code)
        if centre is None:
            raise UnknownAddressCode(_l("No address has the code %(code)s. Ask the recipient to read it again.",
                                        code=format_code(compact)))
        ref_lat, ref_lng = centre.lat, centre.lng
    return olc.recoverNearest(f"{compact[5:9]}+{compact[9:12]}", ref_lat, ref_lng)


def decode(code: str) -> tuple[float, float]:
    """The position a code stands for (the centre of its plus-code cell), without the registry.
    Raises InvalidAddressCode or UnknownAddressCode (see `full_plus_code`)."""
    area = olc.decode(full_plus_code(code))
    return area.latitudeCenter, area.longitudeCenter


def check_in_ward(ward: Ward, lat: float, lng: float) -> None:
    """Raises InvalidAddress when the position lies implausibly far from the ward's centre (a Cái Bè code with a
    Hà Nội position), naming the ward and the distance so the person can correct the one that is wrong."""
    distance = distance_from_ward_m(ward.code, lat, lng)
    if distance is not None and distance > plausible_radius_m(ward.code, ward.name):
        raise InvalidAddress(
            _l(
                "This position is %(km)s km from %(ward)s. Check the latitude and longitude, or choose the ward "
                "where the place really is.",
                km=f"{distance / 1000:,.0f}".replace(",", "."),
                ward=ward.full_name,
            )
        )


def create_address(
    owner: User | None, lat: float, lng: float, ward_code: int, address_line: str, household_id: int | None = None
) -> DigitalAddress:
    """Register (or return the existing) digital address for a point in a ward.

    Raises InvalidAddress for coordinates outside Vietnam or implausibly far from the ward, an unknown ward or an
    empty address line.
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
    check_in_ward(ward, lat, lng)
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
    """The address a code names, current or old (13 characters, kept in `legacy_code`). Raises InvalidAddressCode
    (malformed, fails its check) or UnknownAddressCode."""
    canonical = parse(code)
    column = DigitalAddress.legacy_code if is_legacy(canonical) else DigitalAddress.code
    address = db.session.scalar(select(DigitalAddress).where(column == canonical))
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
