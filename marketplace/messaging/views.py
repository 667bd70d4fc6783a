"""Administrators' messages page (/admin/messages): every message with its state, channel and provider id, failed
ones sent again with a button, and the development outbox (what Zalo, SMS and e-mail would have carried)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.jobs.queue import inline
from marketplace.messaging import bp
from marketplace.messaging.models import Message, MessageState, OutboxEntry
from marketplace.orders.models import Order
from marketplace.postal.forms import ActionForm


@bp.route("/admin/messages", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_messages():
    from marketplace.messaging import services

    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        message_id = request.form.get("message_id", type=int)
        if message_id is None or not 0 < message_id < 2**31:
            abort(404)
        if services.send_again(message_id):
            db.session.commit()
            flash(_("The message is queued again."), "success")
        else:
            flash(_("Only a failed message can be sent again."), "error")
        return redirect(url_for("messaging.admin_messages"))
    state = request.args.get("state", "")
    query = select(Message).order_by(Message.id.desc()).limit(100)
    if state in {s.value for s in MessageState}:
        query = query.where(Message.state == MessageState(state))
    messages = list(db.session.scalars(query))
    outbox = list(db.session.scalars(select(OutboxEntry).order_by(OutboxEntry.id.desc()).limit(100)))
    return render_template("messaging/admin.html", messages=messages, outbox=outbox, form=form, state=state,
                           states=[s.value for s in MessageState], inline=inline())


# -- one-tap links (no sign-in: the signed token is the authority, for one order and one action) -----------------

REASON_WORDS = {"out_of_stock": "Hết hàng / không đủ hàng", "cannot_ship": "Không gửi kịp", "other": "Lý do khác"}


@bp.route("/o/<token>", methods=["GET", "POST"])
def one_tap(token: str):
    from marketplace.messaging import onetap
    from marketplace.messaging.errors import BadLink
    from marketplace.messaging.forms import OneTapForm
    from marketplace.orders.errors import OrderError

    if len(token) > 80:
        return _bad_link("invalid")
    form = OneTapForm()
    try:
        link, order = onetap.open_link(token)
    except BadLink as exc:
        return _bad_link(exc.reason)
    if request.method == "POST":
        action = request.form.get("action", "")
        if not form.validate_on_submit() or action not in onetap.ACTIONS or onetap.ACTIONS[action][0] != link.purpose:
            abort(400)
        reason = ""
        if action == "reject":
            reason = " — ".join(x for x in (REASON_WORDS.get(form.reason.data or "", ""), form.note.data or "") if x)
        try:
            onetap.act(token, action, reason)
            db.session.commit()
        except BadLink as exc:
            db.session.rollback()
            return _bad_link(exc.reason)
        except (OrderError, ValueError) as exc:
            db.session.rollback()
            db.session.expire_all()
            flash(str(exc) or _("This order cannot be changed any more."), "error")
            return render_template("messaging/one_tap.html", link=None, order=db.session.get(Order, order.id),
                                   form=form, done=None), 409
        return render_template("messaging/one_tap.html", link=None, order=db.session.get(Order, order.id), form=None,
                               done=action)
    return render_template("messaging/one_tap.html", link=link, order=order, form=form, done=None)


def _bad_link(reason: str):
    status = {"used": 410, "expired": 410}.get(reason, 404)
    return render_template("messaging/one_tap_bad.html", reason=reason), status


# -- the clerk's "call these households" list ---------------------------------------------------------------------

@bp.route("/buu-cuc/goi-ho", methods=["GET", "POST"])
@role_required(Role.CLERK, Role.ADMIN)
def call_list():
    from flask_login import current_user

    from marketplace.messaging import escalation
    from marketplace.messaging.forms import CallForm
    from marketplace.orders.errors import NotYourOrder, OrderError

    form = CallForm()
    if request.method == "POST":
        order_id = request.form.get("order_id", type=int)
        order = db.session.get(Order, order_id) if order_id is not None and 0 < order_id < 2**31 else None
        if order is None:
            abort(404)
        if form.validate_on_submit():
            try:
                escalation.record_call(current_user, order, form.decision.data, form.note.data or "")
                db.session.commit()
                flash(_("Recorded for order %(number)s.", number=order.number), "success")
            except NotYourOrder:
                db.session.rollback()
                abort(404)
            except OrderError as exc:
                db.session.rollback()
                flash(str(exc), "error")
        else:
            flash(_("Choose what the household said."), "error")
        return redirect(url_for("messaging.call_list"))
    return render_template("messaging/call_list.html", items=escalation.call_list(current_user), form=form)


# -- the person's own notification preferences (on the account page) ----------------------------------------------

@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    from flask_login import current_user

    from marketplace.messaging import preferences as prefs
    from marketplace.messaging.forms import PreferencesForm

    current = prefs.get(current_user)
    form = PreferencesForm(obj=current)
    if form.validate_on_submit():
        prefs.save(current_user, zalo=form.zalo.data, sms=form.sms.data, email=form.email.data,
                   stopped=form.stopped.data)
        db.session.commit()
        flash(_("Your notification choices are saved."), "success")
        return redirect(url_for("messaging.preferences"))
    return render_template("messaging/preferences.html", form=form, user=current_user)
