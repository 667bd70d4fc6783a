"""One-time codes sent to a phone: sign in, sign up (a number without an account) and choose a new password.

- A code is six random digits, sent by Zalo then SMS through the messaging interface (`_deliver`), kept only as an
  HMAC of purpose, phone and code under the app's secret key, valid OTP_MINUTES for OTP_TRIES wrong tries, and
  used once. There is one row per phone and purpose (`one_time_codes`): a new code replaces the last in one
  upsert, so there is never more than one live code, even when two requests ask at once.
- Asking for a code does the same work whatever the number: a code is sent to any valid mobile number, with or
  without an account (the one who holds the phone learns, after typing the code, whether it had one: then they are
  signed in, or offered a new account). Nobody else learns anything from the answer or its timing.
- Sends are limited per phone and per address (accounts.throttle, Redis counters); wrong codes per phone and per
  address, on top of each code's own tries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from marketplace.accounts.errors import AccountError, InvalidCredentials, InvalidPhone
from marketplace.accounts.models import CodePurpose, OneTimeCode, Role, User
from marketplace.accounts.phone import normalize_phone
from marketplace.extensions import db
from marketplace.timeutil import as_utc, utcnow


class InvalidCode(AccountError):
    pass


class StaffUsePassword(AccountError):
    pass


def code_minutes() -> int:
    return int(current_app.config.get("OTP_MINUTES", 5))


def _digest(purpose: CodePurpose, phone: str, code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"otp:{purpose.value}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def phone_or_error(raw: str) -> str:
    """The E.164 form of a typed mobile number. Raises InvalidPhone."""
    phone = normalize_phone(raw or "")
    if phone is None:
        raise InvalidPhone(_l("Enter a Vietnamese mobile number such as 0912 345 678."))
    return phone


def _deliver(phone: str, code: str, key: str, user: User | None) -> None:
    """The one place a code leaves: the messaging interface queues it (Zalo's authentication template, then SMS) to
    go once the caller's transaction commits, once per key."""
    from marketplace.messaging import send_to_phone

    send_to_phone(phone, "otp", {"code": code}, key=key, user=user)


def _upsert(values: dict):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(OneTimeCode).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=["phone", "purpose"],
        set_={
            "code_hash": stmt.excluded.code_hash, "sends": OneTimeCode.sends + 1,
            "created_at": stmt.excluded.created_at, "expires_at": stmt.excluded.expires_at, "attempts": 0,
            "used_at": None,
        },
    ).returning(OneTimeCode.id, OneTimeCode.sends)


def send_code(phone: str, purpose: CodePurpose) -> None:
    """Send a new code for `purpose` to the mobile number `phone` (as typed), whether or not an account has it; the
    phone's earlier code for that purpose stops working. Sent after the caller commits. Raises InvalidPhone."""
    phone = phone_or_error(phone)
    user = db.session.scalar(select(User).where(User.phone == phone))
    code = f"{secrets.randbelow(10**6):06d}"
    now = utcnow()
    db.session.flush()
    code_id, sends = db.session.execute(_upsert(dict(
        phone=phone, purpose=purpose, code_hash=_digest(purpose, phone, code), sends=1, created_at=now,
        expires_at=now + timedelta(minutes=code_minutes()), attempts=0, used_at=None,
    ))).one()
    _deliver(phone, code, f"otp:{code_id}:{sends}", user if user is not None and user.active else None)


