"""A person's channel choices: which of Zalo, SMS and e-mail may carry their messages, and "stop"."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.messaging.models import MessagePreference
from marketplace.timeutil import utcnow


def get(user: User) -> MessagePreference:
    """The user's preferences (every channel on when never set; not added to the session)."""
    return db.session.get(MessagePreference, user.id) or MessagePreference(user_id=user.id, zalo=True, sms=True,
                                                                           email=True, stopped=False)


def save(user: User, *, zalo: bool, sms: bool, email: bool, stopped: bool) -> MessagePreference:
    """Store the user's choices; flushes."""
    row = db.session.get(MessagePreference, user.id)
    if row is None:
        row = MessagePreference(user_id=user.id)
        db.session.add(row)
    row.zalo, row.sms, row.email, row.stopped, row.updated_at = bool(zalo), bool(sms), bool(email), bool(stopped), utcnow()
    db.session.flush()
    return row
