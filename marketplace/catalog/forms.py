from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from flask_wtf.file import MultipleFileField
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.forms import CodeSelectField, MoneyField
from marketplace.web import UNIT_LABELS


class ListingForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    category = CodeSelectField(_l("Category"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    unit = SelectField(_l("Selling unit"), choices=list(UNIT_LABELS.items()))
    price = MoneyField(_l("Price per unit (₫)"), validators=[InputRequired(message=_l("Enter the price."))])
    stock = IntegerField(_l("Units in stock"), validators=[InputRequired(message=_l("Enter the stock."))])
    weight_grams = IntegerField(_l("Weight of one unit, with packaging (grams)"), validators=[InputRequired()])
    min_order_qty = IntegerField(_l("Minimum order (units)"), default=1, validators=[Optional()])
    availability = RadioField(
        _l("Availability"),
        choices=[("in_stock", _l("In stock, ships now")), ("preorder", _l("Pre-order, ships after harvest"))],
        default="in_stock",
    )
    harvest_start = DateField(_l("Harvest from"), validators=[Optional()])
    harvest_end = DateField(_l("Harvest until"), validators=[Optional()])
    shelf_life_days = IntegerField(_l("Keeps fresh for (days)"), validators=[Optional(), NumberRange(min=1, max=3650)])
    origin_province = CodeSelectField(_l("Origin province (if not your own)"), validators=[Optional()])
    origin_ward = CodeSelectField(_l("Origin ward / commune"), validators=[Optional()])
    photos = MultipleFileField(_l("Photos (1 to 6; JPEG, PNG or WebP, up to 5 MB each)"))
