from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import bp, services
from marketplace.accounts.errors import AccountError
from marketplace.accounts.forms import PasswordForm, SignInForm, SignUpForm
from marketplace.accounts.models import Role
from marketplace.extensions import db, limiter, login_manager
from marketplace.signals import user_signed_in


#: what a user who must choose a new password can still reach
OPEN_WHILE_CHANGING = frozenset({"accounts.password", "accounts.logout", "static", "set_language", "media"})


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


@login_manager.user_loader
def load_user(user_id: str):
    from marketplace.accounts.models import User

    return db.session.get(User, int(user_id))


def _safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


#: guessing passwords from one address is slowed down; counted per IP across all workers (Redis)
SIGN_IN_LIMIT = "10 per minute;50 per hour"


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        role = Role.HOUSEHOLD if form.kind.data == "household" else Role.BUYER
        try:
            user = services.register(
                services.NewAccount(
                    name=form.name.data, phone=form.phone.data, email=form.email.data, password=form.password.data,
                    role=role,
                )
            )
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            _sign_in(user)
            flash(_("Welcome, %(name)s!", name=user.name), "success")
            if role is Role.HOUSEHOLD:
                return redirect(url_for("households.edit_profile"))
            return redirect(_safe_next(url_for("catalog.home")))
    return render_template("accounts/signup.html", form=form)


#: session keys that survive sign-in (the guest's cart, the chosen language)
CARRIED_KEYS = ("cart", "lang")


def _sign_in(user) -> None:
    carried = {key: session[key] for key in CARRIED_KEYS if key in session}
    session.clear()  # a fresh session on privilege change (no fixation)
    session.update(carried)
    login_user(user)
    user_signed_in.send(user)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def login():
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data)
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            _sign_in(user)
            from marketplace.web import home_for  # web imports this package: import at call time

            return redirect(_safe_next(home_for(user)))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("catalog.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("catalog.home"))
    return render_template("accounts/password.html", form=form)
