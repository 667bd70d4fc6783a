"""Notifications: one in-app row per person concerned, and an e-mail after the commit when SMTP is configured."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.orders.models import Order, OrderStatus, PaymentStatus
from marketplace.signals import sign_in_sheet_issued
from marketplace.timeutil import utcnow

log = logging.getLogger(__name__)


def order_changed(order: Order, actor: User | None) -> list[Notification]:
    """Tell the buyer and the household that the order moved (not the person who moved it); flushes.

    A new order is announced to the buyer as placed and to the household as waiting for its confirmation;
    an unpaid card order reaches the household only once paid (see `payment_received`).
    """
    if order.status is OrderStatus.PLACED:
        targets = [(order.buyer, "placed")]
        if order.payment_status is not PaymentStatus.UNPAID:
            targets.append((order.household.user, "new_order"))
    else:
        targets = [(user, order.status.value) for user in (order.buyer, order.household.user)]
        targets = [(u, k) for u, k in targets if actor is None or u.id != actor.id]
    notes = _notify_all([(user, order, kind) for user, kind in targets], actor=actor)
    if order.status is OrderStatus.CONFIRMED:
        from marketplace.messaging.orders import ready_link

        ready_link(order)
    return notes


def parcel_event(order: Order, event) -> list[Notification]:
    """A tracking event of the order's parcel that does not change the order's status (a second sorting centre, …):
    the buyer and the household are told in plain words, not the person who recorded it; flushes."""
    kind = f"parcel_{event.code}"
    return [_notify(u, order, kind) for u in (order.buyer, order.household.user) if u.id != event.actor_id]


def payment_received(order: Order) -> None:
    """The card payment arrived: the buyer is told, the household gets the order to confirm; flushes."""
    _notify(order.buyer, order, "paid")
    _notify(order.household.user, order, "new_order")


def refund_pending(order: Order) -> Notification:
    """An order paid by bank transfer will be refunded by hand: the buyer is told (and where to give an account)."""
    return _notify(order.buyer, order, "refund_pending")


def confirm_reminder(order: Order) -> Notification:
    """The household has not confirmed the order for a day: it is reminded that the order will be cancelled."""
    return _notify(order.household.user, order, "confirm_reminder")


def review_answered(review) -> Notification:
    """The household answered the buyer's review: the buyer is told (the order page shows the answer); flushes."""
    return _notify(review.buyer, db.session.get(Order, review.order_id), "review_answered")


def account_notice(user: User, kind: str) -> Notification:
    """Something that happened to the user's account (not to an order), e.g. a clerk printed a new sign-in sheet;
    flushes."""
    return _notify(user, None, kind)


@sign_in_sheet_issued.connect
def _on_sign_in_sheet(user: User, **_kwargs) -> None:
    account_notice(user, "sign_in_sheet")


def notice(user: User, order: Order | None, kind: str, detail: str = "") -> Notification:
    """A notice of another feature (`relief_…`: an event, a closed point, an order held): its sentence comes from
    that feature and carries `detail` (a point's name, staff's reason); flushes."""
    return _notify(user, order, kind, detail)


def _notify(user: User, order: Order | None, kind: str, detail: str = "", actor: User | None = None) -> Notification:
    return _notify_all([(user, order, kind)], detail, actor)[0]


def _notify_all(targets: list[tuple[User, Order | None, str]], detail: str = "",
                actor: User | None = None) -> list[Notification]:
    """One notification row per (user, order, kind), written in one flush, and the message or e-mail of each."""
    now = utcnow()
    notes = [Notification(user_id=user.id, order_id=order.id if order else None, kind=kind, created_at=now,
                          detail=(detail or "")[:300]) for user, order, kind in targets]
    db.session.add_all(notes)
    db.session.flush()
    from marketplace.messaging.orders import for_notification

    for (user, order, kind), note in zip(targets, notes, strict=True):
        # order events go by the person's channels (Zalo → SMS → e-mail), the rest by e-mail as before
        if not for_notification(user, order, kind, note.id, note.detail, actor):
            _queue_mail(user, order, kind, note.detail)
    return notes


def text_for(note: Notification) -> str:
    """The notification's sentence in the current language."""
    return _sentence(note.kind, note.order.number if note.order else "", note.detail or "")


