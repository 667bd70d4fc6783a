"""Choosing a new password with a one-time code.

A code is six digits, sent by e-mail through the messaging feature (kind `reset_code`, out of the request), kept
only as an HMAC under the app's secret key, valid RESET_CODE_MINUTES for RESET_CODE_TRIES wrong tries, and used once.
Asking for a code and using one answer the same whether or not the account exists. A mobile number gets its code by
Zalo or SMS instead (accounts.otp: 5 minutes, one live code per number, sent whether or not an account has the
number); a household can also get a new temporary password from a clerk of its service point (the sign-in sheet,
postal.onboarding).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from marketplace.accounts import otp
from marketplace.accounts.errors import AccountError
from marketplace.accounts.models import CodePurpose, PasswordResetCode, User
from marketplace.accounts.phone import normalize_phone
from marketplace.accounts.services import find_by_identifier, set_password
from marketplace.extensions import db
from marketplace.timeutil import as_utc, utcnow


class InvalidResetCode(AccountError):
    pass


def _digest(user_id: int, code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_minutes() -> int:
    return int(current_app.config.get("RESET_CODE_MINUTES", 15))


def request_code(identifier: str) -> str:
    """Send a new code for the account named by `identifier`; earlier codes stop working; flushes. A mobile number
    gets one by Zalo or SMS whether or not an account has it (returns "phone"); an e-mail address only if an active
    account has it and a channel reaches it (returns "email" either way, and the caller answers the same)."""
    if normalize_phone(identifier or ""):
        otp.send_code(identifier, CodePurpose.RESET)
        return "phone"
    _request_by_email(identifier)
    return "email"


def _request_by_email(identifier: str) -> None:
    _digest(0, "000000")  # the same work when there is no account
    user = find_by_identifier(identifier)
    if user is None or not user.active or not user.email:
        return
    now = utcnow()
    db.session.execute(
        update(PasswordResetCode)
        .where(PasswordResetCode.user_id == user.id, PasswordResetCode.used_at.is_(None))
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = code_minutes()
    record = PasswordResetCode(user_id=user.id, code_hash=_digest(user.id, code), channel="email", created_at=now,
                               expires_at=now + timedelta(minutes=minutes))
    db.session.add(record)
    db.session.flush()
    from marketplace.messaging.services import send_to_user

    # sent after the commit by the job worker; the message keeps the code only until it is sent
    send_to_user(user, "reset_code", {"code": code, "minutes": minutes}, key=f"reset:{record.id}", only=("email",))


def reset_with_code(identifier: str, code: str, new_password: str) -> User | None:
    """Set a new password with the latest code sent to the account, and end every session of the user; flushes.
    Raises InvalidResetCode, with one message, for no such account, no code, an expired or used code, too many tries
    or a wrong code (a wrong code counts a try: commit after it too); WeakPassword for a short password. For a
    mobile number whose code is right but which has no account, returns None (the code proved the number: the
    caller offers a new account)."""
    if normalize_phone(identifier or ""):
        try:
            return otp.reset_with_code(identifier, code, new_password)
        except otp.InvalidCode as exc:
            raise InvalidResetCode(str(exc)) from None
    refused = InvalidResetCode(_l("That code is wrong or has expired. Ask for a new one."))
    user = find_by_identifier(identifier)
    record = None
    if user is not None and user.active:
        record = db.session.scalar(
            select(PasswordResetCode)
            .where(PasswordResetCode.user_id == user.id, PasswordResetCode.used_at.is_(None))
            .order_by(PasswordResetCode.id.desc())
            .limit(1)
        )
    typed = _digest(user.id if user is not None else 0, (code or "").strip())
    tries = int(current_app.config.get("RESET_CODE_TRIES", 5))
    if record is None or as_utc(record.expires_at) <= utcnow():
        raise refused
    # each try is counted before the comparison, in SQL: a burst of concurrent guesses gets `tries` in all
    if not _update(record, PasswordResetCode.attempts < tries, attempts=PasswordResetCode.attempts + 1):
        raise refused
    if not hmac.compare_digest(typed, record.code_hash):
        raise refused
    if not _update(record, used_at=utcnow()):  # used by a request at the same moment
        raise refused
    set_password(user, new_password)
    return user


def _update(record: PasswordResetCode, *conditions, **values) -> bool:
    """Change the unused code's row in SQL, if `conditions` hold; True when it was changed."""
    stmt = update(PasswordResetCode).where(
        PasswordResetCode.id == record.id, PasswordResetCode.used_at.is_(None), *conditions
    )
    changed = db.session.execute(stmt.values(**values).execution_options(synchronize_session=False)).rowcount == 1
    db.session.expire(record)
    return changed
