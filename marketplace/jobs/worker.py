"""What a worker process runs: `run(name, args, kwargs)` in an app context, one transaction per job."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
_app = None


def _get_app():
    """One app per worker process (built on the first job; RQ's work-horse processes inherit it when forked)."""
    global _app
    if _app is None:
        from marketplace import create_app

        _app = create_app()
    return _app


def run(name: str, args: list, kwargs: dict):
    """Run the registered task `name`; commit on success, roll back and re-raise on failure (RQ retries it)."""
    from marketplace.extensions import db
    from marketplace.jobs.queue import tasks

    app = _get_app()
    with app.app_context():
        fn = tasks()[name]
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def use_app(app) -> None:
    """Run jobs with this app (the `flask jobs worker` command's own, so its configuration is the one used)."""
    global _app
    _app = app
    warm_up(app)


def warm_up(app) -> None:
    """Do once in the worker what every job would otherwise do again in its forked work horse: import the HTTP
    client and the message channels, load the translation catalogues. (bench/messaging.py on PostgreSQL: the order →
    household message time fell from about 0.74 s to 0.38 s at the median.)"""
    import importlib

    from flask_babel import force_locale
    from flask_babel import gettext as _
    from sqlalchemy.orm import configure_mappers

    for module in ("requests", "marketplace.messaging.channels.zalo", "marketplace.messaging.channels.sms",
                   "marketplace.messaging.channels.email", "marketplace.messaging.services",
                   "marketplace.messaging.orders"):
        importlib.import_module(module)
    configure_mappers()  # every model's relationships, resolved once instead of in each job's first query
    with app.app_context():
        for locale in app.config.get("LANGUAGES", ("vi",)):
            with force_locale(locale):
                _("Placed")
