"""Background tasks of the messaging feature."""

from __future__ import annotations

from marketplace.jobs.queue import task


@task("messaging.deliver")
def deliver(message_id: int) -> str:
    """Deliver one message (idempotent: the row is claimed atomically; a sent message is not sent again)."""
    from marketplace.messaging.services import deliver as run

    return run(int(message_id))


@task("messaging.requeue_stuck")
def requeue_stuck() -> int:
    """Every few minutes: queue again messages whose job was lost or whose sender died."""
    from marketplace.messaging.services import requeue_stuck as run

    return run()
