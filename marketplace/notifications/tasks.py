"""Background tasks of the notifications feature: e-mail leaves the request."""

from __future__ import annotations

from flask import current_app

from marketplace.jobs.queue import task


@task("notifications.send_mail")
def send_mail(address: str, subject: str, body: str) -> None:
    """Send one e-mail (SMTP when MAIL_SERVER is set, else the log). Raises on an SMTP failure so the job retries."""
    from marketplace.notifications.services import deliver_mail

    deliver_mail(current_app._get_current_object(), address, subject, body)
