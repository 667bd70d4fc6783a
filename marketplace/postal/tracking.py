"""Tracking events and the parcel state machine.

One table says which event may follow which status (`ALLOWED`) and where it leads (`LEADS_TO`). Events carry the time
they happened; the parcel's status is that of its latest event by `occurred_at`. An event older than the latest one
(a scanner that synced late) is stored for the history and does not move the status back.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.postal.errors import IllegalTransition, InvalidParcel
from marketplace.postal.models import ApiToken, Parcel, ParcelStatus, ServicePoint, TrackingEvent
from marketplace.signals import parcel_event_recorded
from marketplace.timeutil import as_utc, utcnow

S = ParcelStatus

#: event code → plain-language description shown to people
DESCRIPTIONS = {
    "EMA": _l("Accepted at the post office"),
    "EDD": _l("Arrived at a sorting centre"),
    "EDE": _l("Left the sorting centre"),
    "EMG": _l("Arrived at the delivery post office"),
    "EDH": _l("Waiting for pick-up at the post office"),
    "EDG": _l("Out for delivery with the postman"),
    "EMH": _l("Delivery attempt failed"),
    "EMI": _l("Delivered"),
    "RTS": _l("Returning to the sender"),
    "RTD": _l("Returned to the sender"),
}

#: failure reasons for EMH
REASONS = {
    "recipient_absent": _l("Recipient not at home"),
    "unreachable": _l("Recipient cannot be reached by phone"),
    "wrong_address": _l("Wrong or incomplete address"),
    "refused": _l("Recipient refused the parcel"),
    "moved": _l("Recipient has moved"),
    "damaged": _l("Goods damaged"),
}

STATUS_LABELS = {
    S.CREATED: _l("Waiting to be handed in"),
    S.ACCEPTED: _l("Accepted at the post office"),
    S.IN_TRANSIT: _l("On the way"),
    S.AT_DELIVERY_POINT: _l("At the delivery post office"),
    S.OUT_FOR_DELIVERY: _l("Out for delivery"),
    S.DELIVERED: _l("Delivered"),
    S.DELIVERY_FAILED: _l("Delivery attempt failed"),
    S.RETURNING: _l("Returning to the sender"),
    S.RETURNED: _l("Returned to the sender"),
    S.CANCELLED: _l("Cancelled before hand-in"),
}

#: the status each event puts the parcel in
LEADS_TO = {
    "EMA": S.ACCEPTED,
    "EDD": S.IN_TRANSIT,
    "EDE": S.IN_TRANSIT,
    "EMG": S.AT_DELIVERY_POINT,
    "EDH": S.AT_DELIVERY_POINT,
    "EDG": S.OUT_FOR_DELIVERY,
    "EMH": S.DELIVERY_FAILED,
    "EMI": S.DELIVERED,
    "RTS": S.RETURNING,
    "RTD": S.RETURNED,
}

#: the state machine: status → the events that may follow it
ALLOWED: dict[ParcelStatus, frozenset[str]] = {
    S.CREATED: frozenset({"EMA"}),
    S.ACCEPTED: frozenset({"EDD", "EDE", "EMG"}),
    S.IN_TRANSIT: frozenset({"EDD", "EDE", "EMG"}),
    S.AT_DELIVERY_POINT: frozenset({"EDG", "EDH", "EMI", "RTS"}),
    S.OUT_FOR_DELIVERY: frozenset({"EMI", "EMH"}),
    S.DELIVERY_FAILED: frozenset({"EDG", "EMG", "EMI", "RTS"}),
    S.RETURNING: frozenset({"EDD", "EDE", "RTD"}),
    S.DELIVERED: frozenset(),
    S.RETURNED: frozenset(),
    S.CANCELLED: frozenset(),
}


def ensure_allowed(parcel: Parcel, code: str) -> None:
    """Raises IllegalTransition when event `code` cannot follow the parcel's current status."""
    if code not in ALLOWED[parcel.status]:
        raise IllegalTransition(
            _l(
                "This parcel is “%(status)s”: “%(event)s” cannot be recorded now.",
                status=STATUS_LABELS[parcel.status],
                event=DESCRIPTIONS[code],
            )
        )


