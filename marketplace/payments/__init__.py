"""Payments: cash on delivery, card through a gateway (Stripe), webhooks, refunds."""

from flask import Blueprint

bp = Blueprint("payments", __name__, url_prefix="/payments")

from marketplace.payments import views  # noqa: E402,F401
