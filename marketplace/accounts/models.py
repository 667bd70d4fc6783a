import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class Role(enum.Enum):
    BUYER = "buyer"
    HOUSEHOLD = "household"
    CLERK = "clerk"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="phone_or_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: E.164 (`+84912345678`); people type `0912345678`
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    #: lower-cased
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16), default=Role.BUYER, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: signed in with a temporary password someone else saw (a clerk printed it): every page asks for a new one first
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: when the user last chose their own password (empty: only ever had one a clerk or the system made)
    password_chosen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: preferred interface language, remembered across devices
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: part of every signed-in session of this user; a new token (sign-out, new password, "sign out everywhere")
    #: ends them all at once, including copies of the session cookie
    session_token: Mapped[str] = mapped_column(String(43), default=lambda: new_session_token())

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for disabled accounts
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id: what the session stores, checked against the row on every request."""
        return f"{self.id}:{self.session_token}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class PasswordResetCode(db.Model):
    """A one-time code that lets someone choose a new password for an account: stored as an HMAC of the code, valid
    for a few minutes and a few tries."""

    __tablename__ = "password_reset_codes"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: hex HMAC-SHA256 of the code under the app's secret key
    code_hash: Mapped[str] = mapped_column(String(64))
    #: how the code was sent: "email" (by the messaging feature, kind `reset_code`)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: wrong codes typed against this one
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CodePurpose(enum.Enum):
    """What a one-time code sent to a phone is for."""

    #: sign in; for a number without an account, sign up (the code proves the number first)
    SIGN_IN = "sign_in"
    #: choose a new password
    RESET = "reset"


class OneTimeCode(db.Model):
    """The live one-time code of one phone number for one purpose (accounts.otp). One row per phone and purpose:
    a new code replaces the last, so there is never more than one live code. Kept as an HMAC, never in clear."""

    __tablename__ = "one_time_codes"
    __table_args__ = (
        UniqueConstraint("phone", "purpose"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("sends >= 1", name="sends_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: E.164, whether or not an account has it
    phone: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[CodePurpose] = mapped_column(Enum(CodePurpose, native_enum=False, length=16))
    #: hex HMAC-SHA256 of purpose, phone and code under the app's secret key
    code_hash: Mapped[str] = mapped_column(String(64))
    #: codes sent for this phone and purpose so far (part of each message's idempotency key)
    sends: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: when the live code was sent
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: wrong codes typed against the live code
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
