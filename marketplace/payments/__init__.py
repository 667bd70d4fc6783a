"""Payments: cash on delivery, card (Stripe), VietQR bank transfers, VNPay — one interface (`payments.methods`), their
webhooks and refunds; bank accounts and the transfer queue."""

from flask import Blueprint

bp = Blueprint("payments", __name__, url_prefix="/payments")

from marketplace.payments import views  # noqa: E402,F401
from marketplace.payments import account_views, admin_views, cli, transfer_views, vnpay_views  # noqa: E402,F401
