from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange


class AddToCartForm(Form):
    listing_id = HiddenField()
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(min=1, max=100_000)], default=1)


class QuantityForm(Form):
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(min=0, max=100_000)])
