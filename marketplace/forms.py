"""The form base class and form fields shared by features."""


from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField

from marketplace.money import MAX_VND, AmountTooLarge, DecimalAmount, InvalidAmount, NegativeAmount, parse_vnd


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


class CodeSelectField(SelectField):
    """A select of integer codes whose choices are set per request (provinces, wards); empty means None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", lambda v: int(v) if v not in (None, "", "None") else None)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
