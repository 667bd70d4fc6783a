"""Staff power and its trail: the one scope rule for what a clerk may see and act on, and the audit log."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from marketplace.staff import views  # noqa: E402,F401
