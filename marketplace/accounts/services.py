"""Account operations. Each takes its inputs explicitly, flushes, and raises an `AccountError` on refusal."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from marketplace.accounts.errors import DuplicateAccount, InvalidCredentials, InvalidPhone, WeakPassword
from marketplace.accounts.models import Role, User, new_session_token
from marketplace.accounts.passwords import dummy_hash, hash_password, needs_rehash, verify_password
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
    """Create an account. Raises InvalidPhone or WeakPassword (the input itself is wrong), or DuplicateAccount — which
    the caller must not tell apart from success: the password is hashed either way, so both cost the same time."""
    phone = None
    if data.phone:
        phone = normalize_phone(data.phone)
        if phone is None:
            raise InvalidPhone(_l("Enter a Vietnamese mobile number such as 0912 345 678."))
    email = _clean_email(data.email)
    if not phone and not email:
        raise InvalidPhone(_l("Enter a mobile number or an e-mail address."))
    _check_password(data.password)
    password_hash = hash_password(data.password)
    taken = [User.phone == phone] if phone else []
    taken += [User.email == email] if email else []
    if db.session.scalar(select(User.id).where(or_(*taken)).limit(1)) is not None:
        raise DuplicateAccount(_l("An account with this phone number or e-mail already exists."))
    user = User(
        name=data.name.strip(),
        phone=phone,
        email=email,
        role=data.role,
        password_hash=password_hash,
        password_chosen_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def normalize_identifier(identifier: str) -> str | None:
    """The stored form of a phone number (E.164) or e-mail (lower case); None for something that is neither."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if looks_like_phone(identifier):
        return normalize_phone(identifier)
    return identifier.lower()[:254]


def identifier_key(identifier: str) -> str:
    """A stable, non-reversible key for one account name (throttling counters); "" for an empty identifier."""
    normalized = normalize_identifier(identifier) or (identifier or "").strip().lower()
    return hashlib.sha256(normalized.encode()).hexdigest()[:32] if normalized else ""


def find_by_identifier(identifier: str) -> User | None:
    normalized = normalize_identifier(identifier)
    if normalized is None:
        return None
    column = User.email if "@" in normalized else User.phone
    return db.session.scalar(select(User).where(column == normalized))


def authenticate(identifier: str, password: str) -> User:
    """The active user with this phone/e-mail and password. Raises InvalidCredentials, with one message and the same
    work (an Argon2 verification) whether the account exists, is disabled or the password is wrong."""
    user = find_by_identifier(identifier)
    matches = verify_password(user.password_hash if user is not None else dummy_hash(), password)
    if user is None or not matches or not user.active:
        raise InvalidCredentials(_l("Wrong phone number, e-mail or password."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def end_all_sessions(user: User) -> None:
    """A new session token for the user: every session signed in before, on any device, is signed out; flushes."""
    user.session_token = new_session_token()
    db.session.flush()


def set_password(user: User, new: str) -> None:
    """Store a new password chosen by the user; ends every session (the caller signs the current one in again).
    Raises WeakPassword."""
    _check_password(new)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_chosen_at = utcnow()
    end_all_sessions(user)


def change_password(user: User, current: str, new: str) -> None:
    """Raises InvalidCredentials when `current` is wrong, WeakPassword when `new` is too short or unchanged. Ends every
    other session of the user."""
    if not verify_password(user.password_hash, current):
        raise InvalidCredentials(_l("The current password is wrong."))
    _check_password(new)
    if verify_password(user.password_hash, new):
        raise WeakPassword(_l("Choose a password different from the current one."))
    set_password(user, new)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def sign_out_everywhere(admin: User, user: User) -> None:
    """An administrator ends every session of `user` (a lost phone, a shared computer). Raises InvalidCredentials
    when `admin` is not an administrator."""
    if admin.role is not Role.ADMIN:
        raise InvalidCredentials(_l("Only an administrator can do that."))
    end_all_sessions(user)


def find_accounts(text: str, limit: int = 20) -> list[User]:
    """Accounts whose phone number, e-mail or name matches what an administrator typed."""
    text = (text or "").strip()
    if not text:
        return []
    normalized = normalize_identifier(text)
    pattern = f"%{text.lower().replace('%', '').replace('_', '')}%"
    conditions = [User.email.like(pattern)]
    if normalized:
        conditions += [User.phone == normalized, User.email == normalized]
    conditions.append(db.func.lower(User.name).like(pattern))
    return list(db.session.scalars(select(User).where(or_(*conditions)).order_by(User.id).limit(limit)))
