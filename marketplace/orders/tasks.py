"""Background tasks of the orders feature."""

from __future__ import annotations

import logging

from marketplace.jobs.queue import task

log = logging.getLogger(__name__)


@task("orders.remind_unconfirmed")
def remind_unconfirmed(hours_later: int = 0) -> dict:
    """The hourly sweep: take orders left unconfirmed up the escalation ladder (idempotent). `hours_later` acts as if
    that much time had passed (development)."""
    from datetime import timedelta

    from marketplace.orders.reminders import sweep
    from marketplace.timeutil import utcnow

    done = sweep(utcnow() + timedelta(hours=hours_later))
    log.info("reminded %d, escalated %d, cancelled %d, refund failed %d", len(done.reminded), len(done.escalated),
             len(done.cancelled), len(done.failed))
    return {"reminded": len(done.reminded), "escalated": len(done.escalated), "cancelled": len(done.cancelled),
            "failed": len(done.failed)}
