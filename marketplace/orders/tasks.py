"""Background tasks of the orders feature."""

from __future__ import annotations

import logging

from marketplace.jobs.queue import task

log = logging.getLogger(__name__)


@task("orders.remind_unconfirmed")
def remind_unconfirmed() -> dict:
    """The hourly sweep: remind households of orders left unconfirmed, cancel those left too long (idempotent)."""
    from marketplace.orders.reminders import sweep

    done = sweep()
    log.info("reminded %d, cancelled %d, refund failed %d", len(done.reminded), len(done.cancelled), len(done.failed))
    return {"reminded": len(done.reminded), "cancelled": len(done.cancelled), "failed": len(done.failed)}
