"""Administrative units since 1 July 2025: 34 provinces and 3,321 wards, with their official codes."""

from flask import Blueprint

bp = Blueprint("geo", __name__, url_prefix="/geo")

from marketplace.geo import views  # noqa: E402,F401
