"""Payment operations the rest of the app calls: refunds, expiry, and the card operations under their old names.

Each method lives in `payments/methods/`; what they share is in `payments/core.py`.
"""

from __future__ import annotations

from marketplace.payments.core import expire_checkout, refund_order, unpaid_past_deadline  # noqa: F401
from marketplace.payments.methods.stripe_card import (  # noqa: F401
    card_payment_of,
    card_setup_secret,
    confirm_card,
    handle_event,
    mark_failed,
    mark_paid,
    start_card_payment,
)


def catch_up_transfers(days: int = 2) -> int:
    """Read the bank-statement service's list of recent transactions and record those whose webhook never came
    (each line once, one transaction per line). Returns how many were new; 0 when the list API is not configured or
    cannot be read (logged: the next run tries again)."""
    import logging

    from flask import current_app
    from sqlalchemy.exc import IntegrityError

    from marketplace.extensions import db
    from marketplace.payments import statements, transfers
    from marketplace.payments.errors import PaymentError

    if not (current_app.config.get("STATEMENT_API_URL") and current_app.config.get("STATEMENT_API_TOKEN")):
        return 0
    try:
        lines = statements.list_recent(current_app.config, days=days)
    except PaymentError:
        logging.getLogger(__name__).warning("bank-statement list could not be read", exc_info=True)
        return 0
    new = 0
    for line in lines:
        try:
            new += int(transfers.receive(line)[1])
            db.session.commit()
        except IntegrityError:  # its webhook is being recorded right now
            db.session.rollback()
    return new
