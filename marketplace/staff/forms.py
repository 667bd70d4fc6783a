from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.forms import BoundedIntegerField, Form


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter: it changes nothing

    actor = StringField(_l("Staff member (phone or e-mail)"), validators=[Optional(), Length(max=254)])
    point = StringField(_l("Service point code"), validators=[Optional(), Length(max=16)])
    action = SelectField(_l("Action"), validators=[Optional()])
    object_type = SelectField(_l("Object"), validators=[Optional()])
    object_id = BoundedIntegerField(_l("Object number"), minimum=1, maximum=2**53, validators=[Optional()])
    household = BoundedIntegerField(_l("Household number"), minimum=1, maximum=2**31 - 1, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
