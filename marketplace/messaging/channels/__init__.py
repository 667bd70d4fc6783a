"""The channels behind the messaging interface: one module per channel, each `send(out) -> provider id`.

A channel raises `Unreachable` when it cannot carry this message to this person (no Zalo account, quota out, no
e-mail address): the next channel of the plan is tried. It raises `TryLater` when the provider failed in a way that
may pass (timeout, 5xx): the job is retried with backoff from the same channel, with the same dedupe id.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.messaging.errors import TryLater, Unreachable  # noqa: F401 - re-exported


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs, read from the message row (nothing else is loaded)."""

    message_id: int
    kind: str
    data: dict
    phone: str | None
    email: str | None
    locale: str
    user_id: int | None
    order_id: int | None
    #: the provider-side dedupe id: the same for every try of this message on this channel (eSMS RequestId,
    #: Zalo tracking_id)
    dedupe_id: str


def zalo_phone(e164: str) -> str:
    """`+84912345678` → `84912345678` (Zalo's international form without the plus)."""
    return e164.lstrip("+")


def local_phone(e164: str) -> str:
    """`+84912345678` → `0912345678`."""
    return "0" + e164[3:] if e164.startswith("+84") else e164


def registry() -> dict:
    from marketplace.messaging.channels import email, in_app, sms, zalo

    return {"zalo": zalo, "sms": sms, "email": email, "in_app": in_app}
