"""Vietnamese mobile numbers: people type `0912 345 678`, `+84 912 345 678` or `84912345678`; stored as E.164."""

import re

#: mobile prefixes after the 0: 3x (Viettel), 5x, 7x, 8x, 9x
_MOBILE = re.compile(r"^(?:\+?84|0)([35789]\d{8})$")


def normalize_phone(raw: str) -> str | None:
    """Return `+84xxxxxxxxx`, or None when `raw` is not a Vietnamese mobile number."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    match = _MOBILE.match(digits)
    return f"+84{match.group(1)}" if match else None


def display_phone(e164: str | None) -> str:
    """`+84912345678` → `0912 345 678`."""
    if not e164 or not e164.startswith("+84"):
        return e164 or ""
    local = "0" + e164[3:]
    return f"{local[:4]} {local[4:7]} {local[7:]}"


def looks_like_phone(identifier: str) -> bool:
    return "@" not in identifier
