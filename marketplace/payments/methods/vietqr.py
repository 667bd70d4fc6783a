"""Bank transfer from a VietQR code ("Chuyển khoản VietQR"): the pay page shows a dynamic VietQR for the exact amount
to the operator's collection account, with the checkout's payment code at the start of the memo; the bank-statement
service's webhook (or the periodic reconciliation) confirms it (`payments/transfers.py`). A transfer cannot be
reversed: a refund is an administrator's task."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order, PaymentMethod, PaymentStatus
from marketplace.payments import banks, emvco, transfers
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import TransferPayment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Instructions:
    """What the buyer's banking app needs, as a QR payload and as text."""

    bank: banks.Bank | None
    bank_bin: str
    account_number: str
    account_name: str
    amount: int
    memo: str
    code: str
    payload: str


def instructions(payment: TransferPayment) -> Instructions:
    config = current_app.config
    memo = transfers.memo_for(payment.code)
    payload = emvco.encode(
        emvco.Transfer(config["VIETQR_BANK_BIN"], config["VIETQR_ACCOUNT_NUMBER"], payment.amount, memo)
    )
    return Instructions(
        bank=banks.by_bin(config["VIETQR_BANK_BIN"]),
        bank_bin=config["VIETQR_BANK_BIN"],
        account_number=config["VIETQR_ACCOUNT_NUMBER"],
        account_name=config["VIETQR_ACCOUNT_NAME"],
        amount=payment.amount,
        memo=memo,
        code=payment.code,
        payload=payload,
    )


def qr_png(payload: str, box_size: int = 8) -> bytes:
    """The payload as a black-on-white PNG QR code (error correction M, the 4-module quiet zone scanners need)."""
    import qrcode
    import qrcode.constants

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def payment_of(checkout: Checkout) -> TransferPayment | None:
    return db.session.scalar(select(TransferPayment).where(TransferPayment.checkout_id == checkout.id))


class VietQrTransfer:
    key = PaymentMethod.VIETQR
    prepaid = True

    def label(self) -> str:
        return str(_l("Bank transfer (VietQR)"))

    def available(self) -> bool:
        config = current_app.config
        return bool(
            banks.by_bin(config.get("VIETQR_BANK_BIN"))
            and config.get("VIETQR_ACCOUNT_NUMBER")
            and config.get("VIETQR_ACCOUNT_NAME")
        )

    def hold(self) -> timedelta:
        return timedelta(minutes=current_app.config.get("TRANSFER_HOLD_MINUTES", 60))

    def create(self, checkout: Checkout) -> TransferPayment:
        if not self.available():
            raise PaymentError(_l("Bank transfer is not available right now."))
        return transfers.ensure_payment(checkout)

    def pay_url(self, checkout: Checkout) -> str:
        return url_for("payments.transfer_page", checkout_id=checkout.id)

    def notify(self, notification) -> bool:
        """A statement line from the bank-statement service; True when it was new."""
        return transfers.receive(notification)[1]

    def refund(self, order: Order):
        return transfers.refund_order(order)

    def status(self, checkout: Checkout) -> PaymentStatus:
        return checkout.payment_status

    def lock(self, checkout_id: int) -> None:
        db.session.scalar(
            select(TransferPayment).where(TransferPayment.checkout_id == checkout_id).with_for_update()
        )

    def paid_meanwhile(self, checkout: Checkout) -> bool:
        """The webhooks are caught up by `flask payments reconcile-transfers` (run before expiring); whatever
        arrives after the expiry waits in the queue as a late transfer."""
        return checkout.payment_status is PaymentStatus.PAID


METHOD = VietQrTransfer()
