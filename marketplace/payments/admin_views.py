"""Administrators: the queue of transfers that paid nothing by themselves, and the refunds to make by hand."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.payments import accounts, banks, bp, transfers
from marketplace.payments.errors import PaymentError
from marketplace.payments.forms import MatchForm, RefundDoneForm
from marketplace.payments.labels import QUEUE_LABELS
from marketplace.payments.models import TransferRefund


@bp.get("/admin/transfers")
@role_required(Role.ADMIN)
def transfer_queue():
    tasks = transfers.open_refunds()
    forms = {}
    for task in tasks:
        form = RefundDoneForm(prefix=f"r{task.id}")
        form.bank_bin.choices = banks.choices()
        account = accounts.account_of(task.buyer) if task.buyer_id else None
        if account is not None and not form.is_submitted():
            form.bank_bin.data, form.account_number.data = account.bank_bin, account.account_number
            form.holder_name.data = account.holder_name
        forms[task.id] = form
    return render_template("payments/admin_transfers.html", queue=transfers.queue(), tasks=tasks, forms=forms,
                           match_form=MatchForm(), banks=banks, QUEUE_LABELS=QUEUE_LABELS)


@bp.post("/admin/transfers/<int:txn_id>/match")
@role_required(Role.ADMIN)
def transfer_match(txn_id: int):
    form = MatchForm()
    if not form.validate_on_submit():
        flash(_("Enter the checkout number to match the transfer to."), "error")
        return redirect(url_for("payments.transfer_queue"))
    try:
        transfers.match_by_hand(txn_id, form.checkout_id.data, current_user)
    except PaymentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The transfer paid checkout %(id)s.", id=form.checkout_id.data), "success")
    return redirect(url_for("payments.transfer_queue"))


@bp.post("/admin/transfers/<int:txn_id>/refund")
@role_required(Role.ADMIN)
def transfer_refund(txn_id: int):
    try:
        transfers.refund_transaction(txn_id, current_user, request.form.get("reason", "")[:200])
    except PaymentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("A refund task was created."), "success")
    return redirect(url_for("payments.transfer_queue"))


@bp.post("/admin/refunds/<int:task_id>/done")
@role_required(Role.ADMIN)
def refund_done(task_id: int):
    if db.session.get(TransferRefund, task_id) is None:
        abort(404)
    form = RefundDoneForm(prefix=f"r{task_id}")
    form.bank_bin.choices = banks.choices()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("payments.transfer_queue"))
    try:
        transfers.complete_refund(task_id, current_user, form.reference.data, form.bank_bin.data,
                                  form.account_number.data.strip(), accounts.clean_holder(form.holder_name.data))
    except PaymentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Refund recorded."), "success")
    return redirect(url_for("payments.transfer_queue"))
