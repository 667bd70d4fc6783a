"""Sign in, or sign up, with a code sent to the phone: number → 6-digit code → signed in (or, for a number without
an account, a short form: name, buyer or household, a password only if wanted). See accounts.otp."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from marketplace.accounts import bp, otp, throttle
from marketplace.accounts.errors import AccountError
from marketplace.accounts.forms import CodeAccountForm, CodeForm, CodeRequestForm
from marketplace.accounts.models import CodePurpose, Role
from marketplace.accounts.phone import display_phone
from marketplace.accounts.throttle import CODE_PHONE
from marketplace.extensions import db

#: session key: where to go once signed in
CODE_NEXT = "code_next"
#: session key: [phone, epoch seconds] of a number a code proved, which had no account
PROVED = "code_proved"


def _next_url() -> str | None:
    from marketplace.web import safe_next

    target = safe_next("")
    return target or None


@bp.route("/code", methods=["GET", "POST"])
@throttle.code_send_limits
def code_request():
    form = CodeRequestForm()
    if request.method == "GET" and isinstance(session.get(CODE_PHONE), str):
        form.identifier.data = display_phone(session[CODE_PHONE])
    if form.validate_on_submit():
        try:
            phone = otp.phone_or_error(form.identifier.data)
            otp.send_code(phone, CodePurpose.SIGN_IN)
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            throttle.record_sent()
            session[CODE_PHONE] = phone
            session[CODE_NEXT] = _next_url()
            flash(_("We sent a 6-digit code to %(phone)s by Zalo or SMS. It works for %(minutes)d minutes.",
                    phone=display_phone(phone), minutes=otp.code_minutes()), "info")
            return redirect(url_for("accounts.code_check"))
    return render_template("accounts/code_request.html", form=form)


@bp.route("/code/check", methods=["GET", "POST"])
@throttle.code_check_limits
def code_check():
    phone = session.get(CODE_PHONE)
    if not isinstance(phone, str):
        return redirect(url_for("accounts.code_request"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            phone, user = otp.sign_in_with_code(phone, form.code.data)
        except otp.InvalidCode as exc:
            db.session.commit()  # the try is counted
            throttle.record_failure()
            form.form_errors.append(str(exc))
        except AccountError as exc:
            db.session.commit()  # the code is used
            form.form_errors.append(str(exc))
        else:
            next_url = session.get(CODE_NEXT)
            if user is None:
                db.session.commit()
                session.pop(CODE_PHONE, None)
                session[PROVED] = [phone, int(time.time())]
                return redirect(url_for("accounts.code_new_account"))
            from marketplace.accounts.views import sign_in
            from marketplace.web import home_for

            sign_in(user)  # a fresh session (no fixation); commits
            return redirect(next_url or home_for(user))
    return render_template("accounts/code_check.html", form=form, phone=display_phone(phone))


def proved_phone() -> str | None:
    """The phone number a code proved a moment ago, which had no account (None once the form's time is up)."""
    from flask import current_app

    value = session.get(PROVED)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], int)):
        return None
    if time.time() - value[1] > int(current_app.config.get("OTP_SIGN_UP_MINUTES", 15)) * 60:
        session.pop(PROVED, None)
        return None
    return value[0]


@bp.route("/code/new", methods=["GET", "POST"])
@throttle.sign_up_limits
def code_new_account():
    phone = proved_phone()
    if phone is None:
        flash(_("Ask for a code first: it proves the number is yours."), "info")
        return redirect(url_for("accounts.code_request"))
    form = CodeAccountForm()
    if form.validate_on_submit():
        role = Role.HOUSEHOLD if form.kind.data == "household" else Role.BUYER
        try:
            user = otp.register_with_phone(phone, form.name.data, role, password=form.password.data or None)
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            return render_template("accounts/code_new_account.html", form=form, phone=display_phone(phone))
        next_url = session.get(CODE_NEXT)
        from marketplace.accounts.views import sign_in

        sign_in(user)  # clears the session (the proof included); commits
        flash(_("Welcome! Your account is ready."), "success")
        if user.role is Role.HOUSEHOLD:
            return redirect(url_for("households.edit_profile"))
        return redirect(next_url or url_for("catalog.home"))
    return render_template("accounts/code_new_account.html", form=form, phone=display_phone(phone))
