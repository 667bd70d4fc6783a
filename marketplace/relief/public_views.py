"""The public service status page (/tinh-trang): active events, closed or moved post offices with their alternates,
the delay tables, relief campaigns and rescue drives."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.relief import bp, events, points
from marketplace.relief.forms import AREA_LABELS, CAMPAIGN_STATUS_LABELS, KIND_LABELS, RULE_LABELS, SEVERITY_LABELS
from marketplace.relief.models import Campaign, CampaignStatus, RescueDrive


@bp.get("/tinh-trang")
def status():
    active = events.active_events()
    campaigns = list(db.session.scalars(select(Campaign).where(Campaign.status == CampaignStatus.OPEN)))
    drives = list(db.session.scalars(select(RescueDrive).where(RescueDrive.status == CampaignStatus.OPEN)))
    return render_template(
        "relief/status.html", events=active, not_open=points.not_open(), campaigns=campaigns, drives=drives,
        STATUS_LABELS=points.STATUS_LABELS,
    )


@bp.app_context_processor
def _labels():
    return {"EVENT_KINDS": KIND_LABELS, "SEVERITIES": SEVERITY_LABELS, "RULES": RULE_LABELS, "AREAS": AREA_LABELS,
            "campaign_status_label": CAMPAIGN_STATUS_LABELS.get}


@bp.app_context_processor
def _order_helpers():
    return {"relief_for_order": relief_for_order, "POINT_STATUS_LABELS": points.STATUS_LABELS}


def relief_for_order(order):
    """What the order page shows from disaster mode: the newest notice, the estimate, the pickup parcel."""
    from types import SimpleNamespace

    from marketplace.postal import pickup, shipping
    from marketplace.relief import rules, worklist

    notice = worklist.current_notice(order)
    parcel = shipping.parcel_of(order)
    pickup_parcel = parcel if parcel is not None and parcel.pickup and parcel.status.value != "cancelled" else None
    return SimpleNamespace(
        notice=notice, notice_text=worklist.describe(notice) if notice else "",
        estimate=rules.order_estimate(order) if parcel is None or parcel.status.value != "delivered" else None,
        pickup=pickup_parcel, collect_by=pickup.collect_by(pickup_parcel) if pickup_parcel else None,
    )


@bp.get("/orders/<int:order_id>/pickup-qr.svg")
def pickup_qr(order_id: int):
    """The QR the buyer shows at the counter: the tracking number and the pickup code (the buyer's own order only)."""
    import io

    import qrcode
    import qrcode.image.svg
    from flask import abort, current_app
    from flask_login import current_user

    from marketplace.orders.models import Order
    from marketplace.postal import shipping

    order = db.session.get(Order, order_id)
    if order is None or not current_user.is_authenticated or order.buyer_id != current_user.id:
        abort(404)
    parcel = shipping.parcel_of(order)
    if parcel is None or not parcel.pickup or not parcel.pickup_code:
        abort(404)
    image = qrcode.make(f"{parcel.tracking_number} {parcel.pickup_code}", image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=10, border=2)
    buf = io.BytesIO()
    image.save(buf)
    response = current_app.response_class(buf.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response
