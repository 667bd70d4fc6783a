class AccountError(Exception):
    """Base of the accounts feature's domain errors; the message is shown to the user."""


class InvalidPhone(AccountError):
    pass


class DuplicateAccount(AccountError):
    pass


class InvalidCredentials(AccountError):
    pass


class WeakPassword(AccountError):
    pass
