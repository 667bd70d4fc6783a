"""Role checks for views."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from marketplace.accounts.models import Role


def role_required(*roles: Role):
    """Signed-in users with one of `roles` (admins pass every check); others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and current_user.role is not Role.ADMIN:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
