"""Forgotten password: ask for a one-time code, then type it with a new password. Both answers are the same whether
or not the account exists."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from marketplace.accounts import bp, otp, reset, throttle
from marketplace.accounts.errors import AccountError
from marketplace.accounts.forms import ResetCodeForm, ResetRequestForm
from marketplace.accounts.phone import display_phone, normalize_phone
from marketplace.extensions import db

#: session key: the phone number or e-mail a code was asked for, filled into the next form
RESET_FOR = "reset_for"


@bp.route("/reset", methods=["GET", "POST"])
@throttle.reset_request_limits
@throttle.code_send_limits
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        sent_by = reset.request_code(form.identifier.data)
        db.session.commit()
        session[RESET_FOR] = form.identifier.data[:254]
        if sent_by == "phone":
            throttle.record_sent()
            flash(_("We sent a 6-digit code to %(phone)s by Zalo or SMS. It works for %(minutes)d minutes.",
                    phone=display_phone(normalize_phone(form.identifier.data)), minutes=otp.code_minutes()), "info")
        else:
            flash(_("If an account has this e-mail address, a code is on its way. It works for %(minutes)d minutes.",
                    minutes=reset.code_minutes()), "info")
        return redirect(url_for("accounts.reset_code"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/code", methods=["GET", "POST"])
@throttle.reset_code_limits
def reset_code():
    form = ResetCodeForm()
    if not form.is_submitted() and RESET_FOR in session:
        form.identifier.data = session[RESET_FOR]
    if form.validate_on_submit():
        try:
            user = reset.reset_with_code(form.identifier.data, form.code.data, form.new.data)
        except reset.InvalidResetCode as exc:
            db.session.commit()  # the try is counted
            throttle.record_failure()
            form.form_errors.append(str(exc))
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            session.pop(RESET_FOR, None)
            if user is None:  # a mobile number without an account, proved by its code
                import time

                from marketplace.accounts.otp_views import PROVED

                session[PROVED] = [normalize_phone(form.identifier.data), int(time.time())]
                flash(_("No account has this number yet. Create one now: the code proved the number is yours."),
                      "info")
                return redirect(url_for("accounts.code_new_account"))
            from marketplace.accounts.views import PREFILL

            session[PREFILL] = form.identifier.data[:254]
            flash(_("Your password has been changed and every device was signed out. Sign in with the new password."),
                  "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_code.html", form=form)
