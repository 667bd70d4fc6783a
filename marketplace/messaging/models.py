"""Tables of the messaging feature: one row per message to send (the idempotency key, its state and the provider's
id), the development outbox, per-user channel preferences, the providers' persisted tokens and one-tap links."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, Integer, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class MessageState(enum.Enum):
    QUEUED = "queued"
    #: claimed by one worker, which is talking to a provider now (or died doing so: see `claimed_at`)
    SENDING = "sending"
    SENT = "sent"
    #: no channel reached the person, or every retry failed; an administrator may send it again
    FAILED = "failed"


class Message(db.Model):
    """One message to one person, whatever channel carries it. `key` makes sending idempotent: a second
    `send_to_…` with the same key finds this row, and a job retried after a crash claims it again only when no
    other worker holds it."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the caller's idempotency key (`order:12:new_order`, `otp:<code id>`)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    #: what it says: `otp`, `new_order`, `confirm_reminder`, an order status, … (texts.py)
    kind: Mapped[str] = mapped_column(String(32))
    #: JSON object of the values the texts need (a code, an order number, a link)
    data: Mapped[str] = mapped_column(Text, default="{}")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    #: E.164, copied when the message was made (the number it was meant for)
    phone: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    #: the channels to try, in order, comma-separated (`zalo,sms,email,in_app`)
    plan: Mapped[str] = mapped_column(String(80))
    #: index into `plan` of the channel being tried (a retry resumes there)
    step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[MessageState] = mapped_column(Enum(MessageState, native_enum=False, length=8),
                                                default=MessageState.QUEUED)
    #: the channel that carried it
    channel: Mapped[str | None] = mapped_column(String(16))
    #: the provider's id of what it sent (Zalo msg_id, eSMS SMSID)
    provider_id: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: what went wrong last, and the channels that could not carry it
    error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def channels(self) -> list[str]:
        return [c for c in self.plan.split(",") if c]


class OutboxEntry(db.Model):
    """What a channel would have sent, recorded instead of calling its provider (development: `make run` shows it
    at /admin/messages)."""

    __tablename__ = "message_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    #: phone (84…) or e-mail address
    recipient: Mapped[str] = mapped_column(String(254))
    #: the text as the person would read it (SMS text, e-mail subject and body, the Zalo template's data)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class MessagePreference(db.Model):
    """How a person wants to be told. Missing row: every channel on. Channels are tried Zalo → SMS → e-mail; in-app
    notifications always exist. `stopped`: no Zalo, SMS or e-mail about order updates (replying "stop"); codes and
    a household's new orders still come."""

    __tablename__ = "message_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    zalo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    sms: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    stopped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ProviderToken(db.Model):
    """A provider's current credentials that rotate (the Zalo OA access token and its one-use refresh token)."""

    __tablename__ = "provider_tokens"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class OneTapLink(db.Model):
    """A signed, single-use, expiring link that lets a household act on one order without a password. The token
    sent is `<jti>.<signature>`; only `jti` is kept here."""

    __tablename__ = "one_tap_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    #: `confirm` (confirm or reject a new order) or `ready` (mark it ready for hand-over)
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: set, atomically and once, by the tap that used it
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: what that tap did (`confirmed`, `rejected`, `ready_for_handover`)
    outcome: Mapped[str | None] = mapped_column(String(24))


class Escalation(db.Model):
    """Where an unconfirmed order stands on the escalation ladder: reminded, put on the clerk's call list, and how
    the clerk's call went. One row per order."""

    __tablename__ = "order_escalations"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: put on the serving point's "call these households" list
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: the clerk who called and what came of it (a note; the order's timeline has the move itself)
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    called_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    call_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
