"""Sign-up, sign-in, sign-out and password change."""

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import bp, services, throttle
from marketplace.accounts.errors import AccountError, DuplicateAccount
from marketplace.accounts.forms import PasswordForm, SignInForm, SignUpForm
from marketplace.accounts.models import Role
from marketplace.accounts.sessions import mark_signed_in
from marketplace.extensions import db
from marketplace.signals import user_signed_in

#: what a user who must choose a new password can still reach
OPEN_WHILE_CHANGING = frozenset({"accounts.password", "accounts.logout", "static", "set_language", "media"})
#: session key: the phone number or e-mail just used to sign up, filled into the sign-in form once
PREFILL = "sign_in_as"


@bp.before_app_request
def _own_password_first():
    """A user signed in with a temporary password (printed by a clerk) chooses their own before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in OPEN_WHILE_CHANGING
    ):
        from marketplace.web import wants_json  # web imports this package: import at call time

        if wants_json():
            return jsonify(error=_("Choose your own password first.")), 403
        flash(_("Welcome! Choose your own password: the one on the sheet was seen by the post office."), "info")
        return redirect(url_for("accounts.password"))
    return None


def safe_next(default: str) -> str:
    from marketplace.web import safe_next  # web imports this package: import at call time

    return safe_next(default)


@bp.route("/signup", methods=["GET", "POST"])
@throttle.sign_up_limits
def signup():
    """Whether the number or e-mail was new or already had an account, the answer is the same: go and sign in (with
    the password just chosen, or the account's own). Nobody learns from sign-up which numbers have an account."""
    form = SignUpForm()
    if form.validate_on_submit():
        role = Role.HOUSEHOLD if form.kind.data == "household" else Role.BUYER
        try:
            services.register(
                services.NewAccount(
                    name=form.name.data, phone=form.phone.data, email=form.email.data, password=form.password.data,
                    role=role,
                )
            )
        except DuplicateAccount:
            db.session.rollback()
        except AccountError as exc:
            form.form_errors.append(str(exc))
            return render_template("accounts/signup.html", form=form)
        else:
            db.session.commit()
        session[PREFILL] = (form.phone.data or form.email.data or "")[:254]
        flash(_("If this number or e-mail was new, your account is ready: sign in with the password you chose. "
                "If it already had an account, sign in with that account's password, or reset it."), "info")
        done = url_for("households.edit_profile") if role is Role.HOUSEHOLD else safe_next(url_for("catalog.home"))
        return redirect(url_for("accounts.login", next=done))
    return render_template("accounts/signup.html", form=form)


#: session keys that survive sign-in (the guest's cart, the chosen language)
CARRIED_KEYS = ("cart", "lang")


def sign_in(user) -> None:
    """Sign `user` in on a fresh session (nothing of the anonymous one but the cart and the language carries over),
    start its inactivity clock; commits."""
    carried = {key: session[key] for key in CARRIED_KEYS if key in session}
    session.clear()  # a fresh session on privilege change (no fixation)
    session.update(carried)
    login_user(user)
    mark_signed_in()
    user_signed_in.send(user)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@throttle.sign_in_limits
def login():
    form = SignInForm()
    if request.method == "GET" and PREFILL in session:
        form.identifier.data = session.pop(PREFILL)
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data)
        except AccountError as exc:
            throttle.record_failure()
            form.form_errors.append(str(exc))
        else:
            sign_in(user)
            from marketplace.web import home_for  # web imports this package: import at call time

            return redirect(safe_next(home_for(user)))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out on every device: the account gets a new session token, so copies of this session die with it."""
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out, on this device and every other."), "info")
    return redirect(url_for("catalog.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current.data, form.new.data)
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            sign_in(user)  # this session goes on with the new token; every other one has ended
            flash(_("Your password has been changed. Every other device was signed out."), "success")
            return redirect(url_for("catalog.home"))
    return render_template("accounts/password.html", form=form)
