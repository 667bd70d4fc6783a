"""The household's incoming orders and earnings; the admin's order list, commissions and payouts; the CLI."""

from datetime import datetime, time, timedelta

import click
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.inputs import parse_int, query_int
from marketplace.orders import bp, ledger, payouts, services, states
from marketplace.orders.errors import OrderError
from marketplace.orders.forms import AdminFilterForm, CommissionForm, ReasonForm
from marketplace.orders.models import OrderStatus, PaymentMethod, PayoutBatch, PayoutItem
from marketplace.orders.states import ActorKind
from marketplace.timeutil import VN_TZ


def _my_household() -> Household:
    household = getattr(current_user, "household", None)
    if household is None:
        flash(_("Create your household profile first."), "info")
        abort(redirect(url_for("households.edit_profile")))
    return household


@bp.get("/my/orders")
@role_required(Role.HOUSEHOLD)
def incoming():
    household = _my_household()
    try:
        status = OrderStatus(request.args["status"]) if request.args.get("status") else None
    except ValueError:
        status = None
    todo = services.household_worklist(household.id) if status is None else []
    orders = services.household_orders(household.id, status, limit=50 if status is None else 200)
    if status is None:
        orders = [o for o in orders if o not in todo]
    return render_template(
        "orders/incoming.html",
        todo=todo,
        orders=orders,
        status=status,
        reason_form=ReasonForm(),
        moves={o.id: states.next_for(o.status, ActorKind.HOUSEHOLD) for o in (*todo, *orders)},
        kind=ActorKind.HOUSEHOLD,
        labels_for=_labels_for([o for o in (*todo, *orders) if o.status is OrderStatus.READY_FOR_HANDOVER]),
    )


def _labels_for(orders) -> dict[int, int]:
    from marketplace.postal.shipping import parcel_ids_of

    return parcel_ids_of([o.id for o in orders])


@bp.get("/my/earnings")
@role_required(Role.HOUSEHOLD)
def earnings():
    household = _my_household()
    from marketplace.orders.payout_schedule import schedule
    from marketplace.payments.accounts import account_of, masked

    account = account_of(current_user)
    return render_template(
        "orders/earnings.html",
        summary=ledger.earnings(household),
        entries=ledger.entries(household),
        payouts=payouts.household_payouts(household),
        schedule=schedule(household),
        payout_days=payouts.hold().days,
        bank_account=masked(account) if account else None,
    )


@bp.get("/admin/orders")
@role_required(Role.ADMIN)
def admin_orders():
    form = AdminFilterForm(request.args)
    form.status.choices = [("", "—")] + [(s.value, states.LABELS[s]) for s in OrderStatus]
    form.payment_method.choices = [("", "—"), ("cod", _("Cash on delivery")), ("card", _("Card")),
                                   ("vietqr", _("Bank transfer (VietQR)")), ("vnpay", "VNPay")]
    f = services.OrderFilter()
    if form.validate():
        f = services.OrderFilter(
            status=OrderStatus(form.status.data) if form.status.data else None,
            payment_method=PaymentMethod(form.payment_method.data) if form.payment_method.data else None,
            household_id=form.household.data or None,
            date_from=_local_midnight(form.date_from.data),
            date_to=_local_midnight(form.date_to.data, days=1),
        )
    number = max(1, min(query_int("page") or 1, 10_000))
    page = services.admin_page(f, number, current_app.config.get("ADMIN_ORDERS_PER_PAGE", 50),
                               after=request.args.get("after"), before=request.args.get("before"))
    first_page_url = url_for("orders.admin_orders",
                             **{k: v for k, v in request.args.items() if k not in ("page", "after", "before")})
    return render_template("orders/admin_orders.html", form=form, page=page, first_page_url=first_page_url)


def _local_midnight(day, days: int = 0):
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=days), time(0), tzinfo=VN_TZ)


