"""Orders a household leaves unconfirmed: a reminder after a day, then the buyer is released (the order is cancelled,
its stock given back, a card payment refunded) — run by `flask orders remind-unconfirmed` from cron, hourly."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.orders.errors import OrderError
from marketplace.orders.models import Order, OrderStatus, PaymentStatus
from marketplace.payments.errors import PaymentError
from marketplace.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: stored on the order's event, in the operators' language
CANCEL_REASON = "Hộ sản xuất không xác nhận đơn trong {hours} giờ"


@dataclass
class Sweep:
    reminded: list[int] = field(default_factory=list)
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
    """Remind each household once about orders waiting longer than ORDER_REMIND_AFTER_HOURS, cancel the ones waiting
    longer than ORDER_CANCEL_AFTER_HOURS; one order per transaction, safe to run any time and from several hosts."""
    from marketplace.notifications import services as notify
    from marketplace.orders.services import advance

    now = as_utc(now or utcnow())
    remind_after = current_app.config["ORDER_REMIND_AFTER_HOURS"]
    cancel_after = current_app.config["ORDER_CANCEL_AFTER_HOURS"]
    done = Sweep()
    for order_id in _waiting(now - timedelta(hours=cancel_after)):
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
    waiting = _waiting(now - timedelta(hours=remind_after))
    reminded = set(
        db.session.scalars(
            select(Notification.order_id).where(
                Notification.order_id.in_(waiting), Notification.kind == "confirm_reminder"
            )
        )
    )
    for order_id in waiting:
        if order_id not in reminded:
            notify.confirm_reminder(db.session.get(Order, order_id))
            db.session.commit()
            done.reminded.append(order_id)
    return done
