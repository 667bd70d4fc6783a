"""The sentences of disaster-mode notifications (in-app and e-mail), in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _


def sentence(kind: str, number: str, detail: str) -> str:
    if kind == "relief_event":
        return _("Disaster notice for your area: %(detail)s. Deliveries may be late; see the status page.",
                 detail=detail)
    if kind == "relief_point_closed":
        return _("Your post office changed for now: %(detail)s", detail=detail)
    if kind == "relief_point_reopened":
        return _("Your post office is open again: %(detail)s", detail=detail)
    if kind == "relief_parcel_rerouted":
        return _("Order %(number)s now goes through another post office: %(detail)s", number=number, detail=detail)
    if kind == "relief_order_notice":
        return _("Order %(number)s: %(detail)s", number=number, detail=detail)
    if kind == "relief_pickup_ready":
        return _("Order %(number)s is waiting for you at the post office: %(detail)s", number=number, detail=detail)
    return detail or kind
