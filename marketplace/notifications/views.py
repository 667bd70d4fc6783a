"""The notification list (the header bell links here); reading it changes nothing, a button marks all read."""

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.notifications import bp, services
from marketplace.notifications.forms import MarkReadForm


@bp.get("/")
@login_required
def index():
    notes = services.recent(current_user)
    return render_template("notifications/index.html", notes=notes, text_for=services.text_for, form=MarkReadForm(),
                           unread=any(n.read_at is None for n in notes))


@bp.post("/read")
@login_required
def mark_read():
    if MarkReadForm().validate_on_submit():
        services.mark_all_read(current_user)
        db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.app_context_processor
def _bell():
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"unread_notifications": unread}
