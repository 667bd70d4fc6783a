"""Tracking events and the parcel state machine.

One table says which event may follow which status (`ALLOWED`) and where it leads (`LEADS_TO`). Events carry the time
they happened. The parcel's status is that of its newest *applied* event: an event is applied only when it can follow
the status and is not older than the event that set it. The network's events that arrive early wait for the step
before them; those older than the parcel's status (a scanner that synced late) stay history. Nothing moves a parcel
backwards or past a step, and an event time in the future is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.postal.errors import IllegalTransition, InvalidParcel
from marketplace.postal.models import ApiToken, Parcel, ParcelStatus, ServicePoint, TrackingEvent
from marketplace.signals import parcel_event_recorded
from marketplace.timeutil import as_utc, utcnow
from marketplace.web import vnd

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


def last_applied(parcel: Parcel) -> TrackingEvent | None:
    """The event that put the parcel in its current status (the newest applied one)."""
    return db.session.scalar(
        select(TrackingEvent)
        .where(TrackingEvent.parcel_id == parcel.id, TrackingEvent.applied.is_(True))
        .order_by(TrackingEvent.occurred_at.desc(), TrackingEvent.id.desc())
        .limit(1)
    )


def event_by_external_id(external_id: str) -> TrackingEvent | None:
    return db.session.scalar(select(TrackingEvent).where(TrackingEvent.external_id == external_id))


def max_skew() -> timedelta:
    """How far in the future an event time may lie (clocks of scanners and servers differ a little)."""
    return timedelta(seconds=int(current_app.config.get("POSTAL_EVENT_MAX_SKEW_SECONDS", 300)))


def record_event(
    parcel: Parcel,
    code: str,
    actor: User | None,
    point: ServicePoint | None,
    occurred_at: datetime | None = None,
    reason: str | None = None,
    external_id: str | None = None,
    source: str = "desk",
    cod_collected: int | None = None,
) -> TrackingEvent:
    """Store a tracking event and apply it, and any event that was waiting for it, to the parcel.

    A person at the desk (`actor` given) records what he does now: an event that cannot follow the parcel's status
    is refused. The postal network's events (no actor: the API, scanners) may arrive late or out of order: each is stored, and applied only
    when it can follow the parcel's status and is not older than the event that put the parcel there. One that
    arrives before an earlier step waits and is applied when that step arrives (EMI before EMG: EMG, then EMI); one
    older than the parcel's last applied event stays history. A parcel never moves backwards or skips a step.

    Idempotent by `external_id`: a known id returns the stored event and changes nothing. After
    POSTAL_MAX_ATTEMPTS failed attempts (EMH) the parcel starts back to the household (RTS), and so it does at once
    when the recipient refused it. A delivery (EMI) of a cash-on-delivery parcel records the cash collected, which
    must be the parcel's COD amount (taken from the parcel when the network does not say). Sends
    `parcel_event_recorded` for every stored event (applied=True when it moved the parcel).

    Raises InvalidParcel (unknown code, EMH without a known reason, a time more than POSTAL_EVENT_MAX_SKEW_SECONDS
    in the future, a cash amount that is not the parcel's) or IllegalTransition (a person's event that cannot
    follow).
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
    now = utcnow()
    occurred_at = as_utc(occurred_at) if occurred_at else now
    if occurred_at > now + max_skew():
        raise InvalidParcel(_l("The event time is in the future. Send the time the event happened, with its offset."))
    if code == "EMI" and cod_collected is not None and cod_collected != parcel.cod_amount:
        raise InvalidParcel(_l("The postman must collect exactly %(amount)s.", amount=vnd(parcel.cod_amount)))
    desk = actor is not None
    if desk:
        ensure_allowed(parcel, code)
        last = last_applied(parcel)
        if last is not None and occurred_at < as_utc(last.occurred_at):
            occurred_at = as_utc(last.occurred_at)  # a clerk acts now: keep the order of the parcel's history
    event = TrackingEvent(
        parcel=parcel,
        code=code,
        occurred_at=occurred_at,
        point_id=point.id if point else None,
        actor_id=actor.id if actor else None,
        reason=reason,
        external_id=external_id or None,
        source=source,
        applied=False,
    )
    db.session.add(event)
    db.session.flush()
    applied = _apply_waiting(parcel, actor, point)
    if event not in applied:
        if desk:
            raise IllegalTransition(
                _l("This parcel is “%(status)s”: “%(event)s” cannot be recorded now.",
                   status=STATUS_LABELS[parcel.status], event=DESCRIPTIONS[code])
            )
        parcel_event_recorded.send(parcel, event=event, applied=False)
    return event


def _apply_waiting(parcel: Parcel, actor: User | None, point: ServicePoint | None) -> list[TrackingEvent]:
    """Apply, in time order, every stored event that can now follow the parcel's status and is not older than its
    last applied event; returns them (and the automatic returns they caused)."""
    applied = []
    while True:
        last = last_applied(parcel)
        query = select(TrackingEvent).where(TrackingEvent.parcel_id == parcel.id, TrackingEvent.applied.is_(False))
        if last is not None:
            query = query.where(TrackingEvent.occurred_at >= last.occurred_at)
        waiting = db.session.scalars(query.order_by(TrackingEvent.occurred_at, TrackingEvent.id)).all()
        event = next((e for e in waiting if e.code in ALLOWED[parcel.status]), None)
        if event is None:
            return applied
        applied.extend(_apply(parcel, event, actor, point))


def _apply(parcel: Parcel, event: TrackingEvent, actor: User | None, point: ServicePoint | None) -> list:
    event.applied = True
    parcel.status = LEADS_TO[event.code]
    if event.code == "EMI":
        parcel.cod_collected = parcel.cod_amount
    db.session.flush()
    done = [event]
    if event.code == "EMH":
        parcel.failed_attempts = db.session.scalar(
            select(func.count())
            .select_from(TrackingEvent)
            .where(TrackingEvent.parcel_id == parcel.id, TrackingEvent.code == "EMH", TrackingEvent.applied.is_(True))
        )
        db.session.flush()
    parcel_event_recorded.send(parcel, event=event, applied=True)
    max_attempts = int(current_app.config.get("POSTAL_MAX_ATTEMPTS", 3))
    # a refusal at the door is final (buyers pay on delivery so that they can refuse): back at once
    if event.code == "EMH" and (parcel.failed_attempts >= max_attempts or event.reason == "refused"):
        back = TrackingEvent(
            parcel=parcel,
            code="RTS",
            occurred_at=event.occurred_at,
            point_id=event.point_id,
            actor_id=event.actor_id,
            source=event.source,
            applied=False,
        )
        db.session.add(back)
        db.session.flush()
        done.extend(_apply(parcel, back, actor, point))
    return done


def timeline(parcel: Parcel, applied_only: bool = False) -> list[TrackingEvent]:
    """The parcel's events in time order; `applied_only` for people outside the post office (buyers, the public
    page): an event that never moved the parcel (out of order, superseded) is not news to them."""
    query = select(TrackingEvent).where(TrackingEvent.parcel_id == parcel.id)
    if applied_only:
        query = query.where(TrackingEvent.applied.is_(True))
    return list(db.session.scalars(query.order_by(TrackingEvent.occurred_at, TrackingEvent.id)))


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
