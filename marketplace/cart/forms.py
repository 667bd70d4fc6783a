from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import HiddenField
from wtforms.validators import InputRequired

from marketplace.forms import BoundedIntegerField


class AddToCartForm(Form):
    listing_id = HiddenField()
    quantity = BoundedIntegerField(_l("Quantity"), minimum=1, maximum=100_000, validators=[InputRequired()], default=1)


class QuantityForm(Form):
    quantity = BoundedIntegerField(_l("Quantity"), maximum=100_000, validators=[InputRequired()])
