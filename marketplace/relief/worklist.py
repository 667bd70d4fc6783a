"""Orders in flight touching an event's wards, and what staff do with them in bulk: hold, deliver by a deadline,
reroute to an open point, cancel with refund. Each action is the order's own (the state machine and the ledger do
the rest: a cancellation goes through `orders.services.advance`, which gives the stock and the card money back), is
audited, and its reason is shown to the buyer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, union
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.locks import begin_write
from marketplace.notifications import services as notify
from marketplace.orders.errors import OrderError
from marketplace.orders.models import Checkout, Order, OrderStatus, PaymentStatus
from marketplace.payments.errors import PaymentError
from marketplace.postal.models import Parcel, ParcelStatus, ServicePoint
from marketplace.relief.errors import ActionRefused
from marketplace.relief.models import DisasterEvent, DisasterEventWard, NoticeAction, OrderNotice
from marketplace.relief.points import NOT_ARRIVED
from marketplace.staff import audit
from marketplace.staff.scope import scope_of
from marketplace.timeutil import local_today

OS = OrderStatus
IN_FLIGHT = (OS.PLACED, OS.CONFIRMED, OS.READY_FOR_HANDOVER, OS.HANDED_OVER, OS.IN_TRANSIT, OS.OUT_FOR_DELIVERY,
             OS.DELIVERY_FAILED)
BEFORE_HANDOVER = (OS.PLACED, OS.CONFIRMED, OS.READY_FOR_HANDOVER)
PAGE = 100

ACTION_LABELS = {
    NoticeAction.HOLD: _l("On hold"),
    NoticeAction.DELIVER_BY: _l("Will be delivered by"),
    NoticeAction.REROUTE: _l("Sent through another post office"),
    NoticeAction.CANCEL: _l("Cancelled, money back"),
    NoticeAction.RELEASE: _l("Hold lifted"),
}


def in_flight_query(actor: User, event: DisasterEvent):
    """Orders not at an end (nor awaiting card payment) whose buyer's or household's ward the event covers, within
    the actor's staff scope, by id. Reads through the wards' indexes (checkouts.ward_code, households.ward_code) and
    orders' status index: nothing scans every order."""
    wards = select(DisasterEventWard.ward_code).where(DisasterEventWard.event_id == event.id)
    to_area = (select(Order.id).join(Checkout, Checkout.id == Order.checkout_id)
               .where(Checkout.ward_code.in_(wards), Order.status.in_(IN_FLIGHT)))
    from_area = (select(Order.id).join(Household, Household.id == Order.household_id)
                 .where(Household.ward_code.in_(wards), Order.status.in_(IN_FLIGHT)))
    ids = union(to_area, from_area).subquery()
    query = select(Order).where(Order.id.in_(select(ids.c.id)), Order.payment_status != PaymentStatus.UNPAID)
    scope = scope_of(actor)
    if scope is None:
        return None
    return scope.filter(query, Order)


def page(actor: User, event: DisasterEvent, after_id: int = 0) -> tuple[list[Order], int | None]:
    """One page of the worklist (keyset by order id) and the id to continue after (None on the last page)."""
    query = in_flight_query(actor, event)
    if query is None:
        return [], None
    rows = list(db.session.scalars(
        query.where(Order.id > after_id).order_by(Order.id).limit(PAGE + 1)
        .options(selectinload(Order.checkout), selectinload(Order.household))
    ))
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return rows, (rows[-1].id if more and rows else None)


def parcels_of(orders: list[Order]) -> dict[int, Parcel]:
    if not orders:
        return {}
    rows = db.session.scalars(select(Parcel).where(Parcel.order_id.in_([o.id for o in orders]),
                                                   Parcel.status != ParcelStatus.CANCELLED))
    return {p.order_id: p for p in rows}


def latest_notices(order_ids: list[int]) -> dict[int, OrderNotice]:
    """order id → its newest notice (one query)."""
    if not order_ids:
        return {}
    newest = (select(OrderNotice.order_id, db.func.max(OrderNotice.id).label("id"))
              .where(OrderNotice.order_id.in_(order_ids)).group_by(OrderNotice.order_id).subquery())
    rows = db.session.scalars(select(OrderNotice).join(newest, newest.c.id == OrderNotice.id))
    return {n.order_id: n for n in rows}


