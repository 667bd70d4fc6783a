"""The form base class and form fields shared by features."""

import math

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField, PasswordField, SelectField, StringField

from marketplace.inputs import MAX_DB_BIGINT, MAX_DB_INT, parse_int
from marketplace.money import MAX_VND, AmountTooLarge, DecimalAmount, InvalidAmount, NegativeAmount, parse_vnd
from marketplace.text import display_text

class _BabelTranslations:
    """WTForms' own messages ("This field is required.") through the app's catalogues: WTForms ships no Vietnamese,
    so they are translated in marketplace/translations like every other message."""

    # the catalogues' raw lookups: WTForms fills in %(min)d and the like itself
    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


def _clean_text(value):
    """Text fields keep no control characters and no bidi overrides (the request layer already dropped the controls
    of submitted values; this also covers data passed in by code)."""
    return display_text(value) if isinstance(value, str) else value


def _bounded(limit: int):
    def check(value):
        if isinstance(value, int) and not -limit <= value <= limit:
            raise ValueError(_l("This number is too large."))
        return value

    return check


def _finite(value):
    if value is not None and not math.isfinite(value):
        raise ValueError(_l("Enter a number."))
    return value


def _input_filters(field_class) -> tuple:
    """Filters every form adds to a field of this class, after the field's own."""
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return (_clean_text,)
    if issubclass(field_class, MoneyField):
        return (_bounded(MAX_DB_BIGINT),)
    if issubclass(field_class, IntegerField):
        return (_bounded(MAX_DB_INT),)
    if issubclass(field_class, (DecimalField, FloatField)):
        return (_finite,)
    return ()


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, validation messages in the reader's language, text without
    control characters or bidi overrides, whole numbers within what the database columns hold, decimals finite."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

        def bind_field(self, form, unbound_field, options):
            extra = _input_filters(unbound_field.field_class)
            if extra:
                options = {**options, "filters": (*unbound_field.kwargs.get("filters", ()), *extra)}
            return unbound_field.bind(form=form, **options)


class MoneyField(IntegerField):
    """Whole đồng, typed the way people write prices: `1.250.000`, `45 000`, `1250000đ`, `1.250.000 ₫`, `45000`.
    A decimal part (`12.5`) is refused with a message that says why (see marketplace/money.py)."""

    def __init__(self, *args, maximum: int = MAX_VND, **kwargs):
        self.maximum = maximum
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        try:
            self.data = parse_vnd(valuelist[0], self.maximum)
        except InvalidAmount as exc:
            raise ValueError(str(exc)) from None


class BoundedIntegerField(IntegerField):
    """A whole number in a range every form states (stock, grams, quantities): out-of-range or overlong input gets a
    form message instead of reaching the database (10^19 used to give a 500)."""

    def __init__(self, *args, minimum: int = 0, maximum: int = 1_000_000, **kwargs):
        assert minimum >= 0, "whole numbers typed in forms are counts, never negative"
        self.minimum, self.maximum = minimum, maximum
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        try:  # the same reading as amounts: `1.000` is a thousand, `2.5` is refused rather than read as 25
            value = parse_vnd(str(valuelist[0])[:40], maximum=10**15)
        except DecimalAmount:
            raise ValueError(_l("Enter a whole number, without a decimal part.")) from None
        except (NegativeAmount, AmountTooLarge):
            raise ValueError(self._range_message()) from None
        except InvalidAmount:
            raise ValueError(_l("Enter a whole number.")) from None
        if value is None:
            return
        if not self.minimum <= value <= self.maximum:
            raise ValueError(self._range_message())
        self.data = value

    def _range_message(self):
        from marketplace.web import number

        return _l("Enter a number from %(min)s to %(max)s.", min=number(self.minimum), max=number(self.maximum))


def _code(value):
    """A choice code: an int within INTEGER, None for empty; anything else is not a valid choice."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    code = parse_int(str(value))
    if code is None:
        raise ValueError(value)
    return code


class CodeSelectField(SelectField):
    """A select of integer codes whose choices are set per request (provinces, wards); empty means None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", _code)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
