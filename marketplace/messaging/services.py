"""The messaging interface: `send_to_phone` and `send_to_user` queue a message (a row with a unique key) that a
background job delivers through the person's channels in order (Zalo → SMS → e-mail → in-app).

Nothing is sent inside the request: the row is written in the caller's transaction and the job is queued when it
commits (inline right after the commit when REDIS_URL is not set). Delivery (`deliver`) claims the row atomically
(`UPDATE … WHERE state = 'queued'`), so of two runs of one job only one talks to a provider; a run that died while
sending leaves the row claimed, and it is claimed again only after MESSAGE_CLAIM_SECONDS, with the same provider
dedupe id (eSMS RequestId, Zalo tracking_id).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, or_, select, text, update

from marketplace.accounts.models import User
from marketplace.accounts.phone import normalize_phone
from marketplace.extensions import db
from marketplace.jobs.queue import enqueue
from marketplace.messaging.channels import Outgoing, registry
from marketplace.messaging.errors import TryLater, Unreachable
from marketplace.messaging.models import Message, MessagePreference, MessageState, OutboxEntry
from marketplace.messaging.texts import ESSENTIAL, KINDS
from marketplace.timeutil import utcnow

log = logging.getLogger(__name__)

ORDER = ("zalo", "sms", "email", "in_app")
PHONE_ONLY = ("zalo", "sms")


def send_to_phone(phone: str, kind: str, data: dict, *, key: str, user: User | None = None) -> None:
    """Queue message `kind` (e.g. "otp" with `{"code": "123456"}`) to a phone number (`0912…` or `+84912…`), by Zalo
    (the kind's approved template; "otp" uses the authentication template) and then SMS. Sent once the caller's
    transaction commits; a second call with the same `key` does nothing. Raises ValueError for a number that is not
    a Vietnamese mobile or an unknown kind."""
    e164 = normalize_phone(phone)
    if e164 is None:
        raise ValueError("not a Vietnamese mobile number")
    plan = [c for c in PHONE_ONLY if user is None or _allowed(_preference(user), c, kind)] or list(PHONE_ONLY)
    _queue(key, kind, data, plan, phone=e164, user=user)


def send_to_user(user: User, kind: str, data: dict, *, key: str, order_id: int | None = None,
                 only: tuple[str, ...] | None = None) -> int | None:
    """Queue message `kind` to `user` through the channels their preferences allow, in the fallback order
    Zalo → SMS → e-mail → in-app; `only` names the channels to use whatever the preferences (a code the person has
    just asked for by e-mail goes by e-mail). Returns the message's id (None when the user asked to stop such
    messages and in-app already holds it). Raises ValueError for an unknown kind."""
    if only is not None:
        return _queue(key, kind, data, [c for c in ORDER if c in only], phone=user.phone, user=user,
                      order_id=order_id)
    preference = _preference(user)
    plan = [c for c in ORDER if _allowed(preference, c, kind)]
    if plan == ["in_app"]:
        return None  # the notification row is all the person wants
    return _queue(key, kind, data, plan, phone=user.phone, user=user, order_id=order_id)


def _preference(user: User) -> MessagePreference:
    return db.session.get(MessagePreference, user.id) or MessagePreference(user_id=user.id, zalo=True, sms=True,
                                                                           email=True, stopped=False)


def _allowed(preference: MessagePreference, channel: str, kind: str) -> bool:
    if channel == "in_app":
        return True
    if preference.stopped and kind not in ESSENTIAL:
        return False
    return bool(getattr(preference, channel))


def _queue(key: str, kind: str, data: dict, plan: list[str], *, phone: str | None, user: User | None,
           order_id: int | None = None) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind}")
    if not key or len(key) > 120:
        raise ValueError("a message needs a key of at most 120 characters")
    values = dict(key=key, kind=kind, data=json.dumps(data, ensure_ascii=False), plan=",".join(plan), phone=phone,
                  email=user.email if user is not None else None,
                  locale=(user.locale if user is not None else None) or "vi",
                  user_id=user.id if user is not None else None, order_id=order_id, step=0,
                  state=MessageState.QUEUED, attempts=0, error="", created_at=utcnow())
    db.session.flush()
    # INSERT … ON CONFLICT DO NOTHING: of two requests with one key (even at once) the first row stands, the other
    # call is a no-op; no savepoint (pysqlite's would commit the caller's transaction)
    message_id = db.session.scalar(_insert_once(tuple(values)), values)
    if message_id is None:
        return db.session.scalar(select(Message.id).where(Message.key == key))
    enqueue("messaging.deliver", message_id, key=f"message-{message_id}")
    return message_id


def _insert_for(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@functools.cache
def _insert_once(columns: tuple[str, ...]):
    """`INSERT … ON CONFLICT (key) DO NOTHING RETURNING id` of these columns, the same text on PostgreSQL and SQLite,
    its parameters typed by the table's columns. Written as text because the dialects' `insert()` with
    `on_conflict_do_nothing()` is not cacheable: it was compiled again for every message (1–2 ms of a checkout)."""
    table = Message.__table__
    return text(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) "
        "ON CONFLICT (key) DO NOTHING RETURNING id"
    ).bindparams(*[bindparam(c, type_=table.c[c].type) for c in columns])


def dedupe_id(message: Message, channel: str) -> str:
    """The id a provider dedupes on: one per message and channel, the same on every try (≤ 40 characters)."""
    digest = hashlib.sha256(f"{message.key}|{channel}".encode()).hexdigest()[:24]
    return f"cns{message.id}-{digest}"[:40]


def claim(message_id: int) -> Message | None:
    """Take the message for sending, atomically: from queued, or from a claim older than MESSAGE_CLAIM_SECONDS (a
    worker died while sending). Commits the claim. None when it is sent, failed, or held by a live run."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config.get("MESSAGE_CLAIM_SECONDS", 120))
    result = db.session.execute(
        update(Message)
        .where(Message.id == message_id,
               or_(Message.state == MessageState.QUEUED,
                   (Message.state == MessageState.SENDING) & (Message.claimed_at < stale)))
        .values(state=MessageState.SENDING, claimed_at=now, attempts=Message.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(Message, message_id, populate_existing=True)


def deliver(message_id: int) -> str:
    """Deliver one queued message through its plan's channels; returns its final state. A channel that cannot reach
    the person passes it on to the next; a provider that fails for now raises TryLater after putting the message
    back in the queue at that channel (the job is retried with backoff; after the last retry the administrator sees
    it among failed jobs and can retry it, or send it again from /admin/messages)."""
    message = claim(message_id)
    if message is None:
        current = db.session.get(Message, message_id)
        return current.state.value if current is not None else "missing"
    channels = registry()
    outbox = current_app.config.get("MESSAGING_OUTBOX", False)
    notes = [message.error] if message.error else []
    for step in range(message.step, len(message.channels)):
        name = message.channels[step]
        channel = channels[name]
        out = _outgoing(message, name)
        if not channel.reaches(out):
            notes.append(f"{name}: nothing to reach")
            continue
        try:
            if not channel.configured():
                if not outbox or name == "in_app":
                    notes.append(f"{name}: not configured")
                    continue
                provider_id = _to_outbox(message, name, channel, out)
            else:
                provider_id = channel.send(out)
        except Unreachable as exc:
            notes.append(f"{name}: {exc}")
            continue
        except TryLater as exc:
            message.step, message.state = step, MessageState.QUEUED
            message.error = "; ".join([*notes, f"{name}: {exc}"])[-500:]
            if message.attempts >= current_app.config.get("MESSAGE_MAX_ATTEMPTS", 8):
                message.state = MessageState.FAILED  # an administrator sends it again from /admin/messages
                db.session.commit()
                log.warning("message %s (%s) given up after %d tries: %s", message.id, message.kind,
                            message.attempts, message.error)
                return message.state.value
            db.session.commit()
            raise
        message.state, message.channel, message.provider_id = MessageState.SENT, name, provider_id[:80] or None
        message.sent_at, message.error = utcnow(), "; ".join(notes)[-500:]
        _forget_secrets(message)
        db.session.commit()
        return message.state.value
    message.state, message.error = MessageState.FAILED, ("; ".join(notes) or "no channel")[-500:]
    _forget_secrets(message)
    db.session.commit()
    log.warning("message %s (%s) reached nobody: %s", message.id, message.kind, message.error)
    return message.state.value


#: values that must not outlive the sending (a one-time code is stored only as an HMAC by its owner)
SECRET_FIELDS = frozenset({"code"})


def _forget_secrets(message: Message) -> None:
    """A message that is done (sent, or failed for good) keeps no secret of its data in the database."""
    data = json.loads(message.data or "{}")
    if SECRET_FIELDS & data.keys():
        message.data = json.dumps({k: ("" if k in SECRET_FIELDS else v) for k, v in data.items()}, ensure_ascii=False)


def _outgoing(message: Message, channel: str) -> Outgoing:
    return Outgoing(message_id=message.id, kind=message.kind, data=json.loads(message.data or "{}"),
                    phone=message.phone, email=message.email, locale=message.locale, user_id=message.user_id,
                    order_id=message.order_id, dedupe_id=dedupe_id(message, channel))


def _to_outbox(message: Message, name: str, channel, out: Outgoing) -> str:
    """The development channel: record what `channel` would have sent."""
    recipient, body = channel.describe(out)
    entry = OutboxEntry(message_id=message.id, channel=name, recipient=recipient or "", body=body, created_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    return f"outbox-{entry.id}"


def send_again(message_id: int) -> bool:
    """An administrator sends a failed message again (from its first channel, tries counted afresh). False when it
    is not failed."""
    result = db.session.execute(
        update(Message).where(Message.id == message_id, Message.state == MessageState.FAILED)
        .values(state=MessageState.QUEUED, step=0, attempts=0).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    enqueue("messaging.deliver", message_id, key=f"message-{message_id}-again-{utcnow().timestamp():.0f}")
    return True


def requeue_stuck(now=None) -> int:
    """Queue again the messages whose job was lost: still queued after MESSAGE_REQUEUE_MINUTES (Redis lost it, the
    worker was down), or claimed by a run that died (its claim expired). Idempotent (the claim decides)."""
    now = now or utcnow()
    stale_claim = now - timedelta(seconds=current_app.config.get("MESSAGE_CLAIM_SECONDS", 120))
    old = now - timedelta(minutes=current_app.config.get("MESSAGE_REQUEUE_MINUTES", 5))
    ids = list(db.session.scalars(
        select(Message.id).where(or_((Message.state == MessageState.QUEUED) & (Message.created_at < old),
                                     (Message.state == MessageState.SENDING) & (Message.claimed_at < stale_claim)))
        .order_by(Message.id).limit(500)
    ))
    for message_id in ids:
        enqueue("messaging.deliver", message_id, key=f"message-{message_id}-sweep-{now.timestamp():.0f}")
    return len(ids)
