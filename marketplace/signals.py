"""Signals that let one feature react to another without importing its views (blinker)."""

from blinker import Namespace

_signals = Namespace()

#: sent with the user right after sign-in (the cart merges the guest cart on it)
user_signed_in = _signals.signal("user-signed-in")
