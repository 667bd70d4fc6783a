"""Checkout: split the cart per household, price the shipping, take the stock, create the orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, text

from marketplace.accounts.models import User
from marketplace.cart import services as cart_services
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.locks import begin_write
from marketplace.orders.errors import (
    AlreadyPlaced,
    CartChanged,
    DeliveryUnavailable,
    EmptyCart,
    OutOfStock,
    TotalChanged,
)
from marketplace.orders.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
)
from marketplace.pagecache.invalidation import note_stock
from marketplace.postal import tariff
from marketplace.timeutil import utcnow

#: an unpaid card checkout gives its stock back after this long (each method says its own: `Method.hold()`)
PAY_WITHIN = timedelta(minutes=30)


@dataclass(frozen=True)
class DeliveryAddress:
    recipient: str
    #: E.164
    phone: str
    ward_code: int
    address_line: str
    note: str = ""
    #: the digital address the ward and line came from, when the buyer gave a code
    digital_address_id: int | None = None
    #: the service point where the buyer collects the parcels instead (a lower fee)
    pickup_point_id: int | None = None


@dataclass(frozen=True)
class Shipping:
    group: cart_services.Group
    quote: tariff.Quote
    #: the open rescue drive whose terms priced this parcel (`relief.terms.adjust`); its orders are gathered for it
    rescue_drive_id: int | None = None

    @property
    def total(self) -> int:
        return self.group.goods_total + self.quote.fee


def shipping_for(review: cart_services.Review, dest_province: int, pickup: bool = False) -> list[Shipping]:
    """One tariff quote per household group (express when any line is perishable), with the delivery terms of
    disaster mode and pickup applied (`relief.terms`: a rescue drive's flat fee, the pickup discount)."""
    from marketplace.relief import terms

    quotes = [
        Shipping(g, tariff.quote(g.household.province_code, dest_province, g.weight_grams, express=g.perishable))
        for g in review.groups
    ]
    return terms.adjust(quotes, pickup)


def take_stock(listing_id: int, quantity: int) -> bool:
    """Take units in SQL; True when the listing had them and is on sale."""
    taken = db.session.execute(
        text("UPDATE listings SET stock = stock - :n WHERE id = :id AND stock >= :n AND status = 'ACTIVE' "
             "RETURNING stock, min_order_qty"),
        {"n": quantity, "id": listing_id},
    ).first()
    if taken is None:
        return False
    # cached pages showing the stock are renewed after the commit (lists too when it just sold out)
    note_stock(listing_id, taken.stock + quantity, taken.stock, taken.min_order_qty)
    return True


def give_back_stock(listing_id: int, quantity: int) -> None:
    """Return units to a listing (cancellation, rejection, failed or expired payment)."""
    back = db.session.execute(
        text("UPDATE listings SET stock = stock + :n WHERE id = :id RETURNING stock, min_order_qty"),
        {"n": quantity, "id": listing_id},
    ).first()
    if back is not None:
        note_stock(listing_id, back.stock - quantity, back.stock, back.min_order_qty)


def placed_by_submission(buyer: User, submission_key: str | None) -> Checkout | None:
    """The checkout an earlier submit of the same checkout form placed, if any."""
    if not submission_key:
        return None
    return db.session.scalar(
        select(Checkout).where(Checkout.buyer_id == buyer.id, Checkout.submission_key == submission_key)
    )


def place_checkout(
    buyer: User,
    items: cart_services.Items,
    address: DeliveryAddress,
    method: PaymentMethod,
    submission_key: str | None = None,
    expected_total: int | None = None,
) -> Checkout:
    """Create a checkout with one order per household and take the stock, all in the caller's transaction.

    `submission_key` identifies the checkout form: a second submit of the same form (a double click, a retry after a
    timeout, three tabs) places nothing and raises AlreadyPlaced with the first one's checkout. The checkout row
    claims the key before any stock is taken; of two submits racing on PostgreSQL the second waits on the unique key
    and fails with IntegrityError once the first commits (the caller rolls back and looks the first one up).

    `expected_total` is the grand total (goods and shipping) the buyer was shown: when given, an order is placed
    only at that total, else TotalChanged says the total now.

    Raises AlreadyPlaced, EmptyCart, CartChanged (a price, status or stock changed since the buyer saw it, or a line's
    listing is gone: nothing is charged silently), TotalChanged, OutOfStock (another buyer took the last units: the
    caller must roll back), DeliveryUnavailable.
    """
    ward = db.session.get(Ward, address.ward_code)
    if ward is None:
        raise DeliveryUnavailable()
    begin_write()
    earlier = placed_by_submission(buyer, submission_key)
    if earlier is not None:
        raise AlreadyPlaced(earlier.id)
    if not items:
        raise EmptyCart()
    review = cart_services.review(items)
    if not review.rows:
        raise EmptyCart()
    problems = review.problems
    if len(review.rows) < len(items):  # a listing of the cart no longer exists at all
        raise CartChanged(problems)
    if problems:
        sold_out = [r for r in problems if r.problem in ("sold_out", "short_stock")]
        if sold_out and len(sold_out) == len(problems):
            raise OutOfStock(sold_out[0].listing.id, sold_out[0].listing.title)
        raise CartChanged(problems)
    try:
        quotes = shipping_for(review, ward.province_code, pickup=address.pickup_point_id is not None)
    except tariff.TariffMissing as exc:
        raise DeliveryUnavailable() from exc
    total = sum(q.total for q in quotes)
    if expected_total is not None and expected_total != total:
        raise TotalChanged(total)
    from marketplace.relief import terms

    terms.enforce(review, ward, address.pickup_point_id)  # events that block these goods, a closed pickup point

    from marketplace.payments import methods

    now = utcnow()
    handler = methods.get(method)
    prepaid = handler.prepaid
    checkout = Checkout(
        buyer_id=buyer.id,
        payment_method=method,
        payment_status=PaymentStatus.UNPAID if prepaid else PaymentStatus.COD_PENDING,
        total=total,
        recipient=address.recipient.strip(),
        phone=address.phone,
        ward_code=ward.code,
        province_code=ward.province_code,
        address_line=address.address_line.strip(),
        note=(address.note or "").strip(),
        created_at=now,
        pay_by=now + (handler.hold() or PAY_WITHIN) if prepaid else None,
        digital_address_id=address.digital_address_id,
        submission_key=submission_key or None,
        pickup_point_id=address.pickup_point_id,
    )
    db.session.add(checkout)
    db.session.flush()  # claims the submission key before any stock moves

    for row in review.rows:
        if not take_stock(row.listing.id, row.quantity):
            raise OutOfStock(row.listing.id, row.listing.title)

    orders = []
    for q in quotes:
        commission = sum(r.line_total * r.listing.category.commission_bps // 10_000 for r in q.group.rows)
        order = Order(
            checkout=checkout,
            buyer_id=buyer.id,
            household_id=q.group.household.id,
            status=OrderStatus.PLACED,
            payment_method=method,
            payment_status=checkout.payment_status,
            goods_total=q.group.goods_total,
            shipping_fee=q.quote.fee,
            shipping_service=q.quote.service,
            weight_grams=q.group.weight_grams,
            commission=commission,
            created_at=now,
        )
        for r in q.group.rows:
            order.lines.append(
                OrderLine(
                    listing_id=r.listing.id,
                    title=r.listing.title,
                    unit=r.listing.unit,
                    unit_price=r.listing.price,
                    weight_grams=r.listing.weight_grams,
                    quantity=r.quantity,
                    commission_bps=r.listing.category.commission_bps,
                )
            )
        order.events.append(
            OrderEvent(actor_id=buyer.id, from_status=None, to_status=OrderStatus.PLACED, created_at=now)
        )
        db.session.add(order)
        orders.append(order)
    db.session.flush()
    from marketplace.notifications import services as notify

    for order in orders:
        notify.order_changed(order, actor=buyer)
    terms.after_place(zip(orders, quotes, strict=True))  # orders of a rescue drive are gathered for its collection day
    return checkout
