class HouseholdError(Exception):
    """Base of the households feature's domain errors; the message is shown to the user."""


class NotAllowed(HouseholdError):
    pass


class InvalidProfile(HouseholdError):
    pass
