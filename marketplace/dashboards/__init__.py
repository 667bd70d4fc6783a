"""Dashboards with server-rendered SVG charts: the household's sales and the operator's strategy targets."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from marketplace.dashboards import views  # noqa: E402,F401
