"""Recording and reading the audit log of staff actions.

Services call `record` in the same transaction as the action (a refused or rolled-back action leaves no entry).
Only actions of postal staff and administrators are recorded, and only on data that is not their own: a household
confirming its own order is not audited, a clerk confirming it on the household's behalf is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import Select

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.staff.models import AuditEntry
from marketplace.timeutil import utcnow

#: action key → what it means (the admin page's filter and labels)
ACTIONS = {
    "order.move": _l("Moved an order on someone's behalf"),
    "order.call": _l("Called a household about an unconfirmed order (no answer)"),
    "household.verify": _l("Verified a household"),
    "household.register": _l("Registered a household at the counter"),
    "household.sign_in_sheet": _l("Printed a sign-in sheet (new temporary password)"),
    "address.verify": _l("Verified a digital address"),
    "listing.create": _l("Created a listing for a household"),
    "listing.edit": _l("Edited a household's listing"),
    "listing.status": _l("Paused, resumed or deleted a household's listing"),
    "parcel.accept": _l("Accepted a parcel at the counter"),
    "parcel.receive": _l("Received a parcel for delivery"),
    "parcel.out": _l("Sent a parcel out for delivery"),
    "parcel.deliver": _l("Recorded a delivery"),
    "parcel.fail": _l("Recorded a failed delivery attempt"),
    "parcel.hand_back": _l("Handed a parcel back to its household"),
    "round.build": _l("Built a postman's delivery round"),
    "day.close": _l("Closed a day's cash on delivery"),
    "payout.create": _l("Created a payout batch"),
    "payout.paid": _l("Marked a payout batch paid"),
    "tariff.edit": _l("Changed the tariff"),
    "commission.edit": _l("Changed a category's commission"),
    "review.moderate": _l("Hid or showed a review"),
    "relief.event_declare": _l("Declared a disaster event"),
    "relief.event_edit": _l("Changed a disaster event"),
    "relief.event_close": _l("Closed a disaster event"),
    "relief.delay_edit": _l("Changed an event's delay table"),
    "relief.priority_edit": _l("Changed the priority categories"),
    "relief.point_status": _l("Opened, closed or moved a service point"),
    "relief.order_action": _l("Held, rerouted, set a deadline for or cancelled an order in an event"),
    "relief.campaign_edit": _l("Created or changed a relief campaign"),
    "relief.budget_grant": _l("Added to a relief campaign's budget"),
    "relief.recipient_approve": _l("Approved a relief recipient"),
    "relief.rescue_edit": _l("Created or changed a produce rescue drive"),
    "parcel.pickup_arrived": _l("Recorded a parcel arrived for pickup"),
    "parcel.pickup_collect": _l("Handed a parcel over at the counter (pickup)"),
    "bank_account.set": _l("Registered or changed a bank account for payouts or refunds"),
    "transfer.match": _l("Matched a bank transfer to a checkout by hand"),
    "transfer.refund": _l("Chose to give a bank transfer back"),
    "refund.done": _l("Recorded a refund transferred by hand"),
    "payout.line_paid": _l("Marked one payout transfer made"),
}

#: actions recorded whoever makes them (a household changing where its money goes is audited too)
ANYONE = frozenset({"bank_account.set"})

#: object type → its name (the admin page's filter)
OBJECT_TYPES = {
    "order": _l("Order"),
    "parcel": _l("Parcel"),
    "household": _l("Household"),
    "address": _l("Digital address"),
    "listing": _l("Listing"),
    "user": _l("Account"),
    "payout_batch": _l("Payout batch"),
    "reconciliation": _l("Closed day"),
    "tariff_rate": _l("Tariff step"),
    "category": _l("Category"),
    "review": _l("Review"),
    "disaster_event": _l("Disaster event"),
    "service_point": _l("Service point"),
    "campaign": _l("Relief campaign"),
    "rescue_drive": _l("Produce rescue drive"),
    "bank_account": _l("Bank account"),
    "bank_transaction": _l("Bank transfer received"),
    "transfer_refund": _l("Refund by transfer"),
    "payout_item": _l("Payout line"),
}


def is_staff(user: User | None) -> bool:
    return user is not None and user.role in (Role.CLERK, Role.ADMIN)


def record(
    actor: User,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str | Callable[[], str] = "",
    household_id: int | None = None,
) -> AuditEntry | None:
    """Append one entry for a staff action (nothing for other roles, except the actions in ANYONE); flushes. `summary` may be a function that builds
    it (with labels and formatted amounts): it is called in Vietnamese, the operator's language, whoever acted and in
    whatever language, also outside requests."""
    if not is_staff(actor) and action not in ANYONE:
        return None
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"unknown audit object type {object_type}")
    from marketplace.postal.points import point_of

    point = point_of(actor)
    with force_locale("vi"):
        text = str(summary() if callable(summary) else summary)[:300]
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=actor.id,
        actor_role=actor.role.value,
        point_id=point.id if point is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        household_id=household_id,
        summary=text,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    point_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    household_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def query(f: AuditFilter, before_id: int | None = None) -> Select:
    """Entries matching the filter, newest first, starting below `before_id` (keyset pages: the log only grows)."""
    q = select(AuditEntry)
    for column, value in (
        (AuditEntry.actor_id, f.actor_id),
        (AuditEntry.point_id, f.point_id),
        (AuditEntry.action, f.action),
        (AuditEntry.object_type, f.object_type),
        (AuditEntry.object_id, f.object_id),
        (AuditEntry.household_id, f.household_id),
    ):
        if value is not None:
            q = q.where(column == value)
    if f.since is not None:
        q = q.where(AuditEntry.created_at >= f.since)
    if f.until is not None:
        q = q.where(AuditEntry.created_at < f.until)
    if before_id is not None:
        q = q.where(AuditEntry.id < before_id)
    return q.order_by(AuditEntry.id.desc())


def page(f: AuditFilter, before_id: int | None = None, size: int = 50) -> tuple[list[AuditEntry], int | None]:
    """One page of entries and the id to continue below (None on the last page)."""
    loads = (selectinload(AuditEntry.actor), selectinload(AuditEntry.point), selectinload(AuditEntry.household))
    rows = list(db.session.scalars(query(f, before_id).options(*loads).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more and rows else None)
