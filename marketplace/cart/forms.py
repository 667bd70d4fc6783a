from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange


class AddToCartForm(FlaskForm):
    listing_id = HiddenField()
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(min=1, max=100_000)], default=1)


class QuantityForm(FlaskForm):
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(min=0, max=100_000)])
