"""The shopping cart: guests keep it in the session, signed-in buyers in the database."""

from flask import Blueprint

bp = Blueprint("cart", __name__, url_prefix="/cart")

from marketplace.cart import views  # noqa: E402,F401
