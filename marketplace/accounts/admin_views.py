"""Administrators find an account and sign it out everywhere (a lost phone, a computer left signed in)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import bp, services
from marketplace.accounts.access import role_required
from marketplace.accounts.forms import AccountSearchForm, ActionForm
from marketplace.accounts.models import Role, User
from marketplace.extensions import db


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    search = AccountSearchForm(request.args)
    found = services.find_accounts(search.q.data or "") if search.validate() else []
    return render_template("accounts/users.html", search=search, found=found, form=ActionForm())


@bp.post("/users/<int:user_id>/sign-out-everywhere")
@role_required(Role.ADMIN)
def sign_out_everywhere(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.sign_out_everywhere(current_user, user)
    db.session.commit()
    flash(_("%(name)s is signed out on every device.", name=user.name), "success")
    if user.id == current_user.id:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("accounts.users", q=request.form.get("q") or None))
