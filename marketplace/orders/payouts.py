"""Payout batches: what each household is owed (money becomes payable PAYOUT_AFTER_DAYS after its order's delivery),
gathered into one batch of bank transfers — exported for the bank's bulk transfer, or paid one by one from a phone
with each line's VietQR — and marked paid line by line."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.locks import named_lock
from marketplace.orders import ledger
from marketplace.orders.errors import OrderError
from marketplace.orders.models import (
    HOUSEHOLD_KINDS,
    LedgerEntry,
    OrderEvent,
    OrderStatus,
    PayoutBatch,
    PayoutItem,
)
from marketplace.staff import audit
from marketplace.timeutil import utcnow
from marketplace.web import vnd


class PayoutError(OrderError):
    message = _l("This payout batch cannot be changed.")


def hold() -> timedelta:
    """How long after delivery an order's money becomes payable."""
    return timedelta(days=current_app.config.get("PAYOUT_AFTER_DAYS", 3))


def delivered_at():
    """Subquery: each delivered order's delivery time (order_id, at)."""
    return (
        select(OrderEvent.order_id, func.max(OrderEvent.created_at).label("at"))
        .where(OrderEvent.to_status == OrderStatus.DELIVERED)
        .group_by(OrderEvent.order_id)
        .subquery()
    )


def _unpaid_lines() -> dict[int, int]:
    """Money already in a batch line not yet paid, per household (it is not batched again)."""
    rows = db.session.execute(
        select(PayoutItem.household_id, func.sum(PayoutItem.amount))
        .where(PayoutItem.paid_at.is_(None))
        .group_by(PayoutItem.household_id)
    ).all()
    return {hid: int(total) for hid, total in rows}


def _matured(now: datetime) -> dict[int, int]:
    """Each household's balance counting only money already payable: the entries of an order delivered less than
    `hold()` ago wait together (its cash, shipping and commission alike); payouts and the surcharges of orders that
    were not delivered count at once."""
    delivered = delivered_at()
    rows = db.session.execute(
        select(LedgerEntry.household_id, func.sum(LedgerEntry.amount))
        .outerjoin(delivered, delivered.c.order_id == LedgerEntry.order_id)
        .where(
            LedgerEntry.kind.in_(HOUSEHOLD_KINDS),
            or_(LedgerEntry.order_id.is_(None), delivered.c.at.is_(None), delivered.c.at <= now - hold()),
        )
        .group_by(LedgerEntry.household_id)
    ).all()
    return {hid: int(total) for hid, total in rows}


def payable(now: datetime | None = None) -> list[tuple[Household, int]]:
    """Households owed money that is payable now and not yet in a batch line, largest first."""
    reserved = _unpaid_lines()
    matured = _matured(now or utcnow())
    balances = _balances(list(matured))  # never more than the whole balance
    owed = {hid: min(amount, balances.get(hid, 0)) - reserved.get(hid, 0) for hid, amount in matured.items()}
    owed = {hid: amount for hid, amount in owed.items() if amount > 0}
    homes = db.session.scalars(select(Household).where(Household.id.in_(list(owed)))) if owed else []
    return sorted(((h, owed[h.id]) for h in homes), key=lambda row: (-row[1], row[0].id))


#: every read-then-write on payouts runs under this lock: two administrators (or one double click) creating batches
#: or paying lines at once would otherwise both see the same balances and batch or pay the same money twice
LOCK = "payout-batches"


def create_batch(admin: User) -> PayoutBatch:
    """Gather every household owed payable money into a new batch, each line with the bank account the household
    has now (copied: a later change does not redirect a batch already made); audited. Batches are created one at a
    time (a lock held until the transaction ends), so money already in an unpaid line is never batched again.

    Raises PayoutError when nobody is owed anything.
    """
    from marketplace.payments.accounts import account_of

    named_lock(LOCK)
    rows = payable()
    if not rows:
        raise PayoutError(_l("No household is owed anything right now."))
    batch = PayoutBatch(created_by_id=admin.id, created_at=utcnow(), reference="")
    db.session.add(batch)
    for household, amount in rows:
        account = account_of(household.user)
        batch.items.append(
            PayoutItem(
                household_id=household.id,
                amount=amount,
                bank_bin=account.bank_bin if account else None,
                account_number=account.account_number if account else None,
                holder_name=account.holder_name if account else None,
                reference="",
            )
        )
    db.session.flush()
    audit.record(admin, "payout.create", "payout_batch", batch.id,
                 lambda: f"#{batch.id}: {len(rows)} · {vnd(batch.total)}")
    return batch


def _pay_line(item: PayoutItem, admin: User, reference: str, balance: int) -> None:
    if balance < item.amount:
        raise PayoutError(
            _l(
                "%(name)s is now owed %(owed)s, less than the %(amount)s in this batch: "
                "create a new batch instead.",
                name=item.household.name,
                owed=vnd(balance),
                amount=vnd(item.amount),
            )
        )
    ledger.record_payout(item.household, item.amount, f"#{item.batch_id}/{item.id} {reference}".strip())
    item.paid_at, item.paid_by_id, item.reference = utcnow(), admin.id, (reference or "").strip()[:200]


