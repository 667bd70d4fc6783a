"""Users, roles, sign-up and sign-in (by Vietnamese mobile number or e-mail), revocable sessions, password reset."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

# sessions first: its inactivity check runs before the other views' request hooks
from marketplace.accounts import sessions  # noqa: E402,F401
from marketplace.accounts import admin_views, otp_views, reset_views, views  # noqa: E402,F401
