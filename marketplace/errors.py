"""The base of every feature's domain errors."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """An operation refused for a reason the user should read. Subclasses set `message` (a lazy translation, with
    %(name)s placeholders filled from the keyword arguments); it is translated when shown, in the request's
    language, not when raised (services also run outside requests)."""

    message = _l("This cannot be done.")

    def __init__(self, message=None, **params):
        self.params = params
        self._message = message
        super().__init__()

    def __str__(self) -> str:
        text = str(self._message or self.message)
        return text % self.params if self.params else text
