class CatalogError(Exception):
    """Base of the catalog feature's domain errors; the message is shown to the user."""


class NotYourListing(CatalogError):
    pass


class InvalidListing(CatalogError):
    pass


class ListingChanged(CatalogError):
    """Someone else saved the listing after the form was opened, and this form would overwrite their changes."""

    def __init__(self, message, current_stock: int, stock_delta: int):
        super().__init__(message)
        self.current_stock = current_stock
        self.stock_delta = stock_delta
