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
from marketplace.timeutil import utcnow


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
    out = []
    for household_id, balance in balances:
        amount = int(balance) - reserved.get(household_id, 0)
        if amount > 0:
            out.append((db.session.get(Household, household_id), amount))
    return sorted(out, key=lambda row: (-row[1], row[0].id))


def create_batch(admin: User) -> PayoutBatch:
    """Gather every payable household into a new batch. Raises PayoutError when nobody is owed anything."""
    rows = payable()
    if not rows:
        raise PayoutError(_l("No household is owed anything right now."))
    batch = PayoutBatch(created_by_id=admin.id, created_at=utcnow(), reference="")
    db.session.add(batch)
    for household, amount in rows:
        batch.items.append(PayoutItem(household_id=household.id, amount=amount))
    db.session.flush()
    return batch


def mark_paid(batch: PayoutBatch, admin: User, reference: str = "") -> PayoutBatch:
    """The transfers were made: write one PAYOUT ledger entry per household and date the batch.

    Raises PayoutError when the batch was already paid.
    """
    locked = db.session.scalar(
        select(PayoutBatch).where(PayoutBatch.id == batch.id, PayoutBatch.paid_at.is_(None)).with_for_update()
    )
    if locked is None:
        raise PayoutError(_l("This payout batch is already paid."))
    for item in batch.items:
        ledger.record_payout(item.household, item.amount, f"#{batch.id} {reference}".strip())
    batch.paid_at = utcnow()
    batch.paid_by_id = admin.id
    batch.reference = (reference or "").strip()[:200]
    db.session.flush()
    return batch


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
