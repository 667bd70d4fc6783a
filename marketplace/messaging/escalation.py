"""The escalation ladder's rungs for one order (the sweep in `orders.reminders` climbs them) and the clerk's
"call these households" list.

Each rung is a conditional update of the order's `order_escalations` row (`… WHERE reminded_at IS NULL`), so two
sweeps running at once take it once. Staff scope decides which orders a clerk sees: only those of households his
own point serves (`staff.scope`), with the household's phone number to call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.messaging.models import Escalation
from marketplace.orders.models import Order, OrderStatus, PaymentStatus

#: what the clerk can do after calling
DECISIONS = ("confirm", "reject", "no_answer")


def _row(order_id: int) -> None:
    """Make sure the order has its escalation row (insert, nothing if it exists; no savepoint)."""
    if db.session.get(Escalation, order_id) is None:
        from marketplace.messaging.services import _insert_for

        insert = _insert_for(db.session.get_bind().dialect.name)
        db.session.execute(insert(Escalation).values(order_id=order_id, call_note="")
                           .on_conflict_do_nothing(index_elements=["order_id"]))


def _take(order_id: int, column, now: datetime) -> bool:
    _row(order_id)
    result = db.session.execute(
        update(Escalation).where(Escalation.order_id == order_id, column.is_(None)).values({column.key: now})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def remind(order: Order, now: datetime) -> bool:
    """Rung 2: remind the household (a fresh one-tap link) and tell the buyer; once per order. Flushes."""
    if not _take(order.id, Escalation.reminded_at, now):
        return False
    from marketplace.notifications import services as notify

    notify.confirm_reminder(order)
    notify.notice(order.buyer, order, "household_reminded")
    return True


def escalate(order: Order, now: datetime) -> bool:
    """Rung 3: the order goes on the serving point's call list; the buyer is told the post office will call the
    household. Once per order. Flushes."""
    if not _take(order.id, Escalation.escalated_at, now):
        return False
    from marketplace.notifications import services as notify

    notify.notice(order.buyer, order, "escalated")
    return True


def called_long_enough(order_id: int, before: datetime) -> bool:
    """Whether the order has been on the call list since before `before` (only then may it be cancelled)."""
    escalated_at = db.session.scalar(select(Escalation.escalated_at).where(Escalation.order_id == order_id))
    if escalated_at is None:
        return False
    from marketplace.timeutil import as_utc

    return as_utc(escalated_at) <= as_utc(before)


@dataclass(frozen=True)
class CallItem:
    order: Order
    escalation: Escalation
    household_name: str
    phone: str


def call_list(clerk: User, limit: int = 200) -> list[CallItem]:
    """Orders still waiting for their household that were escalated to the clerk's point, oldest first; empty for
    anyone outside the staff (and for a clerk without a point)."""
    from marketplace.accounts.phone import display_phone
    from marketplace.staff.scope import scope_of

    scope = scope_of(clerk)
    if scope is None:
        return []
    query = (
        select(Order, Escalation)
        .join(Escalation, Escalation.order_id == Order.id)
        .where(Escalation.escalated_at.is_not(None), Order.status == OrderStatus.PLACED,
               Order.payment_status != PaymentStatus.UNPAID)
        .order_by(Escalation.escalated_at, Order.id)
        .limit(limit)
    )
    rows = db.session.execute(scope.filter(query, Order)).all()
    return [CallItem(order, esc, order.household.name, display_phone(order.household.phone or order.household.user.phone))
            for order, esc in rows]


def record_call(clerk: User, order: Order, decision: str, note: str = "") -> None:
    """The clerk called the household about `order`: confirm or reject on its behalf (the order's timeline and the
    audit log say so), or note that nobody answered. Raises NotYourOrder outside the clerk's scope,
    IllegalTransition when the order moved meanwhile, ValueError for an unknown decision."""
    from marketplace.orders.errors import NotYourOrder
    from marketplace.orders.services import advance
    from marketplace.staff import audit
    from marketplace.staff.scope import staff_may_see
    from marketplace.timeutil import utcnow

    if decision not in DECISIONS:
        raise ValueError(decision)
    if not staff_may_see(clerk, order):
        raise NotYourOrder()
    note = " ".join((note or "").split())[:200]
    _row(order.id)
    escalation = db.session.get(Escalation, order.id, populate_existing=True)
    if decision == "no_answer":
        escalation.called_by_id, escalation.called_at = clerk.id, utcnow()
        escalation.call_note = (note or "Không nghe máy")[:300]
        db.session.flush()
        audit.record(clerk, "order.call", "order", order.id, f"{order.number}: không nghe máy · {note}".strip(" ·"),
                     household_id=order.household_id)
        return
    target = OrderStatus.CONFIRMED if decision == "confirm" else OrderStatus.REJECTED
    words = "xác nhận" if decision == "confirm" else "từ chối"
    reason = f"Bưu cục gọi điện, hộ {words} qua điện thoại (thay mặt hộ)" + (f": {note}" if note else "")
    advance(order, target, clerk, reason)  # audited as a staff move on the household's order
    escalation.called_by_id, escalation.called_at, escalation.call_note = clerk.id, utcnow(), note
    db.session.flush()
