from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class ReviewError(DomainError):
    """A review operation refused; the message is shown to the user (translated when shown)."""

    message = _l("This review cannot be changed.")


class NotReviewable(ReviewError):
    """The line is not the actor's, or its order has not been delivered."""

    message = _l("You can review a product only after the order has been delivered to you.")


class EditWindowClosed(ReviewError):
    message = _l("A review can be changed only within 30 days of writing it.")


class InvalidReview(ReviewError):
    message = _l("Choose from 1 to 5 stars; the text may be at most 2000 characters.")


class TooManyPhotos(ReviewError):
    message = _l("A review has at most 3 photos.")


class NotYourReview(ReviewError):
    message = _l("This review is not about your products.")


class InvalidAnswer(ReviewError):
    message = _l("Write an answer of at most 2000 characters.")
