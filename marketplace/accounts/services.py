"""Account operations. Each takes its inputs explicitly, flushes, and raises an `AccountError` on refusal."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.errors import DuplicateAccount, InvalidCredentials, InvalidPhone, WeakPassword
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password, needs_rehash, verify_password
from marketplace.accounts.phone import looks_like_phone, normalize_phone
from marketplace.extensions import db
from marketplace.timeutil import utcnow

MIN_PASSWORD = 8


@dataclass(frozen=True)
class NewAccount:
    name: str
    password: str
    phone: str | None = None
    email: str | None = None
    role: Role = Role.BUYER


def _clean_email(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidCredentials(_l("That e-mail address is not valid.")) from exc


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD))


def register(data: NewAccount) -> User:
    """Create an account. Raises InvalidPhone, DuplicateAccount or WeakPassword."""
    phone = None
    if data.phone:
        phone = normalize_phone(data.phone)
        if phone is None:
            raise InvalidPhone(_l("Enter a Vietnamese mobile number such as 0912 345 678."))
    email = _clean_email(data.email)
    if not phone and not email:
        raise InvalidPhone(_l("Enter a mobile number or an e-mail address."))
    _check_password(data.password)
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)):
        raise DuplicateAccount(_l("An account with this phone number already exists."))
    if email and db.session.scalar(select(User.id).where(User.email == email)):
        raise DuplicateAccount(_l("An account with this e-mail already exists."))
    user = User(
        name=data.name.strip(),
        phone=phone,
        email=email,
        role=data.role,
        password_hash=hash_password(data.password),
        password_chosen_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def find_by_identifier(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if looks_like_phone(identifier):
        phone = normalize_phone(identifier)
        return db.session.scalar(select(User).where(User.phone == phone)) if phone else None
    return db.session.scalar(select(User).where(User.email == identifier.lower()))


def authenticate(identifier: str, password: str) -> User:
    """The active user with this phone/e-mail and password. Raises InvalidCredentials (one message for all cases)."""
    user = find_by_identifier(identifier)
    if user is None or not verify_password(user.password_hash, password) or not user.active:
        raise InvalidCredentials(_l("Wrong phone number, e-mail or password."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Raises InvalidCredentials when `current` is wrong, WeakPassword when `new` is too short."""
    if not verify_password(user.password_hash, current):
        raise InvalidCredentials(_l("The current password is wrong."))
    _check_password(new)
    if verify_password(user.password_hash, new):
        raise WeakPassword(_l("Choose a password different from the current one."))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_chosen_at = utcnow()
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
