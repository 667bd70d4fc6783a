"""Signals that let one feature react to another without importing its views (blinker)."""

from blinker import Namespace

_signals = Namespace()

#: sent with the user right after sign-in (the cart merges the guest cart on it)
user_signed_in = _signals.signal("user-signed-in")

#: sent with the order when its household marks it ready for hand-over (the postal feature creates the parcel)
order_ready = _signals.signal("order-ready")
#: sent with the order when it is cancelled or rejected (the postal feature cancels a parcel not yet handed in)
order_withdrawn = _signals.signal("order-withdrawn")
#: sent after a tracking event is stored for a parcel (sender=parcel, event=TrackingEvent, applied=bool: whether it
#: moved the parcel's status; a late, older event is stored but not applied). Orders advance and notifications go
#: out from here.
parcel_event_recorded = _signals.signal("parcel-event-recorded")

#: sent with the household's user when a clerk prints a new temporary password for it (clerk=, point=): the household
#: is told, so that a sheet printed without its knowledge does not go unnoticed
sign_in_sheet_issued = _signals.signal("sign-in-sheet-issued")
