"""Background tasks of the payments feature."""

from __future__ import annotations

from marketplace.jobs.queue import task


@task("payments.expire_unpaid")
def expire_unpaid() -> dict:
    """Cancel checkouts paid in advance still unpaid past their hold time and give their stock back, one checkout per
    transaction; transfers the statement service lists are caught up first (a webhook may have been missed)."""
    from marketplace.extensions import db
    from marketplace.payments.services import catch_up_transfers, expire_checkout, unpaid_past_deadline

    caught = catch_up_transfers()
    db.session.commit()
    count = 0
    for checkout_id in unpaid_past_deadline():
        count += int(expire_checkout(checkout_id))
        db.session.commit()
    return {"expired": count, "caught_up": caught}
