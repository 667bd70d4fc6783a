"""The end-of-day COD reconciliation page of the desk (/buu-cuc/doi-soat)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.extensions import db
from marketplace.money import InvalidAmount, parse_vnd
from marketplace.postal import bp, reconciliation
from marketplace.postal.desk_views import _point_or_403, clerk_only
from marketplace.postal.errors import PostalError
from marketplace.postal.forms import ActionForm
from marketplace.timeutil import local_today


def _day() -> date:
    raw = request.values.get("day", "")
    try:
        return date.fromisoformat(raw) if raw else local_today()
    except ValueError:
        return local_today()


@bp.route("/buu-cuc/doi-soat", methods=["GET", "POST"])
@clerk_only
def desk_reconcile():
    point = _point_or_403()
    day = _day()
    form = ActionForm()
    postmen = reconciliation.expected_by_postman(point, day)
    errors: dict[int, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        reported = {}
        for pd in postmen:
            try:
                amount = parse_vnd(request.form.get(f"reported-{pd.key}"))
            except InvalidAmount as exc:
                errors[pd.key] = str(exc)
                continue
            if amount is None:
                errors[pd.key] = _("Enter an amount in đồng, for example 45.000.")
            else:
                reported[pd.key] = amount
        if not errors:
            try:
                record = reconciliation.close_day(current_user, day, reported)
            except PostalError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flagged = [line for line in record.lines if line.difference]
                flash(
                    _("Day closed: %(n)s postmen, %(f)s difference(s) flagged.", n=len(record.lines), f=len(flagged)),
                    "warning" if flagged else "success",
                )
                return redirect(url_for("postal.desk_reconcile", day=day.isoformat()))
    return render_template(
        "postal/reconciliation.html",
        point=point,
        day=day,
        form=form,
        postmen=postmen,
        errors=errors,
        closed=reconciliation.closed_day(point, day),
        history=reconciliation.history(point),
    ), (400 if errors else 200)