def latest_event(parcel: Parcel) -> TrackingEvent | None:
    return db.session.scalar(
        select(TrackingEvent)
        .where(TrackingEvent.parcel_id == parcel.id)
        .order_by(TrackingEvent.occurred_at.desc(), TrackingEvent.id.desc())
        .limit(1)
    )


def event_by_external_id(external_id: str) -> TrackingEvent | None:
    return db.session.scalar(select(TrackingEvent).where(TrackingEvent.external_id == external_id))


def record_event(
    parcel: Parcel,
    code: str,
    actor: User | None,
    point: ServicePoint | None,
    occurred_at: datetime | None = None,
    reason: str | None = None,
    external_id: str | None = None,
    source: str = "desk",
) -> TrackingEvent:
    """Store a tracking event and move the parcel's status when the event is its newest.

    Idempotent by `external_id`: a known id returns the stored event and changes nothing. An event older than the
    parcel's latest is stored without changing the status. After POSTAL_MAX_ATTEMPTS failed attempts (EMH) the
    parcel starts back to the household (RTS), and so it does at once when the recipient refused it.
    Sends `parcel_event_recorded` for every new event.

    Raises InvalidParcel (unknown code, EMH without a known reason) or IllegalTransition (the event cannot follow
    the parcel's current status).
    """
    code = (code or "").upper()
    if code not in LEADS_TO:
        raise InvalidParcel(_l("Unknown tracking event code %(code)s.", code=code))
    if external_id:
        known = event_by_external_id(external_id)
        if known is not None:
            return known
    if code == "EMH" and reason not in REASONS:
        raise InvalidParcel(_l("Choose why the delivery failed."))
    if code != "EMH":
        reason = None
    occurred_at = as_utc(occurred_at) if occurred_at else utcnow()
    latest = latest_event(parcel)
    applies = latest is None or occurred_at >= as_utc(latest.occurred_at)
    if applies:
        ensure_allowed(parcel, code)
    event = TrackingEvent(
        parcel=parcel,
        code=code,
        occurred_at=occurred_at,
        point_id=point.id if point else None,
        actor_id=actor.id if actor else None,
        reason=reason,
        external_id=external_id or None,
        source=source,
    )
    db.session.add(event)
    if applies:
        parcel.status = LEADS_TO[code]
    db.session.flush()
    if code == "EMH":
        parcel.failed_attempts = db.session.scalar(
            select(func.count())
            .select_from(TrackingEvent)
            .where(TrackingEvent.parcel_id == parcel.id, TrackingEvent.code == "EMH")
        )
        db.session.flush()
    parcel_event_recorded.send(parcel, event=event, applied=applies)
    max_attempts = int(current_app.config.get("POSTAL_MAX_ATTEMPTS", 3))
    # a refusal at the door is final (buyers pay on delivery so that they can refuse): back at once
    if applies and code == "EMH" and (parcel.failed_attempts >= max_attempts or reason == "refused"):
        record_event(parcel, "RTS", actor, point, occurred_at=occurred_at, source=source)
    return event


def timeline(parcel: Parcel) -> list[TrackingEvent]:
    return list(
        db.session.scalars(
            select(TrackingEvent)
            .where(TrackingEvent.parcel_id == parcel.id)
            .order_by(TrackingEvent.occurred_at, TrackingEvent.id)
        )
    )


# --- API tokens for the postal network's systems ------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(name: str) -> tuple[ApiToken, str]:
    """A new bearer token; returns the row and the token itself, which is shown once and never stored.

    Raises InvalidParcel for an empty or already used name.
    """
    name = (name or "").strip()
    if not name or db.session.scalar(select(ApiToken).where(ApiToken.name == name)):
        raise InvalidParcel(_l("Choose a new, non-empty token name."))
    token = "pt_" + secrets.token_urlsafe(32)
    row = ApiToken(name=name, token_hash=_digest(token))
    db.session.add(row)
    db.session.flush()
    return row, token


def authenticate(token: str | None) -> ApiToken | None:
    """The active token row for a presented bearer token, or None."""
    if not token:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.active.is_(True)))
    if row is not None:
        row.last_used_at = utcnow()
    return row
