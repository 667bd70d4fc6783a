"""Conservation of money: proof, over the whole database, that every đồng is accounted for (`flask ledger check`).

For every order, from its ledger entries, its parcel and its payment status:
- **paid in = goods + shipping**: a card order that was paid captured exactly its total (and a refunded one gave all
  of it back); a cash-on-delivery order whose cash was handed in credited exactly its total, and its parcel recorded
  that cash; nothing was captured or collected for orders that were not paid;
- **household credit**: goods − commission − surcharges for delivered orders (once their money landed), and
  − surcharges for every other order (the counter's surcharge is the household's whatever happens next);
- a delivered COD order whose service point closed the day has landed in the ledger (cash closed but never credited
  is the loss this check exists to find);
and for every household: **payouts ≤ credit** (no household was paid money it had not earned; a counter surcharge
may stand alone until the sale it comes out of lands), and the PAYOUT entries equal the lines of the batches marked
paid; and for the payment rails (`payments/ledger_rules.py`): every đồng that reached the collection account by
bank transfer is applied to its checkout, refunded or held in the administrators' queue; and the other features'
own rules registered in EXTRA_RULES (relief campaigns' budgets).

Orders are read in keyset batches with their sums grouped in SQL, so the check runs in constant memory at any size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import click
from flask.cli import AppGroup
from sqlalchemy import case, func, select

from marketplace.extensions import db
from marketplace.orders.models import (
    HOUSEHOLD_KINDS,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    PayoutItem,
)
from marketplace.postal.models import Parcel

K = LedgerKind
BATCH = 5_000
AFTER_HANDOVER = frozenset(
    {OrderStatus.HANDED_OVER, OrderStatus.IN_TRANSIT, OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED,
     OrderStatus.DELIVERY_FAILED, OrderStatus.RETURNED}
)


@dataclass
class Report:
    orders: int = 0
    households: int = 0
    entries: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _sum(kind: LedgerKind):
    return func.coalesce(func.sum(case((LedgerEntry.kind == kind, LedgerEntry.amount), else_=0)), 0)


def _order_rows(after_id: int) -> list:
    sums = (
        select(
            LedgerEntry.order_id.label("order_id"),
            *(_sum(kind).label(f"e_{kind.value}") for kind in LedgerKind if kind is not K.PAYOUT),
            func.count().label("n"),
            func.sum(case((LedgerEntry.household_id != Order.household_id, 1), else_=0)).label("foreign"),
        )
        .join(Order, Order.id == LedgerEntry.order_id)
        .where(LedgerEntry.order_id > after_id, LedgerEntry.order_id <= after_id + BATCH)
        .group_by(LedgerEntry.order_id)
        .subquery()
    )
    return db.session.execute(
        select(
            Order.id,
            Order.status,
            Order.payment_method,
            Order.payment_status,
            Order.goods_total,
            Order.shipping_fee,
            Order.commission,
            Parcel.id.label("parcel_id"),
            Parcel.surcharge,
            Parcel.cod_collected,
            Parcel.reconciliation_id,
            sums,
        )
        .outerjoin(sums, sums.c.order_id == Order.id)
        .outerjoin(Parcel, Parcel.order_id == Order.id)
        .where(Order.id > after_id, Order.id <= after_id + BATCH)
        .order_by(Order.id)
    ).all()


def _order_problems(row) -> Iterator[str]:
    number = f"DH{row.id:06d}"
    total = row.goods_total + row.shipping_fee
    e = {kind: int(getattr(row, f"e_{kind.value}") or 0) for kind in LedgerKind if kind is not K.PAYOUT}
    surcharge = int(row.surcharge or 0)
    delivered = row.status is OrderStatus.DELIVERED
    if row.status in AFTER_HANDOVER and row.parcel_id is None:
        yield f"{number}: {row.status.value} without a parcel (only a parcel's journey moves an order past hand-over)"
    if row.foreign:
        yield f"{number}: {row.foreign} ledger entr(y/ies) credited to another household"
    if e[K.SURCHARGE] != -surcharge:
        yield f"{number}: surcharge in the ledger {e[K.SURCHARGE]} ≠ −{surcharge} weighed at the counter"
    credit = e[K.SALE] + e[K.COD_COLLECTED] + e[K.SHIPPING] + e[K.COMMISSION] + e[K.SURCHARGE]
    landed = False
    if row.payment_method is not PaymentMethod.COD:  # paid in advance: card, bank transfer, VNPay alike
        paid = row.payment_status in (PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.REFUND_PENDING)
        if e[K.CARD_CAPTURED] != (total if paid else 0):
            yield f"{number}: captured {e[K.CARD_CAPTURED]} ≠ {total if paid else 0} ({row.payment_status.value})"
        refunded = row.payment_status is PaymentStatus.REFUNDED
        if e[K.REFUND] != (-total if refunded else 0):
            yield f"{number}: refunded {e[K.REFUND]} ≠ {-total if refunded else 0} ({row.payment_status.value})"
        if e[K.COD_COLLECTED] or e[K.SHIPPING]:
            yield f"{number}: cash-on-delivery entries on an order paid in advance"
        landed = delivered
        if delivered and row.payment_status is not PaymentStatus.PAID:
            yield f"{number}: delivered order paid in advance is {row.payment_status.value}, not paid"
    else:
        if e[K.CARD_CAPTURED] or e[K.REFUND] or e[K.SALE]:
            yield f"{number}: card entries on a cash-on-delivery order"
        settled = e[K.COD_COLLECTED] != 0
        if settled:
            landed = True
            if not delivered:
                yield f"{number}: cash credited for an order that is {row.status.value}"
            if e[K.COD_COLLECTED] != total:
                yield f"{number}: cash credited {e[K.COD_COLLECTED]} ≠ goods + shipping {total}"
            if row.cod_collected != total:
                yield f"{number}: parcel collected {row.cod_collected} ≠ goods + shipping {total}"
            if e[K.SHIPPING] != -row.shipping_fee:
                yield f"{number}: shipping kept {e[K.SHIPPING]} ≠ −{row.shipping_fee}"
        elif delivered and row.reconciliation_id is not None:
            yield f"{number}: delivered and its day closed, but its cash never reached the ledger"
        elif e[K.SHIPPING]:
            yield f"{number}: shipping kept {e[K.SHIPPING]} without cash collected"
        if delivered and row.payment_status is not PaymentStatus.COD_COLLECTED:
            yield f"{number}: delivered cash-on-delivery order is {row.payment_status.value}, not collected"
    expected = (row.goods_total - row.commission - surcharge) if landed else -surcharge
    if credit != expected:
        yield f"{number}: household credit {credit} ≠ {expected} ({row.status.value})"


def _household_problems() -> Iterator[tuple[int, str | None]]:
    """(household id, problem or None) for every household with ledger entries."""
    credit = func.coalesce(func.sum(case((LedgerEntry.kind != K.PAYOUT, LedgerEntry.amount), else_=0)), 0)
    payouts = func.coalesce(func.sum(case((LedgerEntry.kind == K.PAYOUT, -LedgerEntry.amount), else_=0)), 0)
    paid_items = (
        select(PayoutItem.household_id, func.sum(PayoutItem.amount).label("paid"))
        .where(PayoutItem.paid_at.is_not(None))
        .group_by(PayoutItem.household_id)
        .subquery()
    )
    rows = db.session.execute(
        select(LedgerEntry.household_id, credit, payouts, func.max(paid_items.c.paid))
        .outerjoin(paid_items, paid_items.c.household_id == LedgerEntry.household_id)
        .where(LedgerEntry.kind.in_(HOUSEHOLD_KINDS))
        .group_by(LedgerEntry.household_id)
        .order_by(LedgerEntry.household_id)
        .execution_options(yield_per=BATCH)
    )
    for household_id, earned, paid_out, batched in rows:
        earned, paid_out, batched = int(earned), int(paid_out), int(batched or 0)
        if paid_out > 0 and paid_out > earned:  # a surcharge ahead of the sale it comes out of is not a payout
            yield household_id, f"household {household_id}: paid out {paid_out} > credit {earned} (owes money)"
        elif paid_out != batched:
            yield household_id, f"household {household_id}: payouts {paid_out} ≠ paid batch lines {batched}"
        else:
            yield household_id, None


#: more rules over money paths of other features (relief campaigns' budgets): functions yielding mismatches
EXTRA_RULES: list = []


def check() -> Report:
    """Run every rule over the whole database; the report lists each mismatch in plain words."""
    report = Report(entries=db.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0)
    last = db.session.scalar(select(func.max(Order.id))) or 0
    after = 0
    while after < last:
        for row in _order_rows(after):
            report.orders += 1
            report.mismatches.extend(_order_problems(row))
        after += BATCH
    orphans = db.session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .where(LedgerEntry.order_id.is_(None), LedgerEntry.kind != K.PAYOUT)
    )
    if orphans:
        report.mismatches.append(f"{orphans} ledger entr(y/ies) other than payouts belong to no order")
    for _household_id, problem in _household_problems():
        report.households += 1
        if problem:
            report.mismatches.append(problem)
    for rule in EXTRA_RULES:
        report.mismatches.extend(rule())
    from marketplace.payments.ledger_rules import rails_problems

    report.mismatches.extend(rails_problems())
    return report


ledger_cli = AppGroup("ledger", help="The money ledger.")


@ledger_cli.command("check")
def check_command() -> None:
    """Prove that every đồng is accounted for; prints each mismatch and exits 1 when there is any."""
    report = check()
    for line in report.mismatches:
        click.echo(line)
    click.echo(
        f"Checked {report.orders} orders, {report.households} households, {report.entries} ledger entries: "
        f"{len(report.mismatches)} mismatch(es)."
    )
    if not report.ok:
        raise SystemExit(1)
