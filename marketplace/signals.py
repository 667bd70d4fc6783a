"""Signals that let one feature react to another without importing its views (blinker)."""

from blinker import Namespace

_signals = Namespace()

#: sent with the user right after sign-in (the cart merges the guest cart on it)
user_signed_in = _signals.signal("user-signed-in")

#: sent with the order when its household marks it ready for hand-over (the postal feature creates the parcel)
order_ready = _signals.signal("order-ready")
