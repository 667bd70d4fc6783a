"""Orders travel as parcels: the parcel of an order is created when the household marks it ready, and the
parcel's tracking events move the order along its own state machine.

Both run from signals (marketplace/signals.py) inside the transaction of the operation that sent them, so a
refusal rolls back everything, and the notifications' e-mails still go out only after the commit.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.postal.errors import NoServicePoint
from marketplace.postal.models import Parcel, ParcelStatus, Service, ServicePoint, TrackingEvent
from marketplace.postal.parcels import ParcelData, create_parcel
from marketplace.signals import order_ready, order_withdrawn, parcel_event_recorded

if TYPE_CHECKING:  # the orders feature imports postal models: import it lazily at run time
    from marketplace.orders.models import Order, OrderStatus

log = logging.getLogger(__name__)

#: the order status (value) a tracking event leads to
ORDER_STATUS_FOR_EVENT = {
    "EMA": "handed_over",
    "EDD": "in_transit",
    "EDE": "in_transit",
    "EMG": "in_transit",
    "EDH": "in_transit",
    "EDG": "out_for_delivery",
    "EMI": "delivered",
    "EMH": "delivery_failed",
    "RTS": "returned",
    "RTD": "returned",
}


def parcel_of(order: Order) -> Parcel | None:
    return db.session.scalar(select(Parcel).where(Parcel.order_id == order.id))


def parcel_ids_of(order_ids: list[int]) -> dict[int, int]:
    """order id → its parcel's id, for the orders that have one (one query)."""
    if not order_ids:
        return {}
    rows = db.session.execute(
        select(Parcel.order_id, Parcel.id).where(Parcel.order_id.in_(order_ids), Parcel.status != ParcelStatus.CANCELLED)
    )
    return dict(rows.all())


def parcel_data_for(order: Order) -> ParcelData:
    """What the parcel of an order carries: weight of the lines, COD still due, express for perishables or when the
    buyer paid for express, the recipient as given at checkout and the checkout's digital address, priority goods,
    and the point where the buyer collects it when they chose pickup."""
    from marketplace.relief.priority import is_priority_order

    checkout = order.checkout
    perishable = any(line.listing.is_perishable for line in order.lines)
    ward = checkout.ward
    pickup = db.session.get(ServicePoint, checkout.pickup_point_id) if checkout.pickup_point_id else None
    return ParcelData(
        recipient_name=checkout.recipient,
        recipient_phone=checkout.phone,
        recipient_address=f"{checkout.address_line}, {ward.name}, {ward.province.short_name}",
        recipient_ward_code=checkout.ward_code,
        declared_weight_grams=sum(line.weight_grams * line.quantity for line in order.lines) or order.weight_grams,
        cod_amount=order.cod_due,
        express=perishable or order.shipping_service is Service.EXPRESS,
        perishable=perishable,
        digital_address=checkout.digital_address,
        order_id=order.id,
        priority=is_priority_order(order),
        pickup_point=pickup,
    )


def create_for_order(order: Order) -> Parcel:
    """The order's parcel (one per order: an existing one is returned).

    Raises NoServicePoint when no service point serves the household or the buyer (nothing is written then).
    """
    existing = parcel_of(order)
    if existing is not None:
        return existing
    return create_parcel(order.household, parcel_data_for(order))


def create_missing(limit: int = 200) -> list[Parcel]:
    """Parcels for orders marked ready while no service point served them, now that one may: called after service
    points are loaded (`flask postal load-points`, `demo-points`) and by `flask postal create-missing-parcels`.
    Orders still without a point are left as they are."""
    from marketplace.orders.models import Order, OrderStatus

    waiting = db.session.scalars(
        select(Order)
        .where(
            Order.status == OrderStatus.READY_FOR_HANDOVER,
            ~select(Parcel.id).where(Parcel.order_id == Order.id).exists(),
        )
        .order_by(Order.id)
        .limit(limit)
    )
    created = []
    for order in waiting:
        try:
            created.append(create_for_order(order))
        except NoServicePoint:
            continue
    return created


def _path(current: OrderStatus, target: OrderStatus) -> list[OrderStatus]:
    """The shortest chain of legal system moves from `current` to `target` (empty when there is none, including
    when the order is already there or past it)."""
    from marketplace.orders import states

    if current is target:
        return []
    seen, queue = {current}, deque([(current, [])])
    while queue:
        status, path = queue.popleft()
        for nxt, who in states.TRANSITIONS.get(status, {}).items():
            if states.ActorKind.SYSTEM not in who or nxt in seen:
                continue
            if nxt is target:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return []


def follow_event(parcel: Parcel, event: TrackingEvent) -> list[OrderStatus]:
    """Advance the parcel's order to the status its event stands for, through any steps the network skipped
    (an EMI straight after EMG passes through "out for delivery"). An order already at or past that status does
    not move. Returns the statuses the order went through."""
    from marketplace.orders.models import OrderStatus
    from marketplace.orders.services import advance

    order = parcel.order
    target = ORDER_STATUS_FOR_EVENT.get(event.code)
    if order is None or target is None:
        return []
    target = OrderStatus(target)
    steps = _path(order.status, target)
    reason = f"{parcel.tracking_number} · {event.code}"
    for status in steps:
        advance(order, status, event.actor, reason, by_parcel=True)
    if not steps:
        from marketplace.notifications import services as notify

        notify.parcel_event(order, event)
    return steps


@order_ready.connect
def _on_order_ready(order: Order, **_kwargs) -> None:
    # No point serves the household or the buyer yet: the order still becomes ready (the household's order page says
    # why there is no tracking number) and its parcel is created once a point exists (`create_missing`).
    try:
        create_for_order(order)
    except NoServicePoint:
        log.warning("order %s is ready but no service point can route it yet", order.id)


@order_withdrawn.connect
def _on_order_withdrawn(order: Order, **_kwargs) -> None:
    # Only a parcel still waiting to be handed in can belong to a cancelled order (accepting it hands the order
    # over, and a handed-over order cannot be cancelled); it leaves the desk's lists and the label sheet.
    parcel = parcel_of(order)
    if parcel is not None and parcel.status is ParcelStatus.CREATED:
        parcel.status = ParcelStatus.CANCELLED


@parcel_event_recorded.connect
def _on_parcel_event(parcel: Parcel, event: TrackingEvent, applied: bool, **_kwargs) -> None:
    if applied:
        follow_event(parcel, event)
