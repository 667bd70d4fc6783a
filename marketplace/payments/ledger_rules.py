"""The payment rails' part of `flask ledger check`: every đồng that reached the collection account by bank transfer
is accounted for, and every prepaid checkout's provider record agrees with what the ledger captured.

- each incoming transfer: the part applied to its checkout plus its refund tasks equal its amount once it is matched
  or refunded, and nothing is applied or refunded while it is held in the queue (held = its whole amount);
- each bank-transfer checkout: the transfers applied to it add up to its total when it is paid, to 0 otherwise;
- each VNPay checkout that is paid has a succeeded VNPay payment of exactly its total;
- each refund task for an order is done exactly when the order is refunded (open while it is `refund_pending`).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import case, func, select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order, PaymentMethod, PaymentStatus
from marketplace.payments.models import (
    BankTransaction,
    IntentStatus,
    RefundTaskStatus,
    TransactionStatus,
    TransferRefund,
    VnpayPayment,
)

S = TransactionStatus


def _transactions() -> Iterator[str]:
    refunds = (
        select(TransferRefund.bank_transaction_id.label("txn_id"), func.sum(TransferRefund.amount).label("refunded"))
        .where(TransferRefund.bank_transaction_id.is_not(None))
        .group_by(TransferRefund.bank_transaction_id)
        .subquery()
    )
    rows = db.session.execute(
        select(BankTransaction.id, BankTransaction.provider_id, BankTransaction.status, BankTransaction.amount,
               BankTransaction.applied, func.coalesce(refunds.c.refunded, 0), BankTransaction.checkout_id)
        .outerjoin(refunds, refunds.c.txn_id == BankTransaction.id)
        .order_by(BankTransaction.id)
        .execution_options(yield_per=5_000)
    )
    for _id, provider_id, status, amount, applied, refunded, checkout_id in rows:
        name = f"transfer {provider_id}"
        refunded = int(refunded)
        if status in (S.QUEUED, S.IGNORED) and (applied or refunded):
            yield f"{name}: {status.value} but {applied} applied and {refunded} refunded"
        elif status in (S.MATCHED, S.REFUNDED) and applied + refunded != amount:
            yield f"{name}: applied {applied} + refunded {refunded} ≠ received {amount}"
        if status is S.MATCHED and (not applied or checkout_id is None):
            yield f"{name}: matched but paid into no checkout"


def _transfer_checkouts() -> Iterator[str]:
    applied = func.coalesce(
        func.sum(case((BankTransaction.status == S.MATCHED, BankTransaction.applied), else_=0)), 0
    )
    rows = db.session.execute(
        select(Checkout.id, Checkout.total, Checkout.payment_status, applied)
        .outerjoin(BankTransaction, BankTransaction.checkout_id == Checkout.id)
        .where(Checkout.payment_method == PaymentMethod.VIETQR)
        .group_by(Checkout.id, Checkout.total, Checkout.payment_status)
        .execution_options(yield_per=5_000)
    )
    for checkout_id, total, status, got in rows:
        expected = total if status is PaymentStatus.PAID else 0
        if int(got) != expected:
            yield f"checkout {checkout_id}: transfers applied {int(got)} ≠ {expected} ({status.value})"


def _vnpay_checkouts() -> Iterator[str]:
    rows = db.session.execute(
        select(Checkout.id, Checkout.total, VnpayPayment.status, VnpayPayment.amount)
        .outerjoin(VnpayPayment, VnpayPayment.checkout_id == Checkout.id)
        .where(Checkout.payment_method == PaymentMethod.VNPAY, Checkout.payment_status == PaymentStatus.PAID)
    )
    for checkout_id, total, status, amount in rows:
        if status is not IntentStatus.SUCCEEDED or amount != total:
            yield f"checkout {checkout_id}: paid, but VNPay says {status.value if status else 'nothing'} for {amount}"


def _order_refund_tasks() -> Iterator[str]:
    rows = db.session.execute(
        select(Order.id, Order.payment_status, TransferRefund.status)
        .outerjoin(TransferRefund, TransferRefund.order_id == Order.id)
        .where(Order.payment_method == PaymentMethod.VIETQR,
               Order.payment_status.in_([PaymentStatus.REFUNDED, PaymentStatus.REFUND_PENDING])
               | TransferRefund.id.is_not(None))
    )
    expected = {PaymentStatus.REFUNDED: RefundTaskStatus.DONE, PaymentStatus.REFUND_PENDING: RefundTaskStatus.OPEN}
    for order_id, status, task in rows:
        if expected.get(status) is not task:
            yield f"DH{order_id:06d}: {status.value} but its refund task is {task.value if task else 'missing'}"


def rails_problems() -> list[str]:
    return [*_transactions(), *_transfer_checkouts(), *_vnpay_checkouts(), *_order_refund_tasks()]
