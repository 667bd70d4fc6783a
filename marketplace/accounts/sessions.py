"""Signed-in sessions that really end.

The session cookie carries `<user id>:<session token>` (Flask-Login's alternative id, `User.get_id`). Every request
loads the user and compares the token with the row, so giving the user a new token — at sign-out, at a password
change or reset, when a clerk prints a new temporary password, or when an administrator signs the user out
everywhere — ends every session of that user at once, copies of the cookie included.

Sessions also end after a time without requests: SESSION_IDLE_MINUTES for buyers and households (their own phones),
STAFF_SESSION_IDLE_MINUTES for clerks and administrators (shared counter computers).
"""

from __future__ import annotations

import hmac
import time

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from marketplace.accounts import bp
from marketplace.accounts.models import Role, User
from marketplace.extensions import db, login_manager

#: session key: when the signed-in user was last seen (epoch seconds)
SEEN = "_seen"
#: the last-seen time is written at most this often (each write re-sends the cookie)
SEEN_RESOLUTION = 60


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user whose id and current session token the session holds; None (signed out) for anything else."""
    user_part, _sep, token = (user_id or "").partition(":")
    if not user_part.isascii() or not user_part.isdigit() or not token or len(user_part) > 10:
        return None
    user = db.session.get(User, int(user_part))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def mark_signed_in() -> None:
    """Start the inactivity clock of a session that has just signed in."""
    session[SEEN] = int(time.time())


def idle_limit(user: User) -> int:
    """Seconds without a request after which the user's session ends."""
    config = current_app.config
    if user.role in (Role.CLERK, Role.ADMIN):
        return int(config.get("STAFF_SESSION_IDLE_MINUTES", 30)) * 60
    return int(config.get("SESSION_IDLE_MINUTES", 7 * 24 * 60)) * 60


@bp.before_app_request
def _end_idle_sessions():
    """Sign out a session unused for longer than the user's idle limit; otherwise note that it was used."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    seen = session.get(SEEN)
    if not isinstance(seen, int) or now - seen > idle_limit(current_user):
        logout_user()
        session.clear()
        from marketplace.web import wants_json  # web imports this package: import at call time

        message = _("You were signed out after a while without activity. Please sign in again.")
        if wants_json():
            return jsonify(error=message), 401
        flash(message, "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN] = now
    return None
