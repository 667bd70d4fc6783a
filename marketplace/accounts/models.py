import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, Enum, String, false
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

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for disabled accounts
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
