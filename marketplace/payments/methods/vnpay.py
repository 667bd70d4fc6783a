"""VNPay: the buyer is redirected to VNPay's payment page with a signed request; VNPay's IPN (a signed GET) is the
only thing that makes the checkout paid (the return page only shows it); refunds go through VNPay's merchant API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.locks import begin_write
from marketplace.orders import ledger
from marketplace.orders.models import Checkout, LedgerKind, Order, PaymentMethod, PaymentStatus
from marketplace.payments import core, vnpay_api
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import IntentStatus, Refund, VnpayPayment
from marketplace.timeutil import as_utc, utcnow


def _config():
    config = current_app.config
    return config.get("VNPAY_TMN_CODE") or "", config.get("VNPAY_HASH_SECRET") or ""


def payment_of(checkout: Checkout) -> VnpayPayment | None:
    return db.session.scalar(select(VnpayPayment).where(VnpayPayment.checkout_id == checkout.id))


def redirect_url(checkout: Checkout, ip_addr: str, locale: str) -> str:
    """The signed URL of VNPay's payment page for this checkout (its reference is created once). Raises
    PaymentError when VNPay is not configured or the checkout is no longer payable."""
    tmn_code, secret = _config()
    if not (tmn_code and secret):
        raise PaymentError(_l("VNPay is not available right now."))
    if checkout.payment_status is not PaymentStatus.UNPAID:
        raise PaymentError(_l("This payment can no longer be made."))
    payment = METHOD.create(checkout)
    request = vnpay_api.PaymentRequest(
        tmn_code=tmn_code,
        txn_ref=payment.txn_ref,
        amount=payment.amount,
        order_info=f"Thanh toan don hang {payment.txn_ref}",
        return_url=url_for("payments.vnpay_return", _external=True),
        ip_addr=ip_addr or "127.0.0.1",
        created=utcnow(),
        expires=as_utc(checkout.pay_by),
        locale="en" if locale == "en" else "vn",
    )
    return vnpay_api.payment_url(current_app.config["VNPAY_PAYMENT_URL"], secret, request)


@dataclass(frozen=True)
class IpnAnswer:
    """VNPay's expected answer: `{"RspCode": …, "Message": …}`."""

    code: str
    message: str

    def json(self) -> dict[str, str]:
        return {"RspCode": self.code, "Message": self.message}


def handle_ipn(params: dict[str, str]) -> IpnAnswer:
    """Apply a VNPay IPN once, checking in VNPay's documented order: signature (97), the order exists (01), the
    amount (04), not already confirmed (02); then success or failure (00). Anything unreadable is 99."""
    tmn_code, secret = _config()
    try:
        result = vnpay_api.verify(secret, params)
    except PaymentError as exc:
        if isinstance(exc, vnpay_api.InvalidSignature):
            return IpnAnswer("97", "Invalid signature")
        return IpnAnswer("99", "Invalid request")
    if result.tmn_code != tmn_code:
        return IpnAnswer("97", "Invalid signature")
    begin_write()
    payment = db.session.scalar(
        select(VnpayPayment)
        .where(VnpayPayment.txn_ref == result.txn_ref)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if payment is None:
        return IpnAnswer("01", "Order not found")
    if result.amount != payment.amount:
        return IpnAnswer("04", "Invalid amount")
    if payment.status in (IntentStatus.SUCCEEDED, IntentStatus.FAILED):
        return IpnAnswer("02", "Order already confirmed")
    payment.transaction_no, payment.bank_code = result.transaction_no, result.bank_code
    payment.response_code, payment.pay_date = result.response_code, result.pay_date
    if result.succeeded:  # also after the checkout expired (CANCELED): the late money is captured and refunded
        payment.status = IntentStatus.SUCCEEDED
        core.capture(payment.checkout, f"vnpay {payment.txn_ref} {result.transaction_no}")
    elif payment.status is IntentStatus.PENDING:
        payment.status = IntentStatus.FAILED
        if payment.checkout.payment_status is PaymentStatus.UNPAID:
            core.fail(payment.checkout, f"VNPay {result.response_code}", PaymentStatus.FAILED)
    db.session.flush()
    return IpnAnswer("00", "Confirm Success")


class VnPay:
    key = PaymentMethod.VNPAY
    prepaid = True

    def label(self) -> str:
        return str(_l("VNPay (bank app, ATM card, e-wallet)"))

    def available(self) -> bool:
        return all(_config()) and bool(current_app.config.get("VNPAY_PAYMENT_URL"))

    def hold(self) -> timedelta:
        return timedelta(minutes=current_app.config.get("VNPAY_HOLD_MINUTES", 30))

    def create(self, checkout: Checkout) -> VnpayPayment:
        payment = payment_of(checkout)
        if payment is None:
            payment = VnpayPayment(checkout_id=checkout.id, txn_ref=f"CNS{checkout.id:08d}", amount=checkout.total,
                                   status=IntentStatus.PENDING)
            db.session.add(payment)
            db.session.flush()
        return payment

    def pay_url(self, checkout: Checkout) -> str:
        return url_for("payments.vnpay_page", checkout_id=checkout.id)

    def notify(self, notification: dict[str, str]) -> IpnAnswer:
        return handle_ipn(notification)

    def refund(self, order: Order) -> Refund:
        """Refund a paid order in full through VNPay's merchant API (idempotent per order); flushes. Raises
        PaymentError when VNPay refuses or cannot be reached."""
        existing = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
        if existing is not None:
            return existing
        payment = payment_of(order.checkout)
        if payment is None or payment.status is not IntentStatus.SUCCEEDED:
            raise PaymentError()
        tmn_code, secret = _config()
        full = order.total == payment.amount
        answer = vnpay_api.refund(current_app.config["VNPAY_API_URL"], secret, {
            "vnp_RequestId": uuid.uuid4().hex[:32],
            "vnp_Version": vnpay_api.VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": tmn_code,
            "vnp_TransactionType": "02" if full else "03",
            "vnp_TxnRef": payment.txn_ref,
            "vnp_Amount": order.total * 100,
            "vnp_TransactionNo": payment.transaction_no or "0",
            "vnp_TransactionDate": payment.pay_date,
            "vnp_CreateBy": "cho-nong-san",
            "vnp_CreateDate": vnpay_api.vn_time(utcnow()),
            "vnp_IpAddr": "127.0.0.1",
            "vnp_OrderInfo": f"Hoan tien {order.number}",
        })
        refund = Refund(order_id=order.id, vnpay_payment_id=payment.id, amount=order.total, status="succeeded",
                        provider_refund_id=(answer.transaction_no or payment.transaction_no or payment.txn_ref)[:80])
        db.session.add(refund)
        order.payment_status = PaymentStatus.REFUNDED
        ledger.record(order, LedgerKind.REFUND, -order.total, f"vnpay {payment.txn_ref}")
        db.session.flush()
        return refund

    def status(self, checkout: Checkout) -> PaymentStatus:
        return checkout.payment_status

    def lock(self, checkout_id: int) -> None:
        db.session.scalar(select(VnpayPayment).where(VnpayPayment.checkout_id == checkout_id).with_for_update())

    def paid_meanwhile(self, checkout: Checkout) -> bool:
        """VNPay's own payment page expires with the checkout (vnp_ExpireDate); a success IPN arriving after the
        expiry is still captured and refunded at once as a late payment (`handle_ipn`)."""
        payment = payment_of(checkout)
        if payment is not None and payment.status is IntentStatus.PENDING:
            payment.status = IntentStatus.CANCELED
        return False


METHOD = VnPay()
