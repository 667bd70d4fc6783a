"""Relief campaigns and rescue drives: public pages, donations, and the administrator's forms."""

from __future__ import annotations

import re
import uuid
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.money import InvalidAmount, parse_vnd
from marketplace.orders.errors import AlreadyPlaced, OrderError
from marketplace.orders.models import Checkout
from marketplace.payments import methods as payment_methods
from marketplace.postal.forms import ActionForm
from marketplace.relief import bp, campaigns, events, rescue
from marketplace.relief.errors import ReliefError
from marketplace.relief.models import Campaign, CampaignStatus, RescueDrive

admin_only = role_required(Role.ADMIN)


def _int(name: str, default: int | None = None) -> int | None:
    value = (request.form.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else default


@bp.get("/cuu-tro/<slug>")
def campaign_page(slug: str):
    campaign = campaigns.by_slug(slug, with_recipients=True)
    if campaign is None or (campaign.status is CampaignStatus.DRAFT and not _is_admin()):
        abort(404)
    return render_template("relief/campaign.html", campaign=campaign, tally=campaigns.tally(campaign),
                           listings=campaigns.eligible_listings(campaign), form=ActionForm(),
                           submission=uuid.uuid4().hex, methods=_donation_methods())


def _donation_methods() -> list:
    """How a donor can pay: any method offered now that is paid before delivery (the recipient pays nothing, so
    never cash on delivery)."""
    return [m for m in payment_methods.offered() if m.prepaid]


def _is_admin() -> bool:
    return current_user.is_authenticated and current_user.role is Role.ADMIN


@bp.post("/cuu-tro/<slug>/ung-ho")
@login_required
def campaign_donate(slug: str):
    campaign = campaigns.by_slug(slug) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    submission = request.form.get("submission", "")
    submission = submission if re.fullmatch(r"[0-9a-f]{32}", submission) else None
    methods = {m.key.value: m for m in _donation_methods()}
    chosen = request.form.get("method")
    if chosen is None and len(methods) == 1:  # a form without the choice (only one method was on offer)
        chosen = next(iter(methods))
    method = methods.get(chosen or "")
    if method is None:
        flash(_("Choose how to pay for the donation.") if methods else
              _("Donations are paid in advance, and no payment method is available right now."), "error")
        return redirect(url_for("relief.campaign_page", slug=slug))
    try:
        placed = campaigns.donate(current_user, campaign, _int("recipient", 0), _int("listing", 0),
                                  _int("quantity", 0), method.key, submission)
    except AlreadyPlaced as exc:
        db.session.rollback()
        placed = db.session.get(Checkout, exc.checkout_id)
    except IntegrityError:
        db.session.rollback()
        abort(409)
    except (ReliefError, OrderError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("relief.campaign_page", slug=slug))
    else:
        db.session.commit()
    return redirect(method.pay_url(placed) or url_for("orders.confirmation", checkout_id=placed.id))


@bp.get("/giai-cuu/<slug>")
def rescue_page(slug: str):
    drive = rescue.by_slug(slug)
    if drive is None:
        abort(404)
    return render_template("relief/rescue.html", drive=drive, listings=rescue.listings(drive),
                           preorders=rescue.preorders_by_household(drive), hours=rescue.harvest_to_door_hours(drive))


# --- the administrator's side -----------------------------------------------------------------------------------


@bp.get("/admin/cuu-tro")
@admin_only
def admin_campaigns():
    return render_template("relief/admin_campaigns.html", campaigns=campaigns.all_campaigns(),
                           drives=rescue.all_drives(), events=events.all_events(), form=ActionForm())


def _done(message: str, target: str):
    db.session.commit()
    flash(message, "success")
    return redirect(target)


def _failed(exc: Exception, target: str):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(target)


@bp.post("/admin/cuu-tro")
@admin_only
def admin_campaign_create():
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("relief.admin_campaigns")
    try:
        flat = parse_vnd(request.form.get("flat_fee") or "0") or 0
        campaign = campaigns.create(current_user, campaigns.CampaignData(
            title=(request.form.get("title") or "")[:160], description=(request.form.get("description") or "")[:4000],
            event_id=_int("event"), flat_fee=flat))
    except (ReliefError, InvalidAmount) as exc:
        return _failed(exc, back)
    return _done(_("Campaign created (draft)."), url_for("relief.admin_campaign", campaign_id=campaign.id))


@bp.get("/admin/cuu-tro/<int:campaign_id>")
@admin_only
def admin_campaign(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    return render_template("relief/admin_campaign.html", campaign=campaign, tally=campaigns.tally(campaign),
                           listings=campaigns.eligible_listings(campaign), form=ActionForm())


@bp.post("/admin/cuu-tro/<int:campaign_id>/<what>")
@admin_only
def admin_campaign_edit(campaign_id: int, what: str):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("relief.admin_campaign", campaign_id=campaign.id)
    try:
        if what == "ngan-sach":
            campaigns.grant(current_user, campaign, parse_vnd(request.form.get("amount")) or 0,
                            (request.form.get("memo") or "")[:200])
        elif what == "nguoi-nhan":
            campaigns.add_recipient(current_user, campaign, (request.form.get("name") or "")[:160],
                                    (request.form.get("phone") or "")[:20], (request.form.get("code") or "")[:24])
        elif what == "hang":
            listing = db.session.get(Listing, _int("listing", 0) or 0)
            if listing is None:
                return _failed(ValueError(_("No listing has this number.")), back)
            campaigns.add_listing(current_user, campaign, listing)
        elif what == "trang-thai":
            campaigns.set_status(current_user, campaign, CampaignStatus(request.form.get("status", "draft")))
        else:
            abort(404)
    except (ReliefError, InvalidAmount, ValueError) as exc:
        return _failed(exc, back)
    return _done(_("Saved."), back)


@bp.post("/admin/giai-cuu")
@admin_only
def admin_rescue_create():
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("relief.admin_campaigns")
    try:
        day = date.fromisoformat(request.form.get("collection_day") or "")
        households = [int(x) for x in re.findall(r"\d{1,9}", request.form.get("households") or "")]
        bands = [(int(float(kg) * 1000), parse_vnd(fee) or 0)
                 for kg, fee in re.findall(r"(\d{1,2}(?:\.\d)?)\s*kg\s*[:=]\s*([\d.\s]{1,12}\d)",
                                           request.form.get("bands") or "")]
        drive = rescue.create(current_user, (request.form.get("title") or "")[:160], day, households, bands,
                              _int("event"), (request.form.get("description") or "")[:4000])
    except ValueError:
        return _failed(ValueError(_("Check the collection day, the household numbers and the bands.")), back)
    except (ReliefError, InvalidAmount) as exc:
        return _failed(exc, back)
    return _done(_("Rescue drive opened."), url_for("relief.rescue_page", slug=drive.slug))


@bp.post("/admin/giai-cuu/<int:drive_id>/dong")
@admin_only
def admin_rescue_close(drive_id: int):
    drive = db.session.get(RescueDrive, drive_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    rescue.close(current_user, drive)
    return _done(_("Rescue drive closed."), url_for("relief.admin_campaigns"))
