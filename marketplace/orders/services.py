"""Order lifecycle operations: `advance` is the one way an order changes status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from marketplace.accounts.models import Role, User
from marketplace.catalog import keyset
from marketplace.extensions import db
from marketplace.orders import ledger, states
from marketplace.orders.checkout import begin_write, give_back_stock  # noqa: F401 - begin_write re-exported
from marketplace.orders.errors import AwaitingPayment, IllegalTransition, NotYourOrder
from marketplace.orders.models import Order, OrderEvent, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.orders.states import ActorKind
from marketplace.signals import order_ready, order_withdrawn
from marketplace.timeutil import utcnow


def actor_kind(order: Order, actor: User | None) -> ActorKind:
    """How `actor` relates to `order`: staff within whose scope the order lies (administrators, clerks of the point
    that serves its household or handles its parcel), its household, its buyer. Raises NotYourOrder for anyone
    unrelated, clerks of other points included."""
    if actor is None:
        return ActorKind.SYSTEM
    if actor.role in (Role.ADMIN, Role.CLERK):
        from marketplace.staff.scope import staff_may_see

        if staff_may_see(actor, order):
            return ActorKind.STAFF
        if actor.id != order.buyer_id:
            raise NotYourOrder()
    household = getattr(actor, "household", None)
    if household is not None and household.id == order.household_id:
        return ActorKind.HOUSEHOLD
    if actor.id == order.buyer_id:
        return ActorKind.BUYER
    raise NotYourOrder()


def can_see(order: Order, user: User) -> bool:
    try:
        actor_kind(order, user)
    except NotYourOrder:
        return False
    return True


def advance(
    order: Order, to_status: OrderStatus, actor: User | None, reason: str = "", *, by_parcel: bool = False
) -> OrderEvent:
    """Move `order` to `to_status` on behalf of `actor` (None = the system), with its side effects:
    stock back on cancellation or rejection, refund of a paid card order that is cancelled, rejected or returned,
    ledger entries on delivery, notifications, and the `order_ready` and `order_withdrawn` signals.

    `by_parcel`: the move follows a tracking event of the order's parcel (`postal.shipping.follow_event`); it is the
    system's move (the parcel's journey moves the order, no person does), recorded with the `actor` who scanned it.
    Staff moves on someone else's order are written to the audit log.

    Raises IllegalTransition (not a legal move from the current status), NotYourOrder (this actor may not make it),
    AwaitingPayment (a card order not yet paid), PaymentError from a failed refund. Nothing changes when it raises.

    The order's row is locked and re-read first: of two requests moving one order at once (the buyer cancels while
    the household confirms), the second sees the first's result, so stock and money move once.
    """
    begin_write()
    db.session.flush()  # the caller's pending changes to the order are kept
    db.session.refresh(order, with_for_update=True)
    current = order.status
    kind = ActorKind.SYSTEM if by_parcel else actor_kind(order, actor)
    if not states.is_legal(current, to_status):
        raise IllegalTransition(current=states.LABELS[current], target=states.LABELS[to_status])
    if not states.allowed(current, to_status, kind):
        raise NotYourOrder()
    if order.payment_status is PaymentStatus.UNPAID and kind is not ActorKind.SYSTEM:
        raise AwaitingPayment()

    if to_status in states.RESTOCKED:
        for line in order.lines:
            give_back_stock(line.listing_id, line.quantity)
    if to_status in (OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.RETURNED):
        _settle_undelivered(order)
    if to_status is OrderStatus.DELIVERED and order.payment_method is PaymentMethod.COD:
        order.payment_status = PaymentStatus.COD_COLLECTED

    order.status = to_status
    event = OrderEvent(
        order=order,
        actor_id=actor.id if actor else None,
        from_status=current,
        to_status=to_status,
        reason=(reason or "")[:1000],
        created_at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    if kind is ActorKind.STAFF:
        from marketplace.staff import audit

        audit.record(
            actor, "order.move", "order", order.id,
            lambda: f"{order.number}: {states.LABELS[current]} → {states.LABELS[to_status]}"
            + (f" · {reason}" if reason else ""),
            household_id=order.household_id,
        )
    if to_status is OrderStatus.DELIVERED:
        ledger.record_delivery(order)

    from marketplace.notifications import services as notify

    notify.order_changed(order, actor=actor)
    if to_status is OrderStatus.READY_FOR_HANDOVER:
        order_ready.send(order)
    elif to_status in (OrderStatus.CANCELLED, OrderStatus.REJECTED):
        order_withdrawn.send(order)
    return event


def _settle_undelivered(order: Order) -> None:
    """An order that will not reach the buyer: COD owes nothing, a paid card order is refunded."""
    if order.payment_status is PaymentStatus.COD_PENDING:
        order.payment_status = PaymentStatus.NOT_REQUIRED
    elif order.payment_status is PaymentStatus.PAID:
        from marketplace.payments import services as payments

        payments.refund_order(order)


def get_for(order_id: int, user: User) -> Order | None:
    """The order if `user` may see it (buyer, its household, staff); None otherwise."""
    order = db.session.get(Order, order_id)
    return order if order is not None and can_see(order, user) else None


def buyer_orders(buyer: User, limit: int = 100) -> list[Order]:
    return list(
        db.session.scalars(select(Order).where(Order.buyer_id == buyer.id).order_by(Order.id.desc()).limit(limit))
    )


#: what a household has to do today, in the order it should be done
TO_DO = (OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.READY_FOR_HANDOVER)


def household_worklist(household_id: int, limit: int = 200) -> list[Order]:
    """Orders waiting for the household (to confirm, to pack, to hand in), oldest first: the most urgent on top.
    Card orders not yet paid are left out (nothing to do until the money is there)."""
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.household_id == household_id, Order.status.in_(TO_DO),
                   Order.payment_status != PaymentStatus.UNPAID)
            .order_by(Order.id)
            .limit(limit)
        )
    )


def household_orders(household_id: int, status: OrderStatus | None = None, limit: int = 200) -> list[Order]:
    query = select(Order).where(Order.household_id == household_id)
    if status is not None:
        query = query.where(Order.status == status)
    return list(db.session.scalars(query.order_by(Order.id.desc()).limit(limit)))


@dataclass(frozen=True)
class OrderFilter:
    status: OrderStatus | None = None
    payment_method: PaymentMethod | None = None
    household_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


#: the administrator's order list counts matching orders up to this many, then says "more than"
ADMIN_COUNT_CAP = 1000
#: newest first, the cursor being the order's id
_NEWEST = keyset.SortKey((Order.id,), True, lambda order: (order.id,), (int,))


def admin_page(f: OrderFilter, page: int = 1, per_page: int = 50, after: str | None = None,
               before: str | None = None):
    """One page of the orders matching the administrator's filters, newest first: numbered pages up to
    `keyset.MAX_NUMBERED_PAGE` (a bounded OFFSET), cursors past them (`WHERE id < cursor`, a read of the primary
    key's index that costs the same on page 2 as on page 50,000 of millions of orders), and a total counted up to
    ADMIN_COUNT_CAP (never a count of every order per page view)."""
    stmt = _admin_filtered(select(Order), f)
    capped = _admin_filtered(select(Order.id), f).limit(ADMIN_COUNT_CAP + 1).subquery()
    n = db.session.scalar(select(func.count()).select_from(capped))
    return keyset.fetch(stmt, _NEWEST, page, per_page, after, before, min(n, ADMIN_COUNT_CAP), n <= ADMIN_COUNT_CAP)


def _admin_filtered(query, f: OrderFilter):
    if f.status:
        query = query.where(Order.status == f.status)
    if f.payment_method:
        query = query.where(Order.payment_method == f.payment_method)
    if f.household_id:
        query = query.where(Order.household_id == f.household_id)
    if f.date_from:
        query = query.where(Order.created_at >= f.date_from)
    if f.date_to:
        query = query.where(Order.created_at < f.date_to)
    return query


def set_commission(admin: User, category, bps: int) -> None:
    """Set a category's commission (basis points) for orders placed from now on; audited. Raises NotYourOrder for
    anyone but an administrator, ValueError outside 0–5000."""
    if admin.role is not Role.ADMIN:
        raise NotYourOrder()
    if not 0 <= bps <= 5000:
        raise ValueError("commission out of range")
    old, category.commission_bps = category.commission_bps, bps
    db.session.flush()
    from marketplace.staff import audit

    audit.record(admin, "commission.edit", "category", category.id, f"{category.slug}: {old} → {bps} bps")
