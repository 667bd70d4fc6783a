"""Where one-time codes go: one small function per channel, the first channel that reaches the person is used.

Today: e-mail. The Zalo (ZNS "authentication" template) and SMS-brandname channels of the messaging work plug in
here: add a `Channel` whose `reaches(user)` checks the phone number and whose `send` calls the provider.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.extensions import db

#: session.info key: codes to send once the transaction that stored them has committed
OUTBOX = "code_outbox"


@dataclass(frozen=True)
class Recipient:
    """What a channel needs to reach a person, read before the commit (nothing is loaded after it)."""

    email: str | None
    phone: str | None
    locale: str

    @classmethod
    def of(cls, user: User) -> Recipient:
        return cls(email=user.email, phone=user.phone, locale=user.locale or "vi")


@dataclass(frozen=True)
class Channel:
    name: str
    reaches: Callable[[Recipient], bool]
    #: send(recipient, code, minutes valid)
    send: Callable[[Recipient, str, int], None]


def _email(user: Recipient, code: str, minutes: int) -> None:
    from marketplace.notifications.services import send_mail

    with force_locale(user.locale):
        subject = _("Postal Farm Market: your code is %(code)s", code=code)
        body = _("Your code to choose a new password is %(code)s. It works for %(minutes)d minutes. If you did not "
                 "ask for it, ignore this message: your password has not changed.", code=code, minutes=minutes)
    send_mail(user.email, subject, body)


CHANNELS: list[Channel] = [Channel("email", lambda user: bool(user.email), _email)]


def channel_for(user: User) -> Channel | None:
    """The first channel that reaches the user, or None."""
    recipient = Recipient.of(user)
    return next((c for c in CHANNELS if c.reaches(recipient)), None)


def queue_code(user: User, channel: Channel, code: str, minutes: int) -> None:
    """Send the code through `channel` once the current transaction commits (nothing is sent on rollback)."""
    db.session.info.setdefault(OUTBOX, []).append((channel, Recipient.of(user), code, minutes))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session) -> None:
    for channel, recipient, code, minutes in session.info.pop(OUTBOX, []):
        channel.send(recipient, code, minutes)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session) -> None:
    session.info.pop(OUTBOX, None)
