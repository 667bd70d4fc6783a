from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms.validators import InputRequired

from marketplace.forms import BoundedIntegerField, CodeSelectField


class TargetForm(Form):
    province = CodeSelectField(_l("Province / city"), validators=[InputRequired()])
    target = BoundedIntegerField(
        _l("Target of selling households"), maximum=10_000_000, validators=[InputRequired()]
    )
