"""One-tap links: signed, single-use, expiring links that let a household act on one order without a password.

The token is `<jti>.<signature>` (about 40 characters, so an SMS keeps room for words): `jti` is random, the
signature an HMAC of it under the app's secret key, so a guessed or altered token is refused before the database is
read. The row keeps the order, the purpose, the expiry and whether it was used; using it is one
`UPDATE … SET used_at WHERE used_at IS NULL`, so of two taps at once exactly one acts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.messaging.errors import BadLink
from marketplace.messaging.models import OneTapLink
from marketplace.orders.models import Order
from marketplace.timeutil import as_utc, utcnow

PURPOSES = ("confirm", "ready")


def _signature(jti: str) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), f"one-tap|{jti}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:22]


def issue(order: Order, purpose: str) -> str:
    """A new link token for `order` (`confirm`: confirm or reject; `ready`: mark ready for hand-over), valid for
    ONE_TAP_HOURS; its row is written with the caller's next flush (the token does not need the row's id)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    jti = secrets.token_urlsafe(12)
    now = utcnow()
    db.session.add(OneTapLink(jti=jti, order_id=order.id, purpose=purpose, created_at=now,
                              expires_at=now + timedelta(hours=current_app.config.get("ONE_TAP_HOURS", 72))))
    return f"{jti}.{_signature(jti)}"


def url(token: str) -> str:
    """The link as sent: PUBLIC_URL (or the current request's host) + `/o/<token>`."""
    base = current_app.config.get("PUBLIC_URL") or (request.host_url if has_request_context() else "")
    return f"{base.rstrip('/')}/o/{token}"


def find(token: str) -> OneTapLink:
    """The link of `token`, unused and unexpired. Raises BadLink("invalid" | "expired" | "used")."""
    token = token or ""
    if not token.isascii():
        raise BadLink("invalid")
    jti, _sep, signature = token.partition(".")
    if not jti or len(jti) > 32 or not hmac.compare_digest(_signature(jti).encode(), signature.encode()):
        raise BadLink("invalid")
    link = db.session.scalar(select(OneTapLink).where(OneTapLink.jti == jti))
    if link is None:
        raise BadLink("invalid")
    if link.used_at is not None:
        raise BadLink("used")
    if as_utc(link.expires_at) < utcnow():
        raise BadLink("expired")
    return link


def use(link: OneTapLink, outcome: str) -> None:
    """Spend the link, atomically: raises BadLink("used") when another tap spent it first (the caller rolls back
    whatever it did)."""
    result = db.session.execute(
        update(OneTapLink).where(OneTapLink.id == link.id, OneTapLink.used_at.is_(None))
        .values(used_at=utcnow(), outcome=outcome).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise BadLink("used")