@bp.route("/admin/commissions", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def commissions():
    categories = list(db.session.scalars(select(Category).order_by(Category.position)))
    form = CommissionForm()
    if request.method == "POST":
        category = db.session.get(Category, request.form.get("category_id", type=parse_int) or 0)
        if category is None:
            abort(404)
        if form.validate_on_submit():
            services.set_commission(current_user, category, form.percent.data)
            db.session.commit()
            flash(_("Commission saved."), "success")
            return redirect(url_for("orders.commissions"))
        flash(_("Enter a commission between 0 and 5000 basis points (0 %–50 %)."), "error")
    return render_template("orders/commissions.html", categories=categories, form=form)


@bp.route("/admin/payouts", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def payout_batches():
    """Households owed money; create a batch of them; mark a batch paid (its PAYOUT entries are written then)."""
    form = ReasonForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            if request.form.get("batch_id"):
                batch = db.session.get(PayoutBatch, request.form.get("batch_id", type=parse_int) or 0) or abort(404)
                payouts.mark_paid(batch, current_user, form.reason.data or "")
                message = _("Batch #%(id)s marked paid.", id=batch.id)
            else:
                batch = payouts.create_batch(current_user)
                message = _("Batch #%(id)s created.", id=batch.id)
        except OrderError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(message, "success")
        return redirect(url_for("orders.payout_batches"))
    return render_template("orders/payout_batches.html", payable=payouts.payable(), batches=payouts.batches(), form=form,
                           payout_days=payouts.hold().days)


def _line(batch_id: int, item_id: int) -> PayoutItem:
    item = db.session.get(PayoutItem, item_id)
    if item is None or item.batch_id != batch_id:
        abort(404)
    return item


@bp.post("/admin/payouts/<int:batch_id>/lines/<int:item_id>/paid")
@role_required(Role.ADMIN)
def payout_line_paid(batch_id: int, item_id: int):
    """One transfer of the batch was made (from the bank's app, with the line's QR)."""
    form = ReasonForm()
    item = _line(batch_id, item_id)
    if form.validate_on_submit():
        try:
            payouts.mark_line_paid(item, current_user, form.reason.data or "")
        except OrderError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Transfer to %(name)s marked paid.", name=item.household.name), "success")
    return redirect(url_for("orders.payout_batches") + f"#batch-{batch_id}")


@bp.get("/admin/payouts/<int:batch_id>/lines/<int:item_id>")
@role_required(Role.ADMIN)
def payout_line(batch_id: int, item_id: int):
    """One transfer with its VietQR, for a clerk paying from a phone's banking app."""
    from marketplace.payments.banks import by_bin

    item = _line(batch_id, item_id)
    return render_template("orders/payout_line.html", item=item, bank=by_bin(item.bank_bin), form=ReasonForm())


@bp.get("/admin/payouts/<int:batch_id>/lines/<int:item_id>/qr.png")
@role_required(Role.ADMIN)
def payout_line_qr(batch_id: int, item_id: int):
    from marketplace.payments.emvco import Transfer, encode
    from marketplace.payments.methods.vietqr import qr_png

    item = _line(batch_id, item_id)
    if not item.account_number or item.paid_at is not None:
        abort(404)
    payload = encode(Transfer(item.bank_bin, item.account_number, item.amount, item.memo))
    return Response(qr_png(payload), mimetype="image/png", headers={"Cache-Control": "private, no-store"})


@bp.get("/admin/payouts/<int:batch_id>.csv")
@role_required(Role.ADMIN)
def payout_csv(batch_id: int):
    """The batch's unpaid transfers for the bank's bulk-transfer upload."""
    batch = db.session.get(PayoutBatch, batch_id) or abort(404)
    return Response(payouts.bulk_csv(batch), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="chi-tra-{batch_id}.csv"', "Cache-Control": "private, no-store"})


@bp.cli.command("remind-unconfirmed")
@click.option("--hours-later", type=click.IntRange(0, 24 * 30), default=0,
              help="Act as if this many hours had passed (development: watch an order climb the ladder).")
def remind_unconfirmed_command(hours_later: int) -> None:
    """Take unconfirmed orders up the escalation ladder: remind the household, put the order on its post office's
    call list, cancel it once the post office had its time (the job scheduler runs it hourly; this runs it now)."""
    from marketplace.orders.tasks import remind_unconfirmed

    done = remind_unconfirmed(hours_later)
    db.session.commit()
    click.echo(f"Reminded {done['reminded']} order(s), put {done['escalated']} on the post office's call list, "
               f"cancelled {done['cancelled']}, refund failed for {done['failed']}.")


@bp.cli.command("expire-unpaid")
def expire_unpaid_command() -> None:
    """Cancel checkouts paid in advance (card, bank transfer, VNPay) still unpaid after their hold time and give
    their stock back (safe to run any time; the job scheduler runs it every 5 minutes). Transfers the statement
    service lists are caught up first."""
    from marketplace.payments.tasks import expire_unpaid

    done = expire_unpaid()
    caught = f" ({done['caught_up']} transfer(s) caught up first.)" if done["caught_up"] else ""
    click.echo(f"Expired {done['expired']} unpaid checkout(s).{caught}")
