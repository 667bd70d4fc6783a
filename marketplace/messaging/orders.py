"""What the messaging feature says when an order moves: the household's new order with its one-tap link, the
reminder, the "ready for hand-over" link once confirmed; the buyer's updates (confirmed, handed to the post, out for
delivery with the delivering point's phone, delivered, failed, cancelled). Called by `notifications.services` for
each notification it writes, so the in-app row and the message are one event."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.messaging import links
from marketplace.messaging.services import send_to_user
from marketplace.messaging.texts import ORDER_KINDS
from marketplace.orders.models import Order, OrderEvent, OrderStatus


def for_notification(user: User, order: Order | None, kind: str, note_id: int, detail: str = "",
                     actor: User | None = None) -> bool:
    """Queue the message that goes with notification `note_id` (key `note:<id>`) when `kind` is one messaging
    carries; returns whether it did (then it also carries the e-mail). Flushes."""
    if order is None:
        return False
    message_kind = _message_kind(user, order, kind, actor)
    if message_kind not in ORDER_KINDS:
        return False
    send_to_user(user, message_kind, order_data(order, message_kind, detail), key=f"note:{note_id}",
                 order_id=order.id)
    return True


def _message_kind(user: User, order: Order, kind: str, actor: User | None) -> str:
    if user.id == order.household.user_id:
        # the household hears of new orders and reminders; what it did itself, or the parcel's journey, stays in-app
        return kind if kind in ("new_order", "confirm_reminder") else ""
    staff = actor is not None and actor.role in (Role.CLERK, Role.ADMIN)
    if staff and kind in ("confirmed", "rejected"):
        return f"clerk_{kind}"
    return kind


def ready_link(order: Order) -> None:
    """The order was confirmed (by the household, a one-tap link or a clerk): the household gets the link that
    marks it ready for hand-over once packed. Once per order. Flushes."""
    user = order.household.user
    send_to_user(user, "ready_link", order_data(order, "ready_link"), key=f"order:{order.id}:ready_link",
                 order_id=order.id)


def order_data(order: Order, kind: str, detail: str = "") -> dict:
    """The values the texts of `kind` need; issues a one-tap link where the message carries one."""
    data: dict = {"number": order.number, "total": order.total}
    if kind in ("new_order", "confirm_reminder"):
        data["link"] = links.url(links.issue(order, "confirm"))
        data["items"] = ", ".join(f"{line.title} × {line.quantity}" for line in order.lines)[:200]
    elif kind == "ready_link":
        data["link"] = links.url(links.issue(order, "ready"))
    elif kind in ("rejected", "cancelled", "clerk_rejected"):
        data["reason"] = (detail or _last_reason(order))[:80]
    elif kind in ("out_for_delivery", "delivery_failed", "handed_over"):
        parcel, point = _parcel_and_point(order)
        if parcel is not None:
            data["tracking"] = parcel.tracking_number
        if point is not None and point.phone:
            from marketplace.accounts.phone import display_phone

            data["phone"] = display_phone(point.phone)
    return data


def _last_reason(order: Order) -> str:
    return db.session.scalar(
        select(OrderEvent.reason).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id.desc()).limit(1)
    ) or ""


def _parcel_and_point(order: Order):
    from marketplace.postal.models import Parcel, ServicePoint

    parcel = db.session.scalar(select(Parcel).where(Parcel.order_id == order.id))
    if parcel is None:
        return None, None
    return parcel, db.session.get(ServicePoint, parcel.destination_point_id)


def status_kinds() -> set[str]:
    return {s.value for s in OrderStatus} & ORDER_KINDS
