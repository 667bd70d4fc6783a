"""Amounts of money typed by people, read one way everywhere: whole đồng, Vietnamese grouping.

`45.000`, `45 000`, `45000`, `45.000đ`, `1.250.000 ₫` and `1,250,000` all mean forty-five thousand / one million two
hundred and fifty thousand đồng. A group separator must be followed by exactly three digits, so `12.5`, `12,50` or
`45.000,5` are not read as thousands: VND has no minor unit, and a decimal part is refused with a message that says so
(before, "12.5" silently became 125 ₫).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError

#: the largest amount any form accepts (one thousand billion đồng): far above any price or day's cash, far below
#: what a BIGINT column or Stripe can hold
MAX_VND = 10**12

_CURRENCY = re.compile(r"\s*(₫|đồng|dong|vnđ|vnd|đ|d)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN = re.compile(r"[0-9]+", re.ASCII)
#: thousands grouped by one separator used consistently: 1.250.000, 1,250,000, 1 250 000
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[., ])[0-9]{3}(?:(?P=sep)[0-9]{3})*", re.ASCII)
_DECIMAL = re.compile(r"[0-9][0-9., ]*[.,][0-9]{1,2}|[.,][0-9]+", re.ASCII)


class InvalidAmount(DomainError, ValueError):
    message = _l("Enter an amount in đồng, for example 45.000.")


class DecimalAmount(InvalidAmount):
    message = _l(
        "Amounts are in whole đồng, without a decimal part: “%(typed)s” cannot be read. "
        "Type 12.500 for twelve thousand five hundred đồng."
    )


class AmountTooLarge(InvalidAmount):
    message = _l("The amount can be at most %(max)s.")


class NegativeAmount(InvalidAmount):
    message = _l("An amount cannot be negative.")


def parse_vnd(raw: str | None, maximum: int = MAX_VND) -> int | None:
    """Whole đồng from what a person typed; None for an empty field.

    Raises DecimalAmount (a decimal part such as `12.5`), NegativeAmount, AmountTooLarge (above `maximum`) or
    InvalidAmount (anything else that is not an amount).
    """
    text = (raw or "").strip()
    if not text:
        return None
    text = _CURRENCY.sub("", text).strip()
    text = _SPACES.sub(" ", text)
    if text[:1] in ("-", "−") and (_PLAIN.fullmatch(text[1:].strip()) or _GROUPED.fullmatch(text[1:].strip())):
        raise NegativeAmount()
    if _PLAIN.fullmatch(text) or _GROUPED.fullmatch(text):
        value = int(re.sub(r"[., ]", "", text))
    elif _DECIMAL.fullmatch(text):
        raise DecimalAmount(typed=(raw or "").strip()[:20])
    else:
        raise InvalidAmount()
    if value > maximum:
        from marketplace.web import vnd

        raise AmountTooLarge(max=vnd(maximum))
    return value
