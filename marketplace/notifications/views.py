"""The notification list (the header bell links here)."""

from flask import render_template
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.notifications import bp, services


@bp.get("/")
@login_required
def index():
    notes = services.recent(current_user)
    page = render_template("notifications/index.html", notes=notes, text_for=services.text_for)
    services.mark_all_read(current_user)
    db.session.commit()
    return page


@bp.app_context_processor
def _bell():
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"unread_notifications": unread}
