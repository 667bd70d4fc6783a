class CatalogError(Exception):
    """Base of the catalog feature's domain errors; the message is shown to the user."""


class NotYourListing(CatalogError):
    pass


class InvalidListing(CatalogError):
    pass
