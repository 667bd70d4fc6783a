"""Payout batches: what each household is owed, gathered into one batch of transfers, then marked paid."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders import ledger
from marketplace.orders.errors import OrderError
from marketplace.orders.models import (
    HOUSEHOLD_KINDS,
    LedgerEntry,
    PayoutBatch,
    PayoutItem,
)
from marketplace.locks import named_lock
from marketplace.staff import audit
from marketplace.timeutil import utcnow
from marketplace.web import vnd


class PayoutError(OrderError):
    message = _l("This payout batch cannot be changed.")


def _in_open_batches() -> dict[int, int]:
    rows = db.session.execute(
        select(PayoutItem.household_id, func.sum(PayoutItem.amount))
        .join(PayoutBatch, PayoutBatch.id == PayoutItem.batch_id)
        .where(PayoutBatch.paid_at.is_(None))
        .group_by(PayoutItem.household_id)
    ).all()
    return {hid: int(total) for hid, total in rows}


def payable() -> list[tuple[Household, int]]:
    """Households with a positive balance not yet in an unpaid batch, largest first."""
    balances = db.session.execute(
        select(LedgerEntry.household_id, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.kind.in_(HOUSEHOLD_KINDS))
        .group_by(LedgerEntry.household_id)
    ).all()
    reserved = _in_open_batches()
    owed = {hid: int(balance) - reserved.get(hid, 0) for hid, balance in balances}
    owed = {hid: amount for hid, amount in owed.items() if amount > 0}
    homes = db.session.scalars(select(Household).where(Household.id.in_(list(owed)))) if owed else []
    return sorted(((h, owed[h.id]) for h in homes), key=lambda row: (-row[1], row[0].id))


#: every read-then-write on payouts runs under this lock: two administrators (or one double click) creating batches
#: at once would otherwise both see the same balances and batch the same money twice
LOCK = "payout-batches"


def create_batch(admin: User) -> PayoutBatch:
    """Gather every payable household into a new batch (audited). Batches are created one at a time (a lock held
    until the transaction ends), so money already in an unpaid batch is never batched again.

    Raises PayoutError when nobody is owed anything.
    """
    named_lock(LOCK)
    rows = payable()
    if not rows:
        raise PayoutError(_l("No household is owed anything right now."))
    batch = PayoutBatch(created_by_id=admin.id, created_at=utcnow(), reference="")
    db.session.add(batch)
    for household, amount in rows:
        batch.items.append(PayoutItem(household_id=household.id, amount=amount))
    db.session.flush()
    audit.record(admin, "payout.create", "payout_batch", batch.id, lambda: f"#{batch.id}: {len(rows)} · {vnd(batch.total)}")
    return batch


def mark_paid(batch: PayoutBatch, admin: User, reference: str = "") -> PayoutBatch:
    """The transfers were made: write one PAYOUT ledger entry per household and date the batch.

    Raises PayoutError when the batch was already paid, or when a household's balance no longer covers its line (a
    refund or surcharge since the batch was made): paying it would leave the household owing money.
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
    balances = _balances([item.household_id for item in batch.items])
    for item in batch.items:
        if balances.get(item.household_id, 0) < item.amount:
            raise PayoutError(
                _l(
                    "%(name)s is now owed %(owed)s, less than the %(amount)s in this batch: "
                    "create a new batch instead.",
                    name=item.household.name,
                    owed=vnd(balances.get(item.household_id, 0)),
                    amount=vnd(item.amount),
                )
            )
    for item in batch.items:
        ledger.record_payout(item.household, item.amount, f"#{batch.id} {reference}".strip())
    batch.paid_at = utcnow()
    batch.paid_by_id = admin.id
    batch.reference = (reference or "").strip()[:200]
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
    """The household's batches (scheduled and paid), newest first: the payout dates it sees."""
    return list(
        db.session.execute(
            select(PayoutBatch, PayoutItem)
            .join(PayoutItem, PayoutItem.batch_id == PayoutBatch.id)
            .where(PayoutItem.household_id == household.id)
            .order_by(PayoutBatch.id.desc())
        ).all()
    )
