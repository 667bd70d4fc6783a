"""Users, roles, sign-up and sign-in (by Vietnamese mobile number or e-mail)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from marketplace.accounts import views  # noqa: E402,F401
