"""Farm households: profile, certifications, verification by a clerk or an admin."""

from flask import Blueprint

bp = Blueprint("households", __name__)

from marketplace.households import views  # noqa: E402,F401
