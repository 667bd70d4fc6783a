"""The worklist of orders in flight touching an event's wards (/cuu-tro/don-hang), for administrators (national)
and clerks (their point's orders), with bulk actions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.postal.points import get_point
from marketplace.relief import bp, events, worklist
from marketplace.relief.errors import ReliefError
from marketplace.relief.forms import BulkForm
from marketplace.relief.models import DisasterEvent, NoticeAction
from marketplace.relief.points import open_points_near

staff_only = role_required(Role.CLERK, Role.ADMIN)


def _event() -> DisasterEvent | None:
    active = events.active_events()
    wanted = request.values.get("event", type=int)
    if wanted:
        event = db.session.get(DisasterEvent, wanted)
        return event if event is not None else abort(404)
    return active[0] if active else None


def _point_choices(orders) -> list[tuple[str, str]]:
    seen, out = set(), []
    for order in orders[:20]:
        for point in open_points_near(order.checkout.ward_code, limit=4):
            if point.id not in seen:
                seen.add(point.id)
                out.append((point.code, f"{point.code} · {point.name}"))
    return out


@bp.get("/cuu-tro/don-hang")
@staff_only
def worklist_page():
    event = _event()
    after = request.args.get("after", 0, type=int)
    orders, next_after = worklist.page(current_user, event, after) if event is not None else ([], None)
    form = BulkForm(formdata=None)
    form.point.choices = [("", "—")] + _point_choices(orders)
    return render_template(
        "relief/worklist.html", event=event, events=events.active_events(), orders=orders, next_after=next_after,
        parcels=worklist.parcels_of(orders), notices=worklist.latest_notices([o.id for o in orders]),
        form=form, describe=worklist.describe,
    )


@bp.post("/cuu-tro/don-hang")
@staff_only
def worklist_act():
    event = _event()
    if event is None:
        abort(404)
    form = BulkForm()
    form.point.choices = [("", "—")] + [(request.form.get("point", ""), "")]
    if not form.validate_on_submit():
        flash(_("Choose the orders and the action, and write the reason the buyer reads."), "error")
        return redirect(url_for("relief.worklist_page", event=event.id))
    point = get_point(form.point.data) if form.point.data else None
    spec = worklist.BulkAction(action=NoticeAction(form.action.data), reason=form.reason.data,
                               deliver_by=form.deliver_by.data, point=point, event=event)
    try:
        result = worklist.apply(current_user, form.orders.data or [], spec)
    except ReliefError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("relief.worklist_page", event=event.id))
    db.session.commit()
    if result.done:
        flash(_("%(n)s order(s) done.", n=len(result.done)), "success")
    for _order_id, message in result.refused:
        flash(message, "error")
    return redirect(url_for("relief.worklist_page", event=event.id))
