"""What the checkout page needs from disaster mode (called by `orders.views`): the pickup choice and the terms shown
in the order summary."""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.inputs import parse_int
from marketplace.relief import terms
from marketplace.relief.points import open_points_near


def pickup_choices(form) -> int | None:
    """Fill the pickup choice (the door, or an open post office near the chosen ward); returns the chosen point's id
    when the buyer picked one that is offered, else None."""
    points = open_points_near(form.ward.data) if form.ward.data else []
    form.pickup_point.choices = [("", _("Deliver to my door"))] + [
        (str(p.id), _("Collect at %(point)s (cheaper)", point=f"{p.code} · {p.name}")) for p in points
    ]
    chosen = form.pickup_point.data or ""
    if chosen and chosen not in {str(p.id) for p in points}:
        form.pickup_point.data = ""
        return None
    return parse_int(chosen)


def summary(review, ward_code, quotes):
    return terms.summary(review, ward_code, quotes)
