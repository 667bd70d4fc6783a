class PostalError(Exception):
    """Base of the postal feature's domain errors; the message is shown to the user."""


class InvalidAddressCode(PostalError):
    """The code is malformed or fails its check character (a typing mistake)."""


class UnknownAddressCode(PostalError):
    """The code is well formed but no address carries it."""


class InvalidAddress(PostalError):
    """Coordinates outside Vietnam, an unknown ward, an empty address line."""


class NotAllowed(PostalError):
    """The actor may not do this (wrong role, another service point)."""


class NoServicePoint(PostalError):
    """No service point can serve this ward or province."""


class InvalidTrackingNumber(PostalError):
    pass


class IllegalTransition(PostalError):
    """The event does not follow from the parcel's current status."""


class InvalidParcel(PostalError):
    pass
