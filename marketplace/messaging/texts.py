"""What each kind of message says, per channel: the Zalo template and its data, a one-segment SMS text, an e-mail.

Zalo ZNS only carries templates approved beforehand: each kind names one (`ZALO_TEMPLATES` maps our template names to
Zalo's ids) and fills its parameters. SMS texts are Vietnamese without diacritics (GSM 7-bit: 160 characters in one
segment; Unicode would allow 70) and are cut to fit, the link kept whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from marketplace.web import vnd as format_vnd

SMS_SEGMENT = 160
#: GSM 03.38 basic characters that are plain ASCII (the others are left out: no accents, no curly quotes)
_GSM_ASCII = re.compile(r"[^A-Za-z0-9 @$_!\"#%&'()*+,\-./:;<=>?\n]")

#: kinds that must reach the person whatever their "stop" preference (codes, work a household has to do)
ESSENTIAL = frozenset({"otp", "reset_code", "new_order", "confirm_reminder", "ready_link", "call_household"})
#: kinds sent by Zalo, SMS or e-mail when they happen to an order (the others stay in-app and e-mail, as before)
ORDER_KINDS = frozenset({"new_order", "confirm_reminder", "ready_link", "confirmed", "rejected", "cancelled",
                         "handed_over", "out_for_delivery", "delivered", "delivery_failed", "escalated",
                         "household_reminded",
                         "clerk_confirmed", "clerk_rejected"})


@dataclass(frozen=True)
class Rendered:
    zalo_template: str
    zalo_data: dict
    sms: str
    subject: str
    body: str


def fold(text: str) -> str:
    """Vietnamese without diacritics, GSM-safe ASCII: `Đơn hàng đã giao` → `Don hang da giao`."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("₫", "d").replace("–", "-").replace("→", ">")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _GSM_ASCII.sub("", text)


def sms_text(text: str, link: str = "") -> str:
    """One SMS segment: folded to GSM ASCII, at most 160 characters, the link (if any) whole at the end."""
    head = " ".join(fold(text).split())
    tail = f" {link}" if link else ""
    room = SMS_SEGMENT - len(tail)
    if len(head) > room:
        head = head[: room - 3].rstrip() + "..."
    return head + tail


def render(kind: str, data: dict, locale: str = "vi") -> Rendered:
    """The message `kind` with `data`, in `locale`. Raises KeyError for an unknown kind."""
    with force_locale(locale or "vi"):
        return _RENDER[kind](data)


def _number(data: dict) -> str:
    return str(data.get("number", ""))


def _otp(data: dict) -> Rendered:
    code = str(data["code"])
    text = _("Postal Farm Market: your code is %(code)s. It works for 5 minutes. Do not give it to anyone.",
             code=code)
    return Rendered("otp", {"otp": code}, sms_text(text), _("Postal Farm Market: your code is %(code)s", code=code),
                    text)


def _reset_code(data: dict) -> Rendered:
    """A password-reset code asked for with an e-mail address (accounts.reset); a phone number gets `otp`."""
    code, minutes = str(data["code"]), int(data.get("minutes", 15))
    text = _("Your code to choose a new password is %(code)s. It works for %(minutes)d minutes. If you did not ask "
             "for it, ignore this message: your password has not changed.", code=code, minutes=minutes)
    return Rendered("otp", {"otp": code}, sms_text(text), _("Postal Farm Market: your code is %(code)s", code=code),
                    text)


def _new_order(data: dict) -> Rendered:
    number, link = _number(data), data.get("link", "")
    total = format_vnd(int(data.get("total", 0)))
    text = _("New order %(number)s (%(total)s): confirm or reject it with one tap.", number=number, total=total)
    return Rendered("order_new", {"order_code": number, "total": total, "items": data.get("items", ""),
                                  "link": link},
                    sms_text(text, link), _("Postal Farm Market: new order %(number)s", number=number),
                    f"{text}\n{data.get('items', '')}\n{link}")


def _confirm_reminder(data: dict) -> Rendered:
    number, link = _number(data), data.get("link", "")
    text = _("Order %(number)s is still waiting for you: confirm or reject it, or the post office will call you.",
             number=number)
    return Rendered("order_reminder", {"order_code": number, "link": link}, sms_text(text, link),
                    _("Postal Farm Market: order %(number)s", number=number), f"{text}\n{link}")


def _ready_link(data: dict) -> Rendered:
    number, link = _number(data), data.get("link", "")
    text = _("Order %(number)s confirmed. When it is packed, tap to say it is ready for the post:", number=number)
    return Rendered("order_ready", {"order_code": number, "link": link}, sms_text(text, link),
                    _("Postal Farm Market: order %(number)s", number=number), f"{text}\n{link}")


def _status(sentence):
    def make(data: dict) -> Rendered:
        number = _number(data)
        text = sentence(data)
        return Rendered("order_status", {"order_code": number, "status": text}, sms_text(text),
                        _("Postal Farm Market: order %(number)s", number=number), text)

    return make


_RENDER = {
    "otp": _otp,
    "reset_code": _reset_code,
    "new_order": _new_order,
    "confirm_reminder": _confirm_reminder,
    "ready_link": _ready_link,
    "confirmed": _status(lambda d: _("Order %(number)s was confirmed by the household and is being packed.",
                                     number=_number(d))),
    "clerk_confirmed": _status(lambda d: _("Order %(number)s was confirmed: the post office reached the household "
                                           "by phone.", number=_number(d))),
    "rejected": _status(lambda d: _("Order %(number)s was rejected by the household: %(reason)s. You pay nothing; "
                                    "a prepayment is refunded.", number=_number(d), reason=d.get("reason") or "-")),
    "clerk_rejected": _status(lambda d: _("Order %(number)s cannot be supplied (the post office called the "
                                          "household): %(reason)s. A prepayment is refunded.",
                                          number=_number(d), reason=d.get("reason") or "-")),
    "cancelled": _status(lambda d: _("Order %(number)s was cancelled: %(reason)s. A prepayment is refunded.",
                                     number=_number(d), reason=d.get("reason") or "-")),
    "household_reminded": _status(lambda d: _("Order %(number)s: the household has not confirmed yet; we reminded "
                                              "them.", number=_number(d))),
    "escalated": _status(lambda d: _("Order %(number)s: the household has not answered yet; the post office will "
                                     "call them today.", number=_number(d))),
    "handed_over": _status(lambda d: _("Order %(number)s was handed to the post office (%(tracking)s).",
                                       number=_number(d), tracking=d.get("tracking") or "-")),
    "out_for_delivery": _status(lambda d: _("Order %(number)s is out for delivery today. Post office: %(phone)s.",
                                            number=_number(d), phone=d.get("phone") or "-")),
    "delivered": _status(lambda d: _("Order %(number)s was delivered. Thank you!", number=_number(d))),
    "delivery_failed": _status(lambda d: _("Order %(number)s could not be delivered; the postman will try again. "
                                           "Post office: %(phone)s.", number=_number(d),
                                           phone=d.get("phone") or "-")),
}

KINDS = frozenset(_RENDER)
