"""E-mail through the existing SMTP sender (MAIL_SERVER); without one it is logged, as notifications do."""

from __future__ import annotations

from flask import current_app

from marketplace.messaging.channels import Outgoing
from marketplace.messaging.errors import TryLater
from marketplace.messaging.texts import render

name = "email"


def reaches(out: Outgoing) -> bool:
    return bool(out.email)


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def describe(out: Outgoing) -> tuple[str, str]:
    rendered = render(out.kind, out.data, out.locale)
    return out.email, f"{rendered.subject}\n\n{rendered.body}"


def send(out: Outgoing) -> str:
    """Send the e-mail; raises TryLater when the SMTP server refuses or cannot be reached."""
    import smtplib

    from marketplace.notifications.services import deliver_mail

    rendered = render(out.kind, out.data, out.locale)
    try:
        deliver_mail(current_app._get_current_object(), out.email, rendered.subject, rendered.body)
    except (OSError, smtplib.SMTPException) as exc:
        raise TryLater(f"smtp: {exc.__class__.__name__}") from exc
    return ""
