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


class AllInCart(CartError):
    message = _l("Only %(left)s of “%(title)s” are left, and they are all in your cart already.")


# -- sentences for what the cart did by itself (not errors: the cart goes on) ---------------------------------------


class Capped(CartError):
    message = _l("Only %(left)s of “%(title)s” left — your cart now has %(n)s.")


class Removed(CartError):
    message = _l("“%(title)s” is no longer on sale: removed from your cart.")


class RemovedPaused(CartError):
    message = _l("“%(title)s” is paused by its household for now: removed from your cart.")


class RemovedSoldOut(CartError):
    message = _l("“%(title)s” sold out: removed from your cart.")


class RaisedToMinimum(CartError):
    message = _l("“%(title)s” is now sold from %(n)s per order: your cart has that amount.")


class PriceChanged(CartError):
    message = _l("The price of “%(title)s” changed from %(old)s to %(new)s; the totals below use the new price.")
