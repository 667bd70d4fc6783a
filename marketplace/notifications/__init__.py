"""In-app notifications (a bell with a count) and e-mail when SMTP is configured."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from marketplace.notifications import views  # noqa: E402,F401
