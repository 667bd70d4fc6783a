"""Bank transfers to the operator's collection account: each checkout's payment code, statement lines matched to
checkouts, the administrators' queue (short, over, late, unmatched), and refunds made by hand.

Every incoming đồng is accounted for (`flask ledger check` proves it): a transaction's `applied` part went into its
checkout (captured in the ledger per order), refund tasks give the rest back, and what is neither is held in the
queue until an administrator matches or refunds it.
"""

from __future__ import annotations

import re
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.locks import begin_write
from marketplace.orders.models import Checkout, Order, PaymentStatus
from marketplace.payments import core
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import (
    BankTransaction,
    QueueReason,
    RefundTaskStatus,
    TransactionStatus,
    TransferPayment,
    TransferRefund,
)
from marketplace.payments.statements import StatementLine
from marketplace.staff import audit
from marketplace.timeutil import utcnow
from marketplace.web import vnd

#: the payment code: "TT" and the checkout's number (thanh toán), zero-padded to six digits
CODE_PREFIX = "TT"


def _code_pattern() -> re.Pattern:
    """`TT<digits>` standing alone, or right after the memo prefix (banks drop the space: `CNSTT000123`)."""
    prefix = re.escape((current_app.config.get("VIETQR_MEMO_PREFIX") or "CNS").upper())
    return re.compile(rf"(?<![A-Z0-9])(?:{prefix}[^A-Z0-9]*)?{CODE_PREFIX}0*(\d{{1,12}})(?!\d)")


class TransferError(PaymentError):
    message = _l("This transfer cannot be changed.")


def payment_code(checkout_id: int) -> str:
    return f"{CODE_PREFIX}{checkout_id:06d}"


def memo_for(code: str) -> str:
    """The transfer memo: the prefix and the code, ASCII, well under the 25 characters banks keep."""
    return f"{current_app.config.get('VIETQR_MEMO_PREFIX', 'CNS')} {code}".strip()


def ensure_payment(checkout: Checkout) -> TransferPayment:
    """The checkout's transfer payment (created once, on the first visit to its pay page); flushes."""
    payment = db.session.scalar(select(TransferPayment).where(TransferPayment.checkout_id == checkout.id))
    if payment is None:
        payment = TransferPayment(checkout_id=checkout.id, code=payment_code(checkout.id), amount=checkout.total)
        db.session.add(payment)
        db.session.flush()
    return payment


def codes_in(line: StatementLine) -> list[str]:
    """Payment codes the line may carry: the service's own finding first, then every `TT<digits>` in the memo
    (banks drop spaces and add their own words around it)."""
    found, pattern = [], _code_pattern()
    for text in (line.code or "", line.content or ""):
        for digits in pattern.findall(text.upper()):
            code = payment_code(int(digits))
            if code not in found:
                found.append(code)
    return found


def _account_matches(line: StatementLine) -> bool:
    ours = current_app.config.get("VIETQR_ACCOUNT_NUMBER") or ""
    return not ours or not line.account_number or line.account_number == ours


def receive(line: StatementLine) -> tuple[BankTransaction, bool]:
    """Record a statement line once and apply it: paid into its checkout when the memo's code names an unpaid
    checkout and the money received for it (with earlier short transfers) is exactly its total; queued for an
    administrator otherwise. Returns (transaction, True) the first time, (the stored one, False) for a line seen
    before (a retried webhook, the reconciliation reading it again).

    Raises IntegrityError when the same line is being recorded concurrently (the caller rolls back: the other
    delivery records it).
    """
    begin_write()
    seen = db.session.scalar(
        select(BankTransaction).where(
            BankTransaction.provider == line.provider, BankTransaction.provider_id == line.provider_id
        )
    )
    if seen is not None:
        return seen, False
    txn = BankTransaction(
        provider=line.provider,
        provider_id=line.provider_id,
        gateway=line.gateway,
        account_number=line.account_number,
        booked_at=line.booked_at,
        direction=line.direction,
        amount=line.amount,
        content=line.content,
        reference=line.reference,
        code="",
        status=TransactionStatus.IGNORED,
        applied=0,
        received_at=utcnow(),
    )
    db.session.add(txn)
    db.session.flush()  # claims (provider, id): a concurrent delivery of the same line fails here or at commit
    if line.direction != "in" or line.amount <= 0 or not _account_matches(line):
        return txn, True
    payment = None
    for code in codes_in(line):
        # the row lock serialises transfers for the same checkout (and its expiry, which takes it too)
        payment = db.session.scalar(select(TransferPayment).where(TransferPayment.code == code).with_for_update())
        if payment is not None:
            txn.code = code
            break
    if payment is None:
        _queue(txn, QueueReason.UNMATCHED)
        return txn, True
    _apply(txn, payment)
    return txn, True


