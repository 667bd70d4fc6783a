"""In-app: the bell's notification list. Order events already write their notification row in the same transaction
(`notifications.services`), so for them this channel only says the message rests there; other kinds (a code) are not
shown in-app (a code must go to the phone) and the channel does not reach them."""

from __future__ import annotations

from marketplace.messaging.channels import Outgoing
from marketplace.messaging.texts import ORDER_KINDS

name = "in_app"


def reaches(out: Outgoing) -> bool:
    return out.user_id is not None and out.kind in ORDER_KINDS


def configured() -> bool:
    return True


def describe(out: Outgoing) -> tuple[str, str]:
    return f"user {out.user_id}", out.kind


def send(out: Outgoing) -> str:
    return ""
