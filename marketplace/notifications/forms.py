from marketplace.forms import Form


class MarkReadForm(Form):
    """A button (CSRF token only)."""
