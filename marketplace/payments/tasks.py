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


@task("payments.retry_refund")
def retry_refund(order_id: int) -> bool:
    """One card refund the provider did not answer, tried again (raises while the provider is still unreachable, so
    the job's retries and backoff apply)."""
    from marketplace.payments.methods.stripe_card import retry_refund as retry

    return retry(order_id)


@task("payments.retry_refunds")
def retry_refunds() -> int:
    """Every card refund still waiting for the provider, tried again (the sweep behind the per-refund jobs)."""
    from marketplace.extensions import db
    from marketplace.payments.errors import PaymentError
    from marketplace.payments.methods.stripe_card import pending_refunds, retry_refund as retry

    done = 0
    for order_id in pending_refunds():
        try:
            done += int(retry(order_id))
            db.session.commit()
        except PaymentError:
            db.session.rollback()
    return done