def current_notice(order: Order) -> OrderNotice | None:
    return latest_notices([order.id]).get(order.id)


def held_clause():
    """SQL: the parcel's order is on hold now (its newest notice is a HOLD) — kept out of delivery rounds."""
    newest = (select(OrderNotice.action).where(OrderNotice.order_id == Parcel.order_id)
              .order_by(OrderNotice.id.desc()).limit(1).scalar_subquery())
    return db.func.coalesce(newest, "") == NoticeAction.HOLD.name


@dataclass(frozen=True)
class BulkAction:
    action: NoticeAction
    reason: str
    deliver_by: date | None = None
    point: ServicePoint | None = None
    event: DisasterEvent | None = None


@dataclass
class BulkResult:
    done: list[Order] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def apply(actor: User, order_ids: list[int], spec: BulkAction) -> BulkResult:
    """Apply one action to each order the actor may act on; each order succeeds or is refused on its own (a
    savepoint per order), with the reason. Orders outside the actor's scope are refused as unknown."""
    if not spec.reason.strip():
        raise ActionRefused(_l("Write the reason the buyer will read."))
    if spec.action is NoticeAction.DELIVER_BY and (spec.deliver_by is None or spec.deliver_by < local_today()):
        raise ActionRefused(_l("Choose a delivery deadline from today on."))
    if spec.action is NoticeAction.REROUTE and (spec.point is None or not spec.point.is_open):
        raise ActionRefused(_l("Choose an open post office to send the parcels to."))
    begin_write()
    scope = scope_of(actor)
    result = BulkResult()
    for order_id in sorted(set(order_ids))[:PAGE]:
        order = db.session.get(Order, order_id)
        if order is None or scope is None or not scope.may_see(order):
            result.refused.append((order_id, str(_l("Unknown order."))))
            continue
        savepoint = db.session.begin_nested()
        try:
            _apply_one(actor, order, spec)
        except (ActionRefused, OrderError, PaymentError) as exc:
            savepoint.rollback()
            result.refused.append((order.id, f"{order.number}: {exc}"))
        else:
            savepoint.commit()
            result.done.append(order)
    return result


def _apply_one(actor: User, order: Order, spec: BulkAction) -> None:
    from marketplace.orders.services import advance

    parcel = parcels_of([order]).get(order.id)
    if order.status not in IN_FLIGHT:
        raise ActionRefused(_l("It is not on its way any more."))
    extra = ""
    if spec.action is NoticeAction.HOLD and parcel is not None and parcel.status is ParcelStatus.OUT_FOR_DELIVERY:
        raise ActionRefused(_l("It is out with the postman: record the attempt first."))
    if spec.action is NoticeAction.REROUTE:
        if parcel is None:
            raise ActionRefused(_l("No parcel yet: it will go to an open post office when the household hands it in."))
        if parcel.status not in NOT_ARRIVED:
            raise ActionRefused(_l("Its parcel is at its delivery post office already: deliver or hold it."))
        parcel.destination_point_id = spec.point.id
        extra = f" → {spec.point.code} · {spec.point.name}"
    if spec.action is NoticeAction.CANCEL:
        if order.status not in BEFORE_HANDOVER:
            raise ActionRefused(_l("It is with the post office already: hold it, reroute it or return it."))
        advance(order, OS.CANCELLED, actor, spec.reason)
    notice = OrderNotice(order_id=order.id, event_id=spec.event.id if spec.event else None, action=spec.action,
                         reason=(spec.reason.strip() + extra)[:300], deliver_by=spec.deliver_by, actor_id=actor.id)
    db.session.add(notice)
    db.session.flush()
    with force_locale("vi"):
        detail = describe(notice)
    notify.notice(order.buyer, order, "relief_order_notice", detail)
    audit.record(actor, "relief.order_action", "order", order.id, lambda: f"{order.number}: {detail}",
                 household_id=order.household_id)


def describe(notice: OrderNotice) -> str:
    """The notice in words, for the buyer (current language)."""
    label = str(ACTION_LABELS[notice.action])
    if notice.action is NoticeAction.DELIVER_BY and notice.deliver_by:
        label = f"{label} {notice.deliver_by:%d/%m/%Y}"
    return f"{label} — {notice.reason}"
