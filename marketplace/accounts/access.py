"""Role checks for views."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from marketplace.accounts.models import Role  # noqa: F401 - re-exported for views


def role_required(*roles: Role):
    """Signed-in users with one of `roles`; others get 403 (anonymous visitors are sent to sign in)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
