from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError
from marketplace.orders.errors import OrderError


class ReliefError(DomainError):
    """A disaster-mode operation refused; the message is shown to the user."""

    message = _l("This cannot be done now.")


class InvalidEvent(ReliefError):
    pass


class NotAllowed(ReliefError):
    message = _l("Only an administrator can do this.")


class InvalidPointStatus(ReliefError):
    pass


class ActionRefused(ReliefError):
    """One order of a bulk action could not be moved (the others go ahead)."""


class DeliveryRestricted(OrderError):
    """An event stops these goods from going to or from its wards (blocked, or priority goods only)."""

    message = _l("Your order is not placed: %(problems)s")


class InvalidCampaign(ReliefError):
    pass


class BudgetExhausted(ReliefError):
    message = _l("The campaign's delivery budget has run out: %(remaining)s left. Thank you — try a smaller parcel "
                 "or another campaign.")
