"""Background tasks of the payments feature."""

from __future__ import annotations

from marketplace.jobs.queue import task


@task("payments.expire_unpaid")
def expire_unpaid() -> int:
    """Cancel checkouts unpaid past their deadline and give their stock back, one checkout per transaction."""
    from marketplace.extensions import db
    from marketplace.payments.services import expire_checkout, unpaid_past_deadline

    count = 0
    for checkout_id in unpaid_past_deadline():
        count += int(expire_checkout(checkout_id))
        db.session.commit()
    return count
