"""The administrator's disaster desk (/admin/su-kien): declare, change and close events, their delay tables, the
status of service points and the priority categories."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.inputs import parse_int
from marketplace.geo.services import province_choices, ward_choices
from marketplace.postal.forms import ActionForm
from marketplace.postal.models import PointStatus
from marketplace.postal.points import get_point
from marketplace.relief import bp, events, points, priority
from marketplace.relief.errors import ReliefError
from marketplace.relief.forms import DelayForm, EventForm, PointStatusForm, PriorityForm
from marketplace.relief.models import AreaKind, CheckoutRule, DelayRule, DisasterEvent, EventKind, Severity
from marketplace.staff import audit as audit_log
from marketplace.timeutil import VN_TZ, to_local

admin_only = role_required(Role.ADMIN)


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=VN_TZ) if value is not None else None


def _event_form(event: DisasterEvent | None = None) -> EventForm:
    form = EventForm(obj=None) if request.method == "POST" else EventForm(formdata=None)
    form.province.choices = [("", "—")] + [(str(c), n) for c, n in province_choices()]
    chosen = form.province.data if request.method == "POST" else ""
    form.wards.choices = ward_choices(parse_int(chosen)) if parse_int(chosen) else []
    if request.method == "GET" and event is not None:
        form.title.data, form.kind.data, form.severity.data = event.title, event.kind.value, event.severity.value
        form.checkout_rule.data, form.dispatch.data = event.checkout_rule.value, event.dispatch
        form.public_note.data = event.public_note
        form.starts_at.data = to_local(event.starts_at).replace(tzinfo=None)
        end = event.expected_end_at
        form.expected_end_at.data = to_local(end).replace(tzinfo=None) if end else None
        form.ward_list.data = ", ".join(str(c) for c in sorted(event.ward_codes))
    return form


def _event_data(form: EventForm) -> events.EventData:
    province = parse_int(form.province.data)
    wards = events.pick_wards(province, form.wards.data or [], form.ward_list.data or "")
    return events.EventData(
        kind=EventKind(form.kind.data), title=form.title.data, severity=Severity(form.severity.data),
        checkout_rule=CheckoutRule(form.checkout_rule.data), starts_at=_utc(form.starts_at.data),
        expected_end_at=_utc(form.expected_end_at.data), dispatch=form.dispatch.data or "",
        public_note=form.public_note.data or "", ward_codes=wards,
    )


def _home(form: EventForm, status_code: int = 200):
    categories = list(db.session.scalars(db.select(Category).order_by(Category.position)))
    priority_form = PriorityForm(formdata=None)
    priority_form.categories.choices = [(c.id, c.name_vi) for c in categories]
    priority_form.categories.data = [c.id for c in priority.categories()]
    return render_template(
        "relief/admin_events.html", form=form, events=events.all_events(), point_form=PointStatusForm(formdata=None),
        priority_form=priority_form, not_open=points.not_open(), is_active=events.is_active,
    ), status_code


@bp.get("/admin/su-kien")
@admin_only
def admin_events():
    return _home(_event_form())


@bp.post("/admin/su-kien")
@admin_only
def admin_declare():
    form = _event_form()
    if form.validate_on_submit():
        try:
            event = events.declare(current_user, _event_data(form), form.extra_days.data or 0)
        except ReliefError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Event declared: %(title)s.", title=event.title), "success")
            return redirect(url_for("relief.admin_event", event_id=event.id))
    return _home(form, 400)


def _event_or_404(event_id: int) -> DisasterEvent:
    return db.session.get(DisasterEvent, event_id) or abort(404)


def _event_page(event: DisasterEvent, form: EventForm, status_code: int = 200):
    delay_form = DelayForm(formdata=None)
    provinces = [("", "—")] + [(str(c), n) for c, n in province_choices()]
    delay_form.from_province.choices = delay_form.to_province.choices = provinces
    delay_form.category.choices = [("", _("Every category"))] + [
        (str(c.id), c.name_vi) for c in db.session.scalars(db.select(Category).order_by(Category.position))]
    history, _more = audit_log.page(audit_log.AuditFilter(object_type="disaster_event", object_id=event.id))
    return render_template("relief/admin_event.html", event=event, form=form, delay_form=delay_form,
                           history=history, action_form=ActionForm(), is_active=events.is_active), status_code


@bp.get("/admin/su-kien/<int:event_id>")
@admin_only
def admin_event(event_id: int):
    event = _event_or_404(event_id)
    return _event_page(event, _event_form(event))


@bp.post("/admin/su-kien/<int:event_id>")
@admin_only
def admin_event_update(event_id: int):
    event = _event_or_404(event_id)
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            changes = events.update(current_user, event, _event_data(form))
        except ReliefError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Saved: %(n)s change(s).", n=len(changes)), "success")
            return redirect(url_for("relief.admin_event", event_id=event.id))
    return _event_page(event, form, 400)


@bp.post("/admin/su-kien/<int:event_id>/dong")
@admin_only
def admin_event_close(event_id: int):
    event = _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        events.close(current_user, event)
    except ReliefError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Event closed."), "success")
    return redirect(url_for("relief.admin_event", event_id=event.id))


@bp.post("/admin/su-kien/<int:event_id>/tre")
@admin_only
def admin_delay_add(event_id: int):
    event = _event_or_404(event_id)
    form = DelayForm()
    form.from_province.choices = form.to_province.choices = [("", "—")] + [
        (str(c), n) for c, n in province_choices()]
    form.category.choices = [("", "")] + [(str(c.id), c.name_vi) for c in db.session.scalars(db.select(Category))]
    if not form.validate_on_submit():
        flash(_("Check the delay row: areas, category and 0–60 extra days."), "error")
        return redirect(url_for("relief.admin_event", event_id=event.id))
    rule = DelayRule(
        from_kind=AreaKind(form.from_kind.data), to_kind=AreaKind(form.to_kind.data),
        from_province_code=parse_int(form.from_province.data),
        to_province_code=parse_int(form.to_province.data),
        category_id=parse_int(form.category.data), extra_days=form.extra_days.data,
    )
    try:
        events.add_delay(current_user, event, rule)
    except ReliefError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Delay row added."), "success")
    return redirect(url_for("relief.admin_event", event_id=event.id))


@bp.post("/admin/su-kien/<int:event_id>/tre/<int:rule_id>/xoa")
@admin_only
def admin_delay_remove(event_id: int, rule_id: int):
    event = _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        events.remove_delay(current_user, event, rule_id)
    except ReliefError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("relief.admin_event", event_id=event.id))


@bp.post("/admin/buu-cuc/trang-thai")
@admin_only
def admin_point_status():
    form = PointStatusForm()
    if not form.validate_on_submit():
        flash(_("Type the post office's code and choose its status."), "error")
        return redirect(url_for("relief.admin_events"))
    point = get_point(form.point.data)
    alternate = get_point(form.alternate.data) if form.alternate.data else None
    if point is None or (form.alternate.data and alternate is None):
        flash(_("No post office has this code."), "error")
        return redirect(url_for("relief.admin_events"))
    try:
        counts = points.set_status(current_user, point, PointStatus(form.status.data), alternate,
                                   form.note.data or "")
    except ReliefError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(point)s: %(status)s. %(parcels)s parcel(s) sent to the alternate, %(households)s household(s) told.",
                point=point.code, status=points.STATUS_LABELS[point.status], **counts), "success")
    return redirect(url_for("relief.admin_events"))


@bp.post("/admin/uu-tien")
@admin_only
def admin_priority():
    form = PriorityForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        priority.set_categories(current_user, set(form.categories.data or []))
    except ReliefError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Priority categories saved."), "success")
    return redirect(url_for("relief.admin_events"))
