"""Disaster mode: events over wards, service points closed or moved, checkout rules and delays, orders in flight,
priority goods, relief campaigns and produce rescue drives (issue 16)."""

from flask import Blueprint

bp = Blueprint("relief", __name__)

from marketplace.relief import (  # noqa: E402,F401
    admin_views,
    campaign_views,
    public_views,
    tasks,
    worklist_views,
)
