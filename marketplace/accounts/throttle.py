"""Throttles on guessing: sign-in, sign-up and password reset (Flask-Limiter; counters in Redis, shared by every
worker and server, see RATELIMIT_STORAGE_URI).

Sign-in counts failed attempts only, twice: per account (SIGN_IN_ACCOUNT_LIMIT: ten wrong passwords lock that account
for a while, from wherever they come) and per address (SIGN_IN_ADDRESS_LIMIT: set well above one account's limit, so
a post-office counter where a clerk helps household after household from one address is not locked out because one
household forgot its password).
"""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from marketplace.accounts import services
from marketplace.extensions import limiter

#: `g` flag a view sets when the attempt it handled failed (a wrong password, a wrong code)
FAILED = "throttle_failed"
#: `g` flag a view sets when it sent a one-time code to a phone
SENT = "throttle_code_sent"
#: session key holding the phone number a code was sent to (accounts.otp_views)
CODE_PHONE = "code_phone"


def record_failure() -> None:
    setattr(g, FAILED, True)


def _failed(_response) -> bool:
    return bool(g.get(FAILED))


def _account_key() -> str:
    """The account the form names (normalised, hashed); empty means "no account named" and skips the limit."""
    return services.identifier_key(request.form.get("identifier", ""))


def _setting(name: str):
    return lambda: current_app.config[name]


def sign_in_limits(view):
    """Failed sign-ins per account and per address."""
    view = limiter.limit(
        _setting("SIGN_IN_ACCOUNT_LIMIT"), key_func=_account_key, methods=["POST"], deduct_when=_failed,
        scope="sign-in-account",
        error_message=lambda: str(_l("Too many wrong passwords for this account: it is locked for a while to protect it.")),
    )(view)
    return limiter.limit(
        _setting("SIGN_IN_ADDRESS_LIMIT"), key_func=get_remote_address, methods=["POST"], deduct_when=_failed,
        scope="sign-in-address",
        error_message=lambda: str(_l("Too many failed sign-ins from this connection.")),
    )(view)


def sign_up_limits(view):
    return limiter.limit(_setting("SIGN_UP_LIMIT"), methods=["POST"], scope="sign-up")(view)


def reset_request_limits(view):
    """Codes asked for, per account and per address (each one may send an e-mail)."""
    view = limiter.limit(_setting("RESET_ACCOUNT_LIMIT"), key_func=_account_key, methods=["POST"],
                         scope="reset-account")(view)
    return limiter.limit(_setting("RESET_ADDRESS_LIMIT"), methods=["POST"], scope="reset-address")(view)


def reset_code_limits(view):
    """Wrong codes typed, per account and per address (each code also dies after a few wrong tries)."""
    view = limiter.limit(_setting("SIGN_IN_ACCOUNT_LIMIT"), key_func=_account_key, methods=["POST"],
                         deduct_when=_failed, scope="reset-code-account")(view)
    return limiter.limit(_setting("SIGN_IN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=_failed,
                         scope="reset-code-address")(view)


def record_sent() -> None:
    setattr(g, SENT, True)


def _sent(_response) -> bool:
    return bool(g.get(SENT))


def _phone_key() -> str:
    """The mobile number the form names (hashed); empty (no limit) for anything else, e.g. an e-mail address."""
    from marketplace.accounts.phone import normalize_phone

    phone = normalize_phone(request.form.get("identifier", ""))
    return services.identifier_key(phone) if phone else ""


def _address_if_phone() -> str:
    """The client's address when the form names a mobile number (an e-mail reset sends no code to a phone)."""
    return get_remote_address() if _phone_key() else ""


def _session_phone_key() -> str:
    phone = session.get(CODE_PHONE)
    return services.identifier_key(phone) if isinstance(phone, str) and phone else ""


def code_send_limits(view):
    """Codes sent to phones, counted per phone (every purpose together: sign-in and reset share the counter) and
    per address; only requests that sent a code count."""
    view = limiter.shared_limit(
        _setting("OTP_PHONE_LIMIT"), scope="otp-phone", key_func=_phone_key, methods=["POST"], deduct_when=_sent,
        error_message=lambda: str(_l("Too many codes were sent to this number.")),
    )(view)
    return limiter.shared_limit(
        _setting("OTP_ADDRESS_LIMIT"), scope="otp-address", key_func=_address_if_phone, methods=["POST"],
        deduct_when=_sent, error_message=lambda: str(_l("Too many codes were asked for from this connection.")),
    )(view)


def code_check_limits(view):
    """Wrong sign-in codes typed, per phone and per address (each code also dies after a few wrong tries)."""
    view = limiter.limit(_setting("SIGN_IN_ACCOUNT_LIMIT"), key_func=_session_phone_key, methods=["POST"],
                         deduct_when=_failed, scope="code-phone")(view)
    return limiter.limit(_setting("SIGN_IN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=_failed,
                         scope="code-address")(view)
