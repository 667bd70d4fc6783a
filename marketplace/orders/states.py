"""The order state machine: the one table of legal transitions and who may make them."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from marketplace.orders.models import OrderStatus as S


class ActorKind(enum.Enum):
    BUYER = "buyer"
    HOUSEHOLD = "household"
    #: postal clerks and administrators
    STAFF = "staff"
    #: the application itself: expiry, payment webhooks, postal tracking
    SYSTEM = "system"


B, H, ST, SY = ActorKind.BUYER, ActorKind.HOUSEHOLD, ActorKind.STAFF, ActorKind.SYSTEM

#: from → {to → who may make the move}. From the hand-over on, the order follows its parcel: only the system moves it,
#: when the desk or the postal network records a tracking event (`postal.shipping.follow_event`); no status form can
#: mark an order delivered without a parcel that was.
TRANSITIONS: dict[S, dict[S, frozenset[ActorKind]]] = {
    S.PLACED: {
        S.CONFIRMED: frozenset({H, ST}),
        S.REJECTED: frozenset({H, ST}),
        S.CANCELLED: frozenset({B, H, ST, SY}),
    },
    S.CONFIRMED: {S.READY_FOR_HANDOVER: frozenset({H, ST}), S.CANCELLED: frozenset({B, H, ST, SY})},
    S.READY_FOR_HANDOVER: {S.HANDED_OVER: frozenset({SY}), S.CANCELLED: frozenset({B, H, ST, SY})},
    S.HANDED_OVER: {S.IN_TRANSIT: frozenset({SY})},
    S.IN_TRANSIT: {S.OUT_FOR_DELIVERY: frozenset({SY})},
    S.OUT_FOR_DELIVERY: {S.DELIVERED: frozenset({SY}), S.DELIVERY_FAILED: frozenset({SY})},
    S.DELIVERY_FAILED: {S.OUT_FOR_DELIVERY: frozenset({SY}), S.RETURNED: frozenset({SY})},
}

#: states in which the goods are back on the shelf (stock was given back)
RESTOCKED = frozenset({S.CANCELLED, S.REJECTED})
#: states from which nothing more happens
FINAL = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED, S.REJECTED})

LABELS = {
    S.PLACED: _l("Placed"),
    S.CONFIRMED: _l("Confirmed by the household"),
    S.REJECTED: _l("Rejected by the household"),
    S.READY_FOR_HANDOVER: _l("Ready for hand-over"),
    S.HANDED_OVER: _l("Handed to the post office"),
    S.IN_TRANSIT: _l("In transit"),
    S.OUT_FOR_DELIVERY: _l("Out for delivery"),
    S.DELIVERED: _l("Delivered"),
    S.DELIVERY_FAILED: _l("Delivery failed"),
    S.RETURNED: _l("Returned to the household"),
    S.CANCELLED: _l("Cancelled"),
}


def allowed(current: S, target: S, kind: ActorKind) -> bool:
    return kind in TRANSITIONS.get(current, {}).get(target, frozenset())


def is_legal(current: S, target: S) -> bool:
    return target in TRANSITIONS.get(current, {})


def next_for(current: S, kind: ActorKind) -> list[S]:
    """The moves this kind of actor may make from `current` (for buttons). Rejecting and cancelling end an order the
    same way: where both are allowed only "reject" is offered (a household that cannot supply an order rejects it;
    once confirmed, it cancels it), so nobody has to guess the difference."""
    moves = [to for to, who in TRANSITIONS.get(current, {}).items() if kind in who]
    if S.REJECTED in moves and S.CANCELLED in moves:
        moves.remove(S.CANCELLED)
    return moves
