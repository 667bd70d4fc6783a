"""Checkout, orders and their lifecycle, the money ledger."""

from flask import Blueprint

bp = Blueprint("orders", __name__)

from marketplace.orders import views  # noqa: E402,F401
