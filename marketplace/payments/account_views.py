"""A person's own bank account (households: where payouts go; buyers: where transfer refunds go)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.payments import accounts, banks, bp
from marketplace.payments.forms import BankAccountForm


@bp.route("/my/bank-account", methods=["GET", "POST"])
@login_required
def bank_account():
    account = accounts.account_of(current_user)
    form = BankAccountForm()
    form.bank_bin.choices = [("", "—")] + banks.choices()
    if request.method == "GET" and account is not None:
        form.bank_bin.data, form.account_number.data = account.bank_bin, account.account_number
        form.holder_name.data = account.holder_name
    if form.validate_on_submit():
        data = accounts.AccountData(form.bank_bin.data, form.account_number.data, form.holder_name.data)
        try:
            accounts.set_account(current_user, data, form.password.data)
        except accounts.BankAccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your bank account is saved."), "success")
            return redirect(url_for("payments.bank_account"))
    return render_template("payments/bank_account.html", form=form, account=account, bank=banks.by_bin(
        account.bank_bin) if account else None)
