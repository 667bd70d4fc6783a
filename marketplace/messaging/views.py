"""Administrators' messages page (/admin/messages): every message with its state, channel and provider id, failed
ones sent again with a button, and the development outbox (what Zalo, SMS and e-mail would have carried)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.jobs.queue import inline
from marketplace.messaging import bp
from marketplace.messaging.models import Message, MessageState, OutboxEntry
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
