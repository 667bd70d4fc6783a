"""Orders a household leaves unconfirmed climb a ladder (`flask orders remind-unconfirmed`, hourly from the jobs
scheduler): the household's message went at once (with a one-tap link) → a reminder after ORDER_REMIND_AFTER_HOURS
(a fresh link) → after ORDER_ESCALATE_AFTER_HOURS the order goes on its serving point's "call these households"
list, where a clerk calls and confirms or rejects on the household's behalf → only when it has waited there
ORDER_CALL_HOURS and ORDER_CANCEL_AFTER_HOURS have passed is it cancelled (stock back, a prepayment refunded). The
buyer is told at each step. Each step is taken once per order (`order_escalations`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.errors import OrderError
from marketplace.orders.models import Order, OrderStatus, PaymentStatus
from marketplace.payments.errors import PaymentError
from marketplace.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: stored on the order's event, in the operators' language
CANCEL_REASON = "Hộ sản xuất không xác nhận đơn trong {hours} giờ (bưu cục đã được báo để gọi điện)"


@dataclass
class Sweep:
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _waiting(older_than: datetime) -> list[int]:
    """Placed orders the household could confirm (paid, or cash on delivery) since before `older_than`."""
    rows = db.session.execute(
        select(Order.id, Order.created_at)
        .where(Order.status == OrderStatus.PLACED, Order.payment_status != PaymentStatus.UNPAID)
        .order_by(Order.id)
    ).all()
    return [order_id for order_id, created in rows if as_utc(created) < older_than]


def sweep(now: datetime | None = None) -> Sweep:
    """Take every waiting order one rung up the ladder if its time has come; one order per transaction, safe to run
    any time and from several hosts (each rung is a conditional update of the order's escalation row)."""
    from marketplace.messaging import escalation
    from marketplace.orders.services import advance

    now = as_utc(now or utcnow())
    config = current_app.config
    cancel_after, call_hours = config["ORDER_CANCEL_AFTER_HOURS"], config.get("ORDER_CALL_HOURS", 12)
    done = Sweep()
    for order_id in _waiting(now - timedelta(hours=cancel_after)):
        if not escalation.called_long_enough(order_id, now - timedelta(hours=call_hours)):
            continue  # the clerk has not had the order on his list long enough yet
        order = db.session.get(Order, order_id)
        try:
            advance(order, OrderStatus.CANCELLED, None, CANCEL_REASON.format(hours=cancel_after))
            db.session.commit()
            done.cancelled.append(order_id)
        except OrderError:  # confirmed or cancelled meanwhile: nothing to do
            db.session.rollback()
        except PaymentError:
            db.session.rollback()
            log.exception("order %s: the refund failed; it stays placed and is retried next run", order_id)
            done.failed.append(order_id)
    for order_id in _waiting(now - timedelta(hours=config["ORDER_REMIND_AFTER_HOURS"])):
        if escalation.remind(db.session.get(Order, order_id), now):
            db.session.commit()
            done.reminded.append(order_id)
    escalate_after = config.get("ORDER_ESCALATE_AFTER_HOURS", 36)
    for order_id in _waiting(now - timedelta(hours=escalate_after)):
        if escalation.escalate(db.session.get(Order, order_id), now):
            db.session.commit()
            done.escalated.append(order_id)
    return done
