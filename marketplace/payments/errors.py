from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class PaymentError(DomainError):
    """The payment provider refused or could not be reached; the message is shown to the user."""

    message = _l("The card payment could not be processed. Please try again or choose cash on delivery.")


class CardNotConfigured(PaymentError):
    message = _l("Card payment is not available right now. Please choose cash on delivery.")


class InvalidSignature(PaymentError):
    message = _l("Invalid webhook signature.")


class InvalidEvent(PaymentError):
    """A correctly signed webhook whose body is not a Stripe event object."""

    message = _l("Invalid webhook event.")
