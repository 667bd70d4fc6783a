"""The form base class and form fields shared by features."""

import re

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField


class _BabelTranslations:
    """WTForms' own messages ("This field is required.") through the app's catalogues: WTForms ships no Vietnamese,
    so they are translated in marketplace/translations like every other message."""

    # the catalogues' raw lookups: WTForms fills in %(min)d and the like itself
    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, validation messages in the reader's language."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()


class MoneyField(IntegerField):
    """Whole đồng, typed the way people write prices: `1.250.000`, `1250000đ`, `1.250.000 ₫`, `45000`."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip().lower()
        raw = re.sub(r"\s*(₫|đ|d|vnd|vnđ)$", "", raw).strip()
        digits = raw.replace(".", "").replace(",", "").replace(" ", "")
        if not re.fullmatch(r"-?\d{1,13}", digits):
            self.data = None
            raise ValueError(_l("Enter an amount in đồng, for example 45.000."))
        self.data = int(digits)


class CodeSelectField(SelectField):
    """A select of integer codes whose choices are set per request (provinces, wards); empty means None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", lambda v: int(v) if v not in (None, "", "None") else None)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
