from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class OrderError(DomainError):
    """An order operation refused; the message is shown to the user."""

    message = _l("This cannot be done with this order.")


class EmptyCart(OrderError):
    message = _l("Your cart is empty.")


class OutOfStock(OrderError):
    """A listing could not supply the quantity: the whole checkout was rolled back."""

    message = _l(
        "Sorry, “%(title)s” has just sold out (or has fewer units left than you asked for). Nothing was charged."
    )

    def __init__(self, listing_id: int, title: str):
        self.listing_id = listing_id
        super().__init__(title=title)


class CartChanged(OrderError):
    """Prices or availability changed since the buyer added the lines: they must look again."""

    message = _l("Some items in your cart changed since you added them. Please check them and confirm again.")

    def __init__(self, rows):
        self.rows = rows
        super().__init__()


class TotalChanged(OrderError):
    """The grand total with shipping is not the one the buyer was shown (an address changed the shipping, a cart line
    changed): nothing is placed; the buyer sees the new total and confirms again."""

    message = _l("Your order is not placed yet: the total with shipping is %(total)s. Check it and press “Place "
                 "order” again.")

    def __init__(self, total: int):
        self.total = total
        super().__init__(total=_Amount(total))


class _Amount:
    """An amount in đồng written the way the reader's page writes numbers, when the message is shown."""

    def __init__(self, amount: int):
        self.amount = amount

    def __str__(self) -> str:
        from marketplace.web import vnd

        return vnd(self.amount)


class IllegalTransition(OrderError):
    message = _l("An order that is “%(current)s” cannot become “%(target)s”.")


class NotYourOrder(OrderError):
    message = _l("You cannot change this order.")


class AwaitingPayment(OrderError):
    message = _l("This order waits for its payment; it cannot be confirmed or cancelled until then.")


class DeliveryUnavailable(OrderError):
    message = _l("We cannot deliver to this address yet.")



class AlreadyPlaced(OrderError):
    """This checkout form was already submitted: its orders exist (the view shows them instead of placing more)."""

    message = _l("Your order was already placed.")

    def __init__(self, checkout_id: int):
        self.checkout_id = checkout_id
        super().__init__()
