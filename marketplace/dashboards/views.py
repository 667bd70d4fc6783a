"""Dashboard pages and their CSV exports (UTF-8 with a BOM so that Excel reads Vietnamese correctly)."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import Role, role_required
from marketplace.dashboards import bp, charts, clerk, services, strategy
from marketplace.dashboards.errors import DashboardError
from marketplace.dashboards.forms import TargetForm
from marketplace.extensions import db
from marketplace.geo.services import province_choices
from marketplace.orders.models import OrderStatus
from marketplace.timeutil import local_today
from marketplace.web import number


def csv_response(name: str, headers: list[str], rows: list[list[object]]) -> Response:
    """A CSV download: UTF-8 with a byte-order mark, CRLF rows, a dated file name."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    filename = f"{name}-{local_today().isoformat()}.csv"
    return Response(
        buf.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{number(round(value * 100, 1))} %"


def _day(d) -> str:
    return d.strftime("%d/%m")


# ---- household --------------------------------------------------------------------------------------------------


def _own_household():
    household = getattr(current_user, "household", None)
    if household is None:
        abort(404)
    return household


@bp.get("/my/dashboard")
@role_required(Role.HOUSEHOLD)
def household():
    days = 90 if request.args.get("days") == "90" else 30
    data = services.household_dashboard(_own_household(), days)
    money = lambda v: number(int(v))  # noqa: E731
    #: axis labels in thousands of đồng ("150k", as Vietnamese sellers write prices), the table keeps full figures
    thousands = lambda v: f"{number(round(v / 1000, 1))}k"  # noqa: E731
    sales_chart = charts.bar_chart(
        _("Sales per day, last %(n)d days", n=days),
        _("Goods sold per day, in đồng, from orders placed (cancelled and unpaid orders left out)."),
        [(_day(p.day), p.sales) for p in data.series],
        fmt=money,
        axis_fmt=thousands,
        headers=(_("Day"), _("Sales (₫)")),
        summary=_("Show the figures"),
    )
    earnings_chart = charts.line_chart(
        _("Earnings per day, last %(n)d days", n=days),
        _("What you earned per day, in đồng: delivered sales less the marketplace commission."),
        [(_day(p.day), p.earnings) for p in data.series],
        fmt=money,
        axis_fmt=thousands,
        headers=(_("Day"), _("Earnings (₫)")),
        summary=_("Show the figures"),
    )
    return render_template(
        "dashboards/household.html",
        data=data,
        sales_chart=sales_chart,
        earnings_chart=earnings_chart,
        PLACED=OrderStatus.PLACED,
        CONFIRMED=OrderStatus.CONFIRMED,
    )


@bp.get("/my/dashboard/sales.csv")
@role_required(Role.HOUSEHOLD)
def household_csv():
    days = 90 if request.args.get("days") == "90" else 30
    data = services.household_dashboard(_own_household(), days)
    return csv_response(
        "sales",
        [_("Day"), _("Sales (₫)"), _("Earnings (₫)")],
        [[p.day.isoformat(), p.sales, p.earnings] for p in data.series],
    )


# ---- operator ---------------------------------------------------------------------------------------------------


def _operator_tables(days: int) -> dict:
    """Every table of the strategy dashboard as (headers, rows); computed only when asked for."""
    return {
        "provinces": lambda: (
            [_("Code"), _("Province"), _("Households onboarded"), _("Verified"), _("Selling"), _("Target")],
            [
                [r.code, r.name, r.onboarded, r.verified, r.selling, "" if r.target is None else r.target]
                for r in strategy.province_rows()
            ],
        ),
        "wards": lambda: (
            [_("Wards with a selling household"), _("All wards"), _("Share (%)")],
            [[(c := strategy.ward_coverage()).selling_wards, c.total_wards, round(c.share * 100, 2)]],
        ),
        "deliveries": lambda: (
            [_("Day"), _("Orders delivered"), _("Kilograms delivered")],
            [[d.day.isoformat(), d.orders, round(d.grams / 1000, 3)] for d in strategy.deliveries_by_day(days)],
        ),
        "summary": lambda: _summary_table(days),
    }


def _summary_table(days: int):
    d = strategy.deliveries(days)
    points = strategy.active_service_points()
    rows = [
        [_("Orders delivered"), d.orders],
        [_("Kilograms delivered"), round(d.grams / 1000, 3)],
        [_("Delivered on time"), d.on_time],
        [_("On-time delivery rate (%)"), "" if d.on_time_rate is None else round(d.on_time_rate * 100, 2)],
        [_("Orders placed"), d.orders_placed],
        [_("Cash on delivery orders"), d.cod_orders],
        [_("Share of cash on delivery (%)"), "" if d.cod_share is None else round(d.cod_share * 100, 2)],
        [_("Service points active"), "" if points is None else points],
    ]
    return [_("Figure"), _("Value")], rows


@bp.get("/admin/dashboard")
@role_required(Role.ADMIN)
def operator():
    days = strategy.period_or_default(request.args.get("days"))
    provinces = strategy.province_rows()
    wards = strategy.ward_coverage()
    delivered = strategy.deliveries(days)
    per_day = strategy.deliveries_by_day(days)
    form = TargetForm()
    form.province.choices = province_choices()
    count = lambda v: number(int(v))  # noqa: E731
    province_chart = charts.ranked_bars(
        _("Selling households by province, against the target"),
        _(
            "The 34 provinces ranked by households selling (verified, with at least one active listing); "
            "the red tick marks the operator's target."
        ),
        [(r.name, r.selling, r.target) for r in provinces],
        fmt=count,
        headers=(_("Province"), _("Selling"), _("Target")),
        summary=_("Show the figures"),
        target_label=_("Target"),
    )
    delivery_chart = charts.bar_chart(
        _("Orders delivered per day, last %(n)d days", n=days),
        _("Number of orders delivered each day (Vietnam time)."),
        [(_day(d.day), d.orders) for d in per_day],
        fmt=count,
        headers=(_("Day"), _("Orders delivered")),
        summary=_("Show the figures"),
    )
    return render_template(
        "dashboards/operator.html",
        days=days,
        provinces=provinces,
        wards=wards,
        delivered=delivered,
        per_day=per_day,
        form=form,
        province_chart=province_chart,
        delivery_chart=delivery_chart,
        service_points=strategy.active_service_points(),
        percent=_percent,
        periods=strategy.PERIODS,
        on_time_days=strategy.ON_TIME_DAYS,
        on_time_days_perishable=strategy.ON_TIME_DAYS_PERISHABLE,
        totals={
            "onboarded": sum(r.onboarded for r in provinces),
            "verified": sum(r.verified for r in provinces),
            "selling": sum(r.selling for r in provinces),
            "target": sum(r.target or 0 for r in provinces),
        },
    )


@bp.post("/admin/dashboard/targets")
@role_required(Role.ADMIN)
def set_target():
    form = TargetForm()
    form.province.choices = province_choices()
    if not form.validate_on_submit():
        flash(_("Choose a province and a target of zero or more households."), "error")
        return redirect(url_for("dashboards.operator"))
    try:
        strategy.set_target(current_user, form.province.data, form.target.data)
    except DashboardError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The target is saved."), "success")
    return redirect(url_for("dashboards.operator") + "#targets")


@bp.get("/admin/dashboard/<table>.csv")
@role_required(Role.ADMIN)
def operator_csv(table: str):
    days = strategy.period_or_default(request.args.get("days"))
    tables = _operator_tables(days)
    if table not in tables:
        abort(404)
    headers, rows = tables[table]()
    return csv_response(table, headers, rows)


# ---- clerk ------------------------------------------------------------------------------------------------------


def _desk_days() -> int:
    return 30 if request.args.get("days") == "30" else 7


def _desk_point():
    """The clerk's own service point (404 for a clerk without one); None for an admin (every point)."""
    from marketplace.postal.points import point_of

    if current_user.role is Role.ADMIN:
        return None
    point = point_of(current_user)
    if point is None:
        abort(404)
    return point


@bp.get("/clerk/dashboard")
@role_required(Role.CLERK, Role.ADMIN)
def desk():
    days = _desk_days()
    point = _desk_point()
    rows = clerk.desk_by_day(point.id if point else None, days)
    chart = charts.bar_chart(
        _("Parcels delivered per day, last %(n)d days", n=days),
        _("Parcels delivered each day (Vietnam time) at %(p)s.", p=point.name) if point
        else _("Parcels delivered each day (Vietnam time), across every service point."),
        [(_day(r.day), r.delivered) for r in rows],
        fmt=lambda v: number(int(v)),
        headers=(_("Day"), _("Delivered")),
        summary=_("Show the figures"),
    )
    return render_template("dashboards/clerk.html", rows=rows, days=days, chart=chart, periods=clerk.PERIODS,
                           point=point)


@bp.get("/clerk/dashboard/desk.csv")
@role_required(Role.CLERK, Role.ADMIN)
def desk_csv():
    point = _desk_point()
    rows = clerk.desk_by_day(point.id if point else None, _desk_days())
    return csv_response(
        "desk",
        [_("Day"), _("Accepted"), _("Delivered"), _("Failed"), _("Cash collected (₫)")],
        [[r.day.isoformat(), r.accepted, r.delivered, r.failed, r.cod_collected] for r in rows],
    )
