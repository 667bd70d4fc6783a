from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class CartError(DomainError):
    """A cart change that cannot be made; the message is shown to the buyer."""

    message = _l("This change to your cart is not possible.")


class ListingUnavailable(CartError):
    message = _l("“%(title)s” is not on sale at the moment.")


class BelowMinimum(CartError):
    message = _l("“%(title)s” is sold from %(n)s units per order.")


class NotEnoughStock(CartError):
    message = _l("Only %(n)s of “%(title)s” left.")


class BadQuantity(CartError):
    message = _l("Enter a quantity of at least 1.")


class CartFull(CartError):
    message = _l("Your cart is full: place an order or remove something first.")
