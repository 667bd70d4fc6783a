"""Reviews of delivered order lines, the household's public answers, moderation; ratings and delivery times."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)

from marketplace.reviews import views  # noqa: E402,F401