def _sentence(kind: str, number: str, detail: str = "") -> str:
    """What happened to order `number`, in the current language: the in-app line and the e-mail's body."""
    from marketplace.orders.states import LABELS

    if kind.startswith("relief_"):
        from marketplace.relief.notices import sentence

        return sentence(kind, number, detail)
    if kind == "sign_in_sheet":
        return _(
            "A postal clerk printed a new sign-in sheet for your account: your old password no longer works. "
            "If you did not ask for it, call your post office."
        )
    if kind == "bank_account_changed":
        return _(
            "The bank account your money is paid into was changed. If you did not change it, call your post office."
        )
    if kind == "refund_pending":
        return _("Order %(number)s will not be delivered: the post office will transfer your money back to the bank "
                 "account you give under My bank account.", number=number)
    if kind == "new_order":
        return _("New order %(number)s: please confirm it.", number=number)
    if kind == "placed":
        return _("Your order %(number)s has been placed.", number=number)
    if kind == "paid":
        return _("Order %(number)s has been paid.", number=number)
    if kind == "review_answered":
        return _("The household answered your review (order %(number)s).", number=number)
    if kind == "household_reminded":
        return _("Order %(number)s: the household has not confirmed yet; we reminded them.", number=number)
    if kind == "escalated":
        return _("Order %(number)s: the household has not answered yet; the post office will call them today.",
                 number=number)
    if kind == "confirm_reminder":
        return _("Order %(number)s is still waiting for you: confirm or reject it, or it will be cancelled.",
                 number=number)
    if kind.startswith("parcel_"):
        from marketplace.postal.tracking import DESCRIPTIONS

        description = DESCRIPTIONS.get(kind.removeprefix("parcel_"))
        return _("Order %(number)s: %(status)s", number=number, status=description or kind)
    try:
        label = LABELS[OrderStatus(kind)]
    except ValueError:
        return kind
    return _("Order %(number)s: %(status)s", number=number, status=label)


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def recent(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(limit)
        )
    )


def mark_all_read(user: User) -> None:
    """Mark every unread notification of `user` as read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# -- e-mail, sent only once the transaction has committed ------------------------------------------------------


def _queue_mail(user: User, order: Order | None, kind: str, detail: str = "") -> None:
    if not user.email:
        return
    outbox = db.session.info.setdefault("outbox", [])
    outbox.append((user.email, user.locale or "vi", order.id if order else None, kind, detail))


def _send_outbox(session) -> None:
    outbox = session.info.pop("outbox", None)
    if not outbox:
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:
        return
    from marketplace.jobs.queue import submit_now

    for address, locale, order_id, kind, detail in outbox:
        with force_locale(locale):
            if order_id is None:
                subject, body = _("Postal Farm Market: your account"), _sentence(kind, "", detail)
            else:
                number = f"DH{order_id:06d}"  # Order.number, without loading the order after its commit
                subject = _("Postal Farm Market: order %(number)s", number=number)
                body = _sentence(kind, number, detail)
        if app.config.get("MAIL_SERVER"):  # leaves the request: a background job, retried when SMTP fails
            submit_now("notifications.send_mail", address, str(subject), str(body))
        else:
            log.info("mail to %s: %s — %s", address, subject, body)


def deliver_mail(app, address: str, subject: str, body: str) -> None:
    """Send one e-mail through MAIL_SERVER (`host:port`), or log it when none is set (development). Raises OSError or
    SMTPException when the server refuses it (the job is retried)."""
    server = app.config.get("MAIL_SERVER")
    if not server:
        log.info("mail to %s: %s — %s", address, subject, body)
        return
    message = EmailMessage()
    message["From"] = app.config.get("MAIL_FROM")
    message["To"] = address
    message["Subject"] = subject
    message.set_content(body)
    host, _sep, port = server.partition(":")
    with smtplib.SMTP(host, int(port or 25), timeout=10) as smtp:
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    _send_outbox(session)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop("outbox", None)


def send_mail(address: str, subject: str, body: str) -> None:
    """One e-mail, out of the request: a background job when MAIL_SERVER is set (so a request that sends one takes
    no longer than one that does not), otherwise the log. Call it after the commit."""
    from marketplace.jobs.queue import submit_now

    if current_app.config.get("MAIL_SERVER"):
        submit_now("notifications.send_mail", address, str(subject), str(body))
    else:
        log.info("mail to %s: %s — %s", address, subject, body)
