from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from marketplace.forms import CodeSelectField


class TargetForm(Form):
    province = CodeSelectField(_l("Province / city"), validators=[InputRequired()])
    target = IntegerField(
        _l("Target of selling households"), validators=[InputRequired(), NumberRange(min=0, max=10_000_000)]
    )
