"""What a one-tap link does: confirm or reject a new order, or mark a confirmed one ready for hand-over, for the
household, without a password. Each use is on the order's timeline (the move's reason says it came by the link)."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.locks import begin_write
from marketplace.messaging import links
from marketplace.messaging.errors import BadLink
from marketplace.messaging.models import OneTapLink
from marketplace.orders.models import Order, OrderStatus

#: action → (the link purpose it needs, the order status it moves to)
ACTIONS = {
    "confirm": ("confirm", OrderStatus.CONFIRMED),
    "reject": ("confirm", OrderStatus.REJECTED),
    "ready": ("ready", OrderStatus.READY_FOR_HANDOVER),
}
#: on the order's timeline, in the operators' language
VIA_LINK = "Qua liên kết một chạm trong tin nhắn"
REJECT_REASONS = ("out_of_stock", "cannot_ship", "other")


def open_link(token: str) -> tuple[OneTapLink, Order]:
    """The link and its order. Raises BadLink."""
    link = links.find(token)
    order = db.session.get(Order, link.order_id)
    if order is None:
        raise BadLink("invalid")
    return link, order


def act(token: str, action: str, reason: str = "") -> Order:
    """Do `action` with the link of `token`, once: the link is spent in the same transaction as the move (a second
    tap, even at the same moment, gets BadLink("used")). Raises BadLink, ValueError for an action the link is not
    for, and the order's errors (IllegalTransition when the order moved meanwhile: the link is then not spent)."""
    if action not in ACTIONS:
        raise ValueError(action)
    begin_write()
    link, order = open_link(token)
    purpose, target = ACTIONS[action]
    if link.purpose != purpose:
        raise ValueError(action)
    from marketplace.orders.services import advance

    links.use(link, target.value)
    words = VIA_LINK + (f": {reason}" if reason else "")
    advance(order, target, order.household.user, words)
    return order
