"""The postal last mile: digital addresses, service points, parcels, labels, tracking and the clerk's desk."""

from flask import Blueprint

bp = Blueprint("postal", __name__, cli_group="postal")

from marketplace.postal import (  # noqa: E402,F401
    cli,
    desk_views,
    onboarding_views,
    pickup_views,
    reconciliation_views,
    shipping,
    tariff_views,
    views,
)
