"""Declaring, changing and closing disaster events, and finding the events that touch wards."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.relief.errors import InvalidEvent, NotAllowed
from marketplace.relief.models import (
    AreaKind,
    CheckoutRule,
    DelayRule,
    DisasterEvent,
    DisasterEventWard,
    EventKind,
    Severity,
)
from marketplace.staff import audit
from marketplace.timeutil import as_utc, utcnow

#: the most wards one event may name (a typo guard: a whole large province has about 160)
MAX_WARDS = 1_000


@dataclass(frozen=True)
class EventData:
    kind: EventKind
    title: str
    severity: Severity
    checkout_rule: CheckoutRule
    starts_at: datetime
    expected_end_at: datetime | None
    dispatch: str
    public_note: str
    ward_codes: frozenset[int]


def _require_admin(actor: User) -> None:
    if actor is None or actor.role is not Role.ADMIN:
        raise NotAllowed()


def pick_wards(province_code: int | None, ward_codes: list[int], listed: str) -> frozenset[int]:
    """The wards an administrator picked: every ward of a province, wards chosen one by one, and a typed list of
    ward codes or names (comma, semicolon or new line between them). Raises InvalidEvent naming what it could not
    find, or when nothing was picked."""
    picked: set[int] = set(int(c) for c in ward_codes if c)
    if province_code:
        picked |= set(db.session.scalars(select(Ward.code).where(Ward.province_code == province_code)))
    unknown = []
    for item in (t.strip() for t in re.split(r"[,;\n]+", listed or "") if t.strip()):
        if item.isdigit():
            ward = db.session.get(Ward, int(item))
            matches = [ward.code] if ward else []
        else:
            matches = list(db.session.scalars(select(Ward.code).where(Ward.name.ilike(f"%{item}%")).limit(3)))
        if len(matches) != 1:
            unknown.append(item)
        else:
            picked |= set(matches)
    if unknown:
        raise InvalidEvent(_l("No single ward matches: %(items)s. Type ward codes, or names as in the list.",
                              items=", ".join(unknown[:10])))
    known = set(db.session.scalars(select(Ward.code).where(Ward.code.in_(picked)))) if picked else set()
    if not known:
        raise InvalidEvent(_l("Choose the affected wards: a province, wards from the list, or typed codes."))
    if len(known) > MAX_WARDS:
        raise InvalidEvent(_l("An event may cover at most %(n)s wards.", n=MAX_WARDS))
    return frozenset(known)


def _validate(data: EventData) -> None:
    if not data.title.strip():
        raise InvalidEvent(_l("Give the event a title."))
    if data.expected_end_at is not None and as_utc(data.expected_end_at) <= as_utc(data.starts_at):
        raise InvalidEvent(_l("The expected end must come after the start."))
    if not data.ward_codes:
        raise InvalidEvent(_l("Choose the affected wards: a province, wards from the list, or typed codes."))


def declare(admin: User, data: EventData, extra_days: int = 0) -> DisasterEvent:
    """Declare an event; with `extra_days`, its delay table starts with that delay to and from the affected wards.
    Households of the affected wards are told (a background job). Audited. Raises NotAllowed or InvalidEvent."""
    _require_admin(admin)
    _validate(data)
    if not 0 <= extra_days <= 60:
        raise InvalidEvent(_l("Extra days are from 0 to 60."))
    now = utcnow()
    event = DisasterEvent(created_by_id=admin.id, created_at=now, updated_at=now)
    _assign(event, data)
    if extra_days:
        event.delays.append(DelayRule(from_kind=AreaKind.AFFECTED, to_kind=AreaKind.ANY, extra_days=extra_days))
        event.delays.append(DelayRule(from_kind=AreaKind.ANY, to_kind=AreaKind.AFFECTED, extra_days=extra_days))
    db.session.add(event)
    db.session.flush()
    audit.record(admin, "relief.event_declare", "disaster_event", event.id,
                 lambda: f"{event.title} · {event.kind.value} · {event.severity.value} · {event.checkout_rule.value} · "
                         f"{len(data.ward_codes)} xã/phường · {event.dispatch}")
    from marketplace.jobs.queue import enqueue

    enqueue("relief.notify_event", event.id, key=f"relief-event-{event.id}-{len(data.ward_codes)}")
    return event


def _assign(event: DisasterEvent, data: EventData) -> None:
    for f in fields(EventData):
        if f.name != "ward_codes":
            value = getattr(data, f.name)
            setattr(event, f.name, value.strip() if isinstance(value, str) else value)
    current = {w.ward_code: w for w in event.wards}
    for code in set(current) - data.ward_codes:
        event.wards.remove(current[code])
    for code in sorted(data.ward_codes - set(current)):
        event.wards.append(DisasterEventWard(ward_code=code))


def update(admin: User, event: DisasterEvent, data: EventData) -> list[str]:
    """Change an event (still open); every changed field is written to the audit log with its old and new value.
    Returns the changes. Raises NotAllowed or InvalidEvent (a closed event, bad dates, no ward)."""
    _require_admin(admin)
    if event.closed_at is not None:
        raise InvalidEvent(_l("This event is closed; declare a new one."))
    _validate(data)
    changes = []
    for f in fields(EventData):
        old = event.ward_codes if f.name == "ward_codes" else getattr(event, f.name)
        new = getattr(data, f.name)
        if isinstance(old, datetime) and isinstance(new, datetime):
            same = as_utc(old) == as_utc(new)
        else:
            same = old == new
        if not same:
            if f.name == "ward_codes":
                changes.append(f"wards: +{len(new - old)} −{len(old - new)}")
            else:
                changes.append(f"{f.name}: {getattr(old, 'value', old)} → {getattr(new, 'value', new)}")
    if not changes:
        return []
    _assign(event, data)
    event.updated_at = utcnow()
    db.session.flush()
    audit.record(admin, "relief.event_edit", "disaster_event", event.id, "; ".join(changes))
    if any(c.startswith("wards:") for c in changes):
        from marketplace.jobs.queue import enqueue

        enqueue("relief.notify_event", event.id, key=f"relief-event-{event.id}-{len(data.ward_codes)}")
    return changes


def close(admin: User, event: DisasterEvent) -> None:
    """Close the event: its rules and delays stop applying. Audited. Raises NotAllowed or InvalidEvent."""
    _require_admin(admin)
    if event.closed_at is not None:
        raise InvalidEvent(_l("This event is closed already."))
    event.closed_at = event.updated_at = utcnow()
    db.session.flush()
    audit.record(admin, "relief.event_close", "disaster_event", event.id, event.title)


def add_delay(admin: User, event: DisasterEvent, rule: DelayRule) -> DelayRule:
    """Add a row to the event's delay table. Audited. Raises NotAllowed or InvalidEvent."""
    _require_admin(admin)
    if not 0 <= (rule.extra_days or 0) <= 60:
        raise InvalidEvent(_l("Extra days are from 0 to 60."))
    for side in ("from", "to"):
        kind, province = getattr(rule, f"{side}_kind"), getattr(rule, f"{side}_province_code")
        if (kind is AreaKind.PROVINCE) != (province is not None):
            raise InvalidEvent(_l("Choose the province for an area “in a province” (and only then)."))
    event.delays.append(rule)
    db.session.flush()
    audit.record(admin, "relief.delay_edit", "disaster_event", event.id,
                 f"+ {rule.from_kind.value}{rule.from_province_code or ''} → {rule.to_kind.value}"
                 f"{rule.to_province_code or ''} · {rule.category_id or '*'} · {rule.extra_days}")
    return rule


