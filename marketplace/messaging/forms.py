from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms import Form


class OneTapForm(Form):
    """The one-tap page's buttons: which one was pressed comes as `action`; a rejection may carry a reason."""

    reason = RadioField(_l("Why can you not supply it?"), choices=[
        ("out_of_stock", _l("Sold out / not enough")),
        ("cannot_ship", _l("Cannot send it in time")),
        ("other", _l("Another reason")),
    ], validators=[Optional()])
    note = StringField(_l("A few words for the buyer (optional)"), validators=[Optional(), Length(max=120)])


class CallForm(Form):
    """The clerk's outcome of a call to a household."""

    decision = RadioField(_l("What did the household say?"), choices=[
        ("confirm", _l("Confirms the order")),
        ("reject", _l("Cannot supply it")),
        ("no_answer", _l("No answer")),
    ], validators=[DataRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=200)])


class PreferencesForm(Form):
    zalo = BooleanField(_l("Zalo"))
    sms = BooleanField(_l("SMS"))
    email = BooleanField(_l("E-mail"))
    stopped = BooleanField(_l("Stop: no more order updates by Zalo, SMS or e-mail (they stay in the bell list)"))