def _close_if_done(batch: PayoutBatch, admin: User, reference: str) -> None:
    if all(i.paid_at is not None for i in batch.items):
        batch.paid_at, batch.paid_by_id = utcnow(), admin.id
        batch.reference = (reference or "").strip()[:200]


def mark_line_paid(item: PayoutItem, admin: User, reference: str = "") -> PayoutItem:
    """One transfer of a batch was made: its PAYOUT ledger entry is written and the line dated; the batch is paid
    when its last line is. Audited.

    Raises PayoutError when the line was already paid, or when the household's balance no longer covers it (a
    refund or surcharge since the batch was made): paying it would leave the household owing money.
    """
    named_lock(LOCK)
    locked = db.session.scalar(
        select(PayoutItem)
        .where(PayoutItem.id == item.id, PayoutItem.paid_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise PayoutError(_l("This transfer is already marked paid."))
    _pay_line(locked, admin, reference, _balances([locked.household_id]).get(locked.household_id, 0))
    db.session.flush()
    _close_if_done(locked.batch, admin, reference)
    db.session.flush()
    audit.record(admin, "payout.line_paid", "payout_item", locked.id,
                 lambda: f"#{locked.batch_id}/{locked.id}: {locked.household.name} {vnd(locked.amount)} "
                         f"{locked.reference}".strip(), household_id=locked.household_id)
    return locked


def mark_paid(batch: PayoutBatch, admin: User, reference: str = "") -> PayoutBatch:
    """Every transfer of the batch still unpaid was made (one bulk transfer at the bank): one PAYOUT ledger entry per
    line, and the batch is dated. Audited.

    Raises PayoutError when the batch was already paid, or when a household's balance no longer covers its line
    (nothing is paid then).
    """
    named_lock(LOCK)
    locked = db.session.scalar(
        select(PayoutBatch)
        .where(PayoutBatch.id == batch.id, PayoutBatch.paid_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise PayoutError(_l("This payout batch is already paid."))
    items = list(
        db.session.scalars(
            select(PayoutItem)
            .where(PayoutItem.batch_id == batch.id, PayoutItem.paid_at.is_(None))
            .execution_options(populate_existing=True)
        )
    )
    balances = _balances([item.household_id for item in items])
    for item in items:
        _pay_line(item, admin, reference, balances.get(item.household_id, 0))
    db.session.flush()
    _close_if_done(locked, admin, reference)
    db.session.flush()
    audit.record(admin, "payout.paid", "payout_batch", batch.id,
                 lambda: f"#{batch.id}: {vnd(batch.total)} {batch.reference}".strip())
    return batch


def _balances(household_ids: list[int]) -> dict[int, int]:
    """What each household is owed now: its ledger balance (payouts already made are in it)."""
    rows = db.session.execute(
        select(LedgerEntry.household_id, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.household_id.in_(household_ids), LedgerEntry.kind.in_(HOUSEHOLD_KINDS))
        .group_by(LedgerEntry.household_id)
    ).all()
    return {hid: int(total) for hid, total in rows}


def batches(limit: int = 50) -> list[PayoutBatch]:
    return list(db.session.scalars(select(PayoutBatch).order_by(PayoutBatch.id.desc()).limit(limit)))


def household_payouts(household: Household) -> list[tuple[PayoutBatch, PayoutItem]]:
    """The household's batch lines (scheduled and paid), newest first: the payout dates it sees."""
    return list(
        db.session.execute(
            select(PayoutBatch, PayoutItem)
            .join(PayoutItem, PayoutItem.batch_id == PayoutBatch.id)
            .where(PayoutItem.household_id == household.id)
            .order_by(PayoutBatch.id.desc())
        ).all()
    )


CSV_HEADER = ("STT", "Ma NH (BIN)", "Ngan hang", "So tai khoan", "Ten nguoi huong", "So tien", "Noi dung", "Ho SX")


def bulk_csv(batch: PayoutBatch) -> str:
    """The batch's unpaid lines as a bank bulk-transfer file (UTF-8 with a BOM, for spreadsheet programs): one row
    per transfer with the bank's BIN and name, account, holder, amount in đồng and an ASCII memo. Lines of a
    household without a bank account are left out (they are paid at its service point)."""
    from marketplace.payments.banks import by_bin

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    n = 0
    for item in batch.items:
        if item.paid_at is not None or not item.account_number:
            continue
        n += 1
        bank = by_bin(item.bank_bin)
        writer.writerow((n, item.bank_bin, bank.short_name if bank else "", item.account_number, item.holder_name,
                         item.amount, item.memo, item.household.name))
    return out.getvalue()
