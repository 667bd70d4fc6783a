"""UPU S10 tracking numbers: `EE123456785VN` = service indicator, 8-digit serial, check digit, country.

Serials come from `s10_counters`, advanced with one `UPDATE … SET last_serial = last_serial + 1 … RETURNING`: on
PostgreSQL the row lock serialises concurrent desks, on SQLite the single writer does; no two parcels share a number.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from marketplace.extensions import db
from marketplace.postal.errors import InvalidTrackingNumber

COUNTRY = "VN"
WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
#: first letters the UPU keeps for other uses
RESERVED_FIRST = frozenset("JKSTW")
MAX_SERIAL = 99_999_999
_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")


def check_digit(serial: str) -> int:
    """The S10 check digit of an 8-digit serial (weights 8 6 4 2 3 5 9 7; 11 − sum mod 11; 10 → 0, 11 → 5)."""
    if len(serial) != 8 or not serial.isdigit():
        raise InvalidTrackingNumber(f"serial must be 8 digits, got {serial!r}")
    check = 11 - sum(int(d) * w for d, w in zip(serial, WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def _check_indicator(indicator: str) -> str:
    indicator = indicator.upper()
    if not re.fullmatch(r"[A-Z]{2}", indicator):
        raise InvalidTrackingNumber(f"service indicator must be two letters, got {indicator!r}")
    if indicator[0] in RESERVED_FIRST:
        raise InvalidTrackingNumber(f"service indicators starting with {indicator[0]} are reserved by the UPU")
    return indicator


def compose(indicator: str, serial: int) -> str:
    """`compose("EE", 12345678)` → `EE123456785VN`. Raises InvalidTrackingNumber on a bad indicator or serial."""
    indicator = _check_indicator(indicator)
    if not 0 < serial <= MAX_SERIAL:
        raise InvalidTrackingNumber(f"serial out of range: {serial}")
    digits = f"{serial:08d}"
    return f"{indicator}{digits}{check_digit(digits)}{COUNTRY}"


def normalize(value: str) -> str:
    """Upper-case and drop spaces and dashes (people type `ee 123 456 785 vn`)."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def is_valid(value: str) -> bool:
    """True for a well-formed S10 number of ours (right shape, unreserved indicator, right check digit, VN)."""
    m = _S10.match(normalize(value))
    if not m or m.group(4) != COUNTRY or m.group(1)[0] in RESERVED_FIRST:
        return False
    return check_digit(m.group(2)) == int(m.group(3))


def validate(value: str) -> str:
    """Return the compact form of a valid number. Raises InvalidTrackingNumber otherwise."""
    compact = normalize(value)
    if not is_valid(compact):
        raise InvalidTrackingNumber(f"not a valid tracking number: {value!r}")
    return compact


def display(value: str) -> str:
    """`EE123456785VN` → `EE 123 456 785 VN` (the human-readable line under the barcode)."""
    v = normalize(value)
    return f"{v[:2]} {v[2:5]} {v[5:8]} {v[8:11]} {v[11:]}" if len(v) == 13 else v


def next_serial(indicator: str) -> int:
    """Reserve the next serial for `indicator` in the current transaction (safe under concurrency).

    Raises InvalidTrackingNumber when the indicator is reserved or its serials are exhausted.
    """
    indicator = _check_indicator(indicator)
    conn = db.session.connection()
    # an insert that does nothing when the row exists; both SQLite (3.24+) and PostgreSQL speak ON CONFLICT
    conn.execute(
        text("INSERT INTO s10_counters (indicator, last_serial) VALUES (:i, 0) ON CONFLICT (indicator) DO NOTHING"),
        {"i": indicator},
    )
    serial = conn.execute(
        text(
            "UPDATE s10_counters SET last_serial = last_serial + 1 WHERE indicator = :i AND last_serial < :max "
            "RETURNING last_serial"
        ),
        {"i": indicator, "max": MAX_SERIAL},
    ).scalar()
    if serial is None:
        raise InvalidTrackingNumber(f"serials for {indicator} are exhausted")
    return int(serial)


def generate(indicator: str) -> str:
    """A new, unique tracking number for `indicator` (E… express, C… parcel). Raises InvalidTrackingNumber."""
    return compose(indicator, next_serial(indicator))
