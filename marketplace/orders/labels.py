"""Interface labels for payment statuses, buttons and ledger kinds."""

from flask_babel import lazy_gettext as _l

PAYMENT_LABELS = {
    "unpaid": _l("Awaiting payment"),
    "paid": _l("Paid in advance"),
    "failed": _l("Payment failed"),
    "expired": _l("Payment expired"),
    "refunded": _l("Refunded"),
    "refund_pending": _l("Refund to be transferred"),
    "cod_pending": _l("Cash on delivery"),
    "cod_collected": _l("Cash collected"),
    "not_required": _l("Nothing to pay"),
}

#: what the button says for a move to this status
MOVE_LABELS = {
    "confirmed": _l("Confirm"),
    "rejected": _l("Reject"),
    "ready_for_handover": _l("Ready for hand-over"),
    "cancelled": _l("Cancel order"),
    "handed_over": _l("Handed over"),
    "in_transit": _l("In transit"),
    "out_for_delivery": _l("Out for delivery"),
    "delivered": _l("Delivered"),
    "delivery_failed": _l("Delivery failed"),
    "returned": _l("Returned"),
}

#: reasons the system gives for a move (stored as keys), in words on the order's timeline
REASON_LABELS = {
    "payment_expired": _l("Not paid in time: the order was cancelled and the items went back on sale"),
    "payment_cancelled": _l("The card payment was cancelled"),
    "payment_intent.payment_failed": _l("The card payment failed"),
    "payment_intent.canceled": _l("The card payment was cancelled"),
}

#: what a move does, said under its button
MOVE_HINTS = {
    "confirmed": _l("You will send it: the buyer is told."),
    "rejected": _l("You cannot supply it: the order ends, the stock comes back and the buyer is told (and refunded "
                   "if paid)."),
    "ready_for_handover": _l("Packed: take it to your post office, which prints the label."),
    "cancelled": _l("You can no longer send it: the order ends, the stock comes back and the buyer is refunded if "
                    "paid."),
}

LEDGER_LABELS = {
    "sale": _l("Sale"),
    "commission": _l("Commission"),
    "shipping": _l("Shipping"),
    "cod_collected": _l("Cash collected"),
    "card_captured": _l("Paid in advance"),
    "refund": _l("Refund"),
    "payout": _l("Payout"),
    "surcharge": _l("Counter weight surcharge"),
}
