"""Throttles on guessing: sign-in, sign-up and password reset (Flask-Limiter; counters in Redis, shared by every
worker and server, see RATELIMIT_STORAGE_URI).

Sign-in counts failed attempts only, twice: per account (SIGN_IN_ACCOUNT_LIMIT: ten wrong passwords lock that account
for a while, from wherever they come) and per address (SIGN_IN_ADDRESS_LIMIT: set well above one account's limit, so
a post-office counter where a clerk helps household after household from one address is not locked out because one
household forgot its password).
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from marketplace.accounts import services
from marketplace.extensions import limiter

#: `g` flag a view sets when the attempt it handled failed (a wrong password, a wrong code)
FAILED = "throttle_failed"


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
