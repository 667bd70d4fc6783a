from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class PaymentError(DomainError):
    """The payment provider refused or could not be reached; the message is shown to the user."""

    message = _l("The card payment could not be processed. Please try again or choose cash on delivery.")


class ProviderUnreachable(PaymentError):
    """The provider did not answer in time (network, timeout, its own outage): nothing is known to have happened."""

    message = _l("The card service did not answer. Nothing was charged; please try again in a moment.")


#: the card network's reasons (Stripe's `code` / `decline_code`), said to the buyer in their language
DECLINE_MESSAGES = {
    "insufficient_funds": _l("The card does not have enough money for this payment. Try another card, or pay cash on "
                             "delivery."),
    "expired_card": _l("This card has expired. Try another card."),
    "incorrect_cvc": _l("The security code (CVC) is not right. Check the 3 digits on the back of the card."),
    "invalid_cvc": _l("The security code (CVC) is not right. Check the 3 digits on the back of the card."),
    "incorrect_number": _l("The card number is not right. Check it and try again."),
    "invalid_number": _l("The card number is not right. Check it and try again."),
    "invalid_expiry_month": _l("The card's expiry date is not right."),
    "invalid_expiry_year": _l("The card's expiry date is not right."),
    "processing_error": _l("The bank could not process the card just now. Try again in a moment."),
    "authentication_required": _l("Your bank asks you to confirm this payment. Try again and follow your bank's step."),
    "payment_intent_authentication_failure": _l("Your bank could not confirm the payment (3-D Secure). Try again, or "
                                                "use another card."),
    "card_declined": _l("The bank declined this card. Try another card, or pay cash on delivery."),
}


def decline_message(*codes: str | None):
    """The buyer's sentence for the first known code, or the general one."""
    for code in codes:
        if code and code in DECLINE_MESSAGES:
            return DECLINE_MESSAGES[code]
    return DECLINE_MESSAGES["card_declined"]


class CardNotConfigured(PaymentError):
    message = _l("Card payment is not available right now. Please choose cash on delivery.")


class InvalidSignature(PaymentError):
    message = _l("Invalid webhook signature.")


class InvalidEvent(PaymentError):
    """A correctly signed webhook whose body is not a Stripe event object."""

    message = _l("Invalid webhook event.")