def check_code(phone: str, purpose: CodePurpose, code: str) -> str:
    """Use the phone's live code for `purpose`; returns the phone in E.164. Raises InvalidCode, with one message, for
    a malformed number or code, no code, an expired or used code, too many tries or a wrong code (a wrong code
    counts a try: the caller commits after it too)."""
    refused = InvalidCode(_l("That code is wrong or has expired. Ask for a new one."))
    phone = normalize_phone(phone or "")
    code = (code or "").strip()
    if phone is None or len(code) != 6 or not code.isascii() or not code.isdigit():
        raise refused
    record = db.session.scalar(select(OneTimeCode).where(OneTimeCode.phone == phone, OneTimeCode.purpose == purpose))
    typed = _digest(purpose, phone, code)
    if record is None or record.used_at is not None or as_utc(record.expires_at) <= utcnow():
        raise refused
    tries = int(current_app.config.get("OTP_TRIES", 5))
    stored = record.code_hash
    # the try is counted before the comparison, in SQL: a burst of concurrent guesses gets `tries` in all
    if not _update(record, OneTimeCode.attempts < tries, attempts=OneTimeCode.attempts + 1):
        raise refused
    if not hmac.compare_digest(typed, stored):
        raise refused
    # used once: of two requests with the right code at the same moment, one wins; a code sent meanwhile stays live
    if not _update(record, OneTimeCode.code_hash == stored, used_at=utcnow()):
        raise refused
    return phone


def _update(record: OneTimeCode, *conditions, **values) -> bool:
    stmt = update(OneTimeCode).where(OneTimeCode.id == record.id, OneTimeCode.used_at.is_(None), *conditions)
    changed = db.session.execute(stmt.values(**values).execution_options(synchronize_session=False)).rowcount == 1
    db.session.expire(record)
    return changed


def sign_in_with_code(phone: str, code: str) -> tuple[str, User | None]:
    """Check a sign-in code: (phone, its account) to sign in, or (phone, None) when no account has the number (the
    caller offers a new one). Raises InvalidCode; InvalidCredentials for a closed account; StaffUsePassword for
    clerks and administrators, who sign in with their password only (a code by SMS is not enough for staff)."""
    phone = check_code(phone, CodePurpose.SIGN_IN, code)
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None:
        return phone, None
    if not user.active:
        raise InvalidCredentials(_l("This account is closed. Ask your post office for help."))
    if user.role in (Role.CLERK, Role.ADMIN):
        raise StaffUsePassword(_l("Staff accounts sign in with their password."))
    return phone, user


def register_with_phone(phone: str, name: str, role: Role, password: str | None = None,
                        email: str | None = None) -> User:
    """Create the account of a phone number a code has just proved; the password is optional (without one, the
    person signs in with codes). When an account got the number meanwhile (another tab), that account is returned:
    the code proved the number is its owner's. Raises InvalidPhone, WeakPassword, InvalidCredentials (an e-mail
    that is not valid, or a number whose account is closed or belongs to staff)."""
    from marketplace.accounts.errors import DuplicateAccount
    from marketplace.accounts.services import NewAccount, register

    if role not in (Role.BUYER, Role.HOUSEHOLD):
        raise InvalidCredentials(_l("Only buyers and farm households sign up here."))
    chosen = bool(password)
    # without a password: one nobody knows, so the account has none until its owner chooses one (by a reset code)
    data = NewAccount(name=name, password=password or secrets.token_urlsafe(32), phone=phone, email=email, role=role)
    try:
        user = register(data)
    except DuplicateAccount:
        user = db.session.scalar(select(User).where(User.phone == phone_or_error(phone)))
        if user is None or not user.active or user.role in (Role.CLERK, Role.ADMIN):
            raise InvalidCredentials(_l("This number already has an account: sign in with it.")) from None
        return user
    if not chosen:
        user.password_chosen_at = None
        db.session.flush()
    return user


def reset_with_code(phone: str, code: str, new_password: str) -> User | None:
    """Set a new password with the phone's reset code and end every session of the account; flushes. Returns None
    when no account has the number (the code proved it: the caller offers a new account). Raises InvalidCode,
    WeakPassword, InvalidCredentials (a closed account)."""
    from marketplace.accounts.services import _check_password, set_password

    _check_password(new_password)
    phone = check_code(phone, CodePurpose.RESET, code)
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None:
        return None
    if not user.active:
        raise InvalidCredentials(_l("This account is closed. Ask your post office for help."))
    set_password(user, new_password)
    return user
