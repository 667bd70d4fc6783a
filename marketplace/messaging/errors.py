"""Typed failures of the messaging feature."""


class MessagingError(Exception):
    pass


class Unreachable(MessagingError):
    """This channel cannot carry this message to this person (try the next channel)."""


class TryLater(MessagingError):
    """The provider failed in a way that may pass: retry the same channel later."""


class BadLink(MessagingError):
    """A one-tap link that is forged, unknown, expired or already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        #: `invalid`, `expired`, `used`
        self.reason = reason
