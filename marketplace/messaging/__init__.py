"""Messaging: one interface (`send_to_phone`, `send_to_user`), channels Zalo ZNS, SMS brandname (eSMS), e-mail,
in-app and a development outbox; delivery in the background job queue, idempotent per message key; one-tap order
links; the escalation ladder of unconfirmed orders."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("messaging", __name__)


def send_to_phone(phone: str, kind: str, data: dict, *, key: str, user=None) -> None:
    """Queue message `kind` with `data` to `phone` by Zalo then SMS, once the current transaction commits; the same
    `key` is sent once. `kind="otp"`, `data={"code": "123456"}` sends a one-time code (Zalo's authentication
    template, then SMS). Raises ValueError for a number that is not a Vietnamese mobile or an unknown kind."""
    from marketplace.messaging.services import send_to_phone as _send

    _send(phone, kind, data, key=key, user=user)


from marketplace.messaging import views  # noqa: E402,F401
