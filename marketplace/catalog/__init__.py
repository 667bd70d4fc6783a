"""Categories, listings and their photos; the public catalogue pages and the household's listing editor."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

from marketplace.catalog import views, manage  # noqa: E402,F401