def _queue(txn: BankTransaction, reason: QueueReason) -> None:
    txn.status = TransactionStatus.QUEUED
    txn.reason = reason
    db.session.flush()


def _waiting_shorts(checkout_id: int, besides: int) -> list[BankTransaction]:
    return list(
        db.session.scalars(
            select(BankTransaction)
            .where(
                BankTransaction.checkout_id == checkout_id,
                BankTransaction.status == TransactionStatus.QUEUED,
                BankTransaction.reason == QueueReason.SHORT,
                BankTransaction.id != besides,
            )
            .order_by(BankTransaction.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _apply(txn: BankTransaction, payment: TransferPayment, by: User | None = None) -> bool:
    """Pay the checkout with this transaction and the short ones before it when they add up to its total (this
    one's excess, when matched by hand, goes to a refund task); queue it otherwise. True when the checkout is paid.
    The caller holds the payment row's lock."""
    checkout = db.session.scalar(
        select(Checkout).where(Checkout.id == payment.checkout_id).execution_options(populate_existing=True)
    )
    txn.checkout_id = checkout.id
    if checkout.payment_status is not PaymentStatus.UNPAID:
        _queue(txn, QueueReason.LATE)
        return False
    shorts = _waiting_shorts(checkout.id, txn.id)
    earlier = sum(t.amount for t in shorts)
    received = earlier + txn.amount
    if received < checkout.total:
        _queue(txn, QueueReason.SHORT)
        return False
    if received > checkout.total and by is None:
        _queue(txn, QueueReason.OVER)
        return False
    now = utcnow()
    for t in (*shorts, txn):
        t.status, t.reason, t.resolved_at = TransactionStatus.MATCHED, None, now
        t.resolved_by_id = by.id if by else None
        t.applied = t.amount
    txn.applied = checkout.total - earlier
    excess = txn.amount - txn.applied
    if excess:
        db.session.add(
            TransferRefund(
                bank_transaction_id=txn.id, buyer_id=checkout.buyer_id, amount=excess, created_at=now,
                reason=f"{payment.code}: paid {vnd(received)} for {vnd(checkout.total)}",
            )
        )
    refs = ", ".join(t.reference or t.provider_id for t in (*shorts, txn))
    core.capture(checkout, f"vietqr {payment.code} {refs}")
    return True


def match_by_hand(txn_id: int, checkout_id: int, admin: User) -> BankTransaction:
    """An administrator pays a queued transfer into a checkout waiting for a transfer (a mistyped memo, an amount
    made up by two transfers, an over-payment whose excess is then refunded). Audited.

    Raises TransferError when the transfer is not queued, the checkout is not a transfer checkout waiting for its
    money, or the money received for it is still short of its total.
    """
    begin_write()
    payment = db.session.scalar(
        select(TransferPayment).where(TransferPayment.checkout_id == checkout_id).with_for_update()
    )
    txn = db.session.scalar(
        select(BankTransaction)
        .where(BankTransaction.id == txn_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if txn is None or txn.status is not TransactionStatus.QUEUED:
        raise TransferError(_l("This transfer is no longer in the queue."))
    checkout = db.session.get(Checkout, checkout_id)
    if payment is None or checkout is None or checkout.payment_status is not PaymentStatus.UNPAID:
        raise TransferError(_l("Checkout %(id)s is not waiting for a bank transfer.", id=checkout_id))
    shorts = sum(t.amount for t in _waiting_shorts(checkout_id, txn.id))
    if shorts + txn.amount < checkout.total:
        raise TransferError(
            _l("%(got)s received so far is less than the %(total)s to pay.", got=vnd(shorts + txn.amount),
               total=vnd(checkout.total))
        )
    txn.code = txn.code or payment.code
    _apply(txn, payment, by=admin)
    audit.record(admin, "transfer.match", "bank_transaction", txn.id,
                 lambda: f"{txn.reference or txn.provider_id} {vnd(txn.amount)} → {payment.code}")
    return txn


def refund_transaction(txn_id: int, admin: User, reason: str = "") -> TransferRefund:
    """An administrator decides to give a queued transfer back: a refund task for all of it. Audited. Raises
    TransferError when it is not queued."""
    begin_write()
    txn = db.session.scalar(
        select(BankTransaction)
        .where(BankTransaction.id == txn_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if txn is None or txn.status is not TransactionStatus.QUEUED:
        raise TransferError(_l("This transfer is no longer in the queue."))
    buyer_id = txn.checkout.buyer_id if txn.checkout_id else None
    task = TransferRefund(bank_transaction_id=txn.id, buyer_id=buyer_id, amount=txn.amount - txn.applied,
                          reason=(reason or (txn.reason.value if txn.reason else ""))[:200], created_at=utcnow())
    db.session.add(task)
    txn.status, txn.resolved_at, txn.resolved_by_id = TransactionStatus.REFUNDED, utcnow(), admin.id
    db.session.flush()
    audit.record(admin, "transfer.refund", "bank_transaction", txn.id,
                 lambda: f"{txn.reference or txn.provider_id} {vnd(task.amount)}")
    return task


def refund_order(order: Order) -> TransferRefund:
    """A transfer-paid order that will not be delivered: a task for an administrator to transfer its money back
    (the order is `refund_pending` until then; the ledger's refund is written when it is done). Idempotent."""
    task = db.session.scalar(select(TransferRefund).where(TransferRefund.order_id == order.id))
    if task is None:
        task = TransferRefund(order_id=order.id, buyer_id=order.buyer_id, amount=order.total,
                              reason=f"{order.number}: {order.status.value}", created_at=utcnow())
        db.session.add(task)
        order.payment_status = PaymentStatus.REFUND_PENDING
        db.session.flush()
        from marketplace.notifications import services as notify

        notify.refund_pending(order)
    return task


def complete_refund(task_id: int, admin: User, reference: str, bank_bin: str, account_number: str,
                    holder_name: str) -> TransferRefund:
    """The transfer back was made: the task is done with where it went and the bank's reference; for an order, the
    refund lands in the ledger and the order is refunded. Audited. Raises TransferError when it is already done or
    the account is not one a transfer can go to."""
    from marketplace.orders import ledger
    from marketplace.orders.models import LedgerKind

    from marketplace.payments.accounts import clean_number
    from marketplace.payments.banks import by_bin

    account_number = clean_number(account_number)
    if by_bin(bank_bin) is None or not re.fullmatch(r"[0-9A-Za-z]{6,19}", account_number) or not holder_name:
        raise TransferError(_l("Give the bank, an account number of 6 to 19 digits and the holder's name."))
    begin_write()
    task = db.session.scalar(
        select(TransferRefund)
        .where(TransferRefund.id == task_id, TransferRefund.status == RefundTaskStatus.OPEN)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if task is None:
        raise TransferError(_l("This refund was already made."))
    task.status, task.done_at, task.done_by_id = RefundTaskStatus.DONE, utcnow(), admin.id
    task.reference, task.bank_bin = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", reference).split())[:100], bank_bin
    task.account_number, task.holder_name = account_number, holder_name
    if task.order_id is not None:
        order = task.order
        order.payment_status = PaymentStatus.REFUNDED
        ledger.record(order, LedgerKind.REFUND, -task.amount, f"vietqr {task.reference}".strip())
    db.session.flush()
    audit.record(admin, "refund.done", "transfer_refund", task.id,
                 lambda: f"{vnd(task.amount)} → {bank_bin} {account_number} {task.reference}")
    return task


def queue(limit: int = 200) -> list[BankTransaction]:
    """Transfers waiting for an administrator, oldest first."""
    return list(
        db.session.scalars(
            select(BankTransaction)
            .where(BankTransaction.status == TransactionStatus.QUEUED)
            .order_by(BankTransaction.id)
            .limit(limit)
        )
    )


def open_refunds(limit: int = 200) -> list[TransferRefund]:
    return list(
        db.session.scalars(
            select(TransferRefund)
            .where(TransferRefund.status == RefundTaskStatus.OPEN)
            .order_by(TransferRefund.id)
            .limit(limit)
        )
    )


def received_for(checkout_id: int) -> int:
    """Đồng received so far for a checkout (applied or waiting as short transfers)."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(BankTransaction.amount), 0)).where(
                BankTransaction.checkout_id == checkout_id,
                (BankTransaction.status == TransactionStatus.MATCHED)
                | ((BankTransaction.status == TransactionStatus.QUEUED) & (BankTransaction.reason == QueueReason.SHORT)),
            )
        )
        or 0
    )

