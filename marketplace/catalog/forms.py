from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from flask_wtf.file import MultipleFileField
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.forms import BoundedIntegerField, CodeSelectField, MoneyField
from marketplace.catalog.models import MAX_PRICE, MAX_STOCK, MAX_UNIT_GRAMS
from marketplace.web import UNIT_LABELS


class ListingForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    category = CodeSelectField(_l("Category"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    unit = SelectField(_l("Selling unit"), choices=list(UNIT_LABELS.items()))
    price = MoneyField(
        _l("Price per unit (₫)"), maximum=MAX_PRICE, validators=[InputRequired(message=_l("Enter the price."))]
    )
    stock = BoundedIntegerField(
        _l("Units in stock"), maximum=MAX_STOCK, validators=[InputRequired(message=_l("Enter the stock."))]
    )
    weight_grams = BoundedIntegerField(
        _l("Weight of one unit, with packaging (grams)"), minimum=1, maximum=MAX_UNIT_GRAMS,
        validators=[InputRequired()],
    )
    min_order_qty = BoundedIntegerField(
        _l("Minimum order (units)"), minimum=1, maximum=MAX_STOCK, default=1, validators=[Optional()]
    )
    #: photos uploaded with an earlier submit that came back with an error (see catalog/photo_drafts.py)
    kept_photos = HiddenField()
    #: the listing's edit version and the stock shown when the form was opened (see services.update_listing)
    version = HiddenField()
    stock_loaded = HiddenField()
    availability = RadioField(
        _l("Availability"),
        choices=[("in_stock", _l("In stock, ships now")), ("preorder", _l("Pre-order, ships after harvest"))],
        default="in_stock",
    )
    harvest_start = DateField(_l("Harvest from"), validators=[Optional()])
    harvest_end = DateField(_l("Harvest until"), validators=[Optional()])
    shelf_life_days = BoundedIntegerField(
        _l("Keeps fresh for (days)"), minimum=1, maximum=3650, validators=[Optional()]
    )
    origin_province = CodeSelectField(_l("Origin province (if not your own)"), validators=[Optional()])
    origin_ward = CodeSelectField(_l("Origin ward / commune"), validators=[Optional()])
    photos = MultipleFileField(_l("Photos (1 to 6; JPEG, PNG or WebP, up to 5 MB each)"))
