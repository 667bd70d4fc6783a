"""The administrator's audit log page (/admin/audit): every staff action, filtered by who, where, what and when."""

from datetime import datetime, time, timedelta

from flask import render_template, request

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.accounts.services import find_by_identifier
from marketplace.staff import audit, bp
from marketplace.staff.forms import AuditFilterForm
from marketplace.timeutil import VN_TZ

@bp.get("/admin/audit")
@role_required(Role.ADMIN)
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "—")] + [(k, str(v)) for k, v in audit.ACTIONS.items()]
    form.object_type.choices = [("", "—")] + [(k, str(v)) for k, v in audit.OBJECT_TYPES.items()]
    f = audit.AuditFilter()
    unknown_actor = unknown_point = False
    if form.validate():
        actor_id = point_id = None
        if form.actor.data:
            actor = find_by_identifier(form.actor.data)
            actor_id = actor.id if actor is not None else -1
            unknown_actor = actor is None
        if form.point.data:
            from marketplace.postal.points import get_point

            point = get_point(form.point.data)
            point_id = point.id if point is not None else -1
            unknown_point = point is None
        f = audit.AuditFilter(
            actor_id=actor_id,
            point_id=point_id,
            action=form.action.data or None,
            object_type=form.object_type.data or None,
            object_id=form.object_id.data,
            household_id=form.household.data,
            since=_local_midnight(form.date_from.data),
            until=_local_midnight(form.date_to.data, days=1),
        )
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before < 2**53:
        before = None
    entries, next_before = audit.page(f, before)
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template(
        "staff/audit.html",
        form=form,
        entries=entries,
        next_before=next_before,
        args=args,
        labels=audit.ACTIONS,
        object_types=audit.OBJECT_TYPES,
        unknown_actor=unknown_actor,
        unknown_point=unknown_point,
    )


def _local_midnight(day, days: int = 0):
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=days), time(0), tzinfo=VN_TZ)