def remove_delay(admin: User, event: DisasterEvent, rule_id: int) -> None:
    _require_admin(admin)
    rule = next((r for r in event.delays if r.id == rule_id), None)
    if rule is None:
        raise InvalidEvent(_l("No such row in this event's delay table."))
    event.delays.remove(rule)
    db.session.flush()
    audit.record(admin, "relief.delay_edit", "disaster_event", event.id, f"− #{rule_id} · {rule.extra_days}")


def is_active(event: DisasterEvent, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return event.closed_at is None and as_utc(event.starts_at) <= now


def active_events() -> list[DisasterEvent]:
    """Events declared, started and not closed, with their delay tables (a handful at any time)."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(DisasterEvent)
            .where(DisasterEvent.closed_at.is_(None), DisasterEvent.starts_at <= now)
            .options(selectinload(DisasterEvent.delays))
            .order_by(DisasterEvent.starts_at.desc(), DisasterEvent.id.desc())
        )
    )


def events_touching(ward_codes) -> dict[int, list[DisasterEvent]]:
    """ward code → the active events covering it, for the given wards (one query)."""
    codes = {int(c) for c in ward_codes if c}
    if not codes:
        return {}
    now = utcnow()
    rows = db.session.execute(
        select(DisasterEventWard.ward_code, DisasterEvent)
        .join(DisasterEvent, DisasterEvent.id == DisasterEventWard.event_id)
        .where(DisasterEventWard.ward_code.in_(codes), DisasterEvent.closed_at.is_(None),
               DisasterEvent.starts_at <= now)
    ).all()
    out: dict[int, list[DisasterEvent]] = {}
    for ward_code, event in rows:
        out.setdefault(ward_code, []).append(event)
    return out


def all_events(limit: int = 100) -> list[DisasterEvent]:
    return list(db.session.scalars(select(DisasterEvent).order_by(DisasterEvent.id.desc()).limit(limit)))
