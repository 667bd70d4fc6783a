from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.forms import BoundedIntegerField, CodeSelectField, MoneyField


class AddressForm(Form):
    lat = DecimalField(_l("Latitude"), places=6, validators=[DataRequired(), NumberRange(min=-90, max=90)])
    lng = DecimalField(_l("Longitude"), places=6, validators=[DataRequired(), NumberRange(min=-180, max=180)])
    province = CodeSelectField(_l("Province / city"), validators=[DataRequired()])
    ward = CodeSelectField(_l("Ward / commune"), validators=[Optional()])
    address_line = StringField(_l("House number, hamlet, street"), validators=[DataRequired(), Length(max=200)])


class ScanForm(Form):
    tracking = StringField(_l("Tracking number"), validators=[DataRequired(), Length(max=40)])


class AcceptForm(Form):
    weighed_grams = BoundedIntegerField(
        _l("Weight on the scale (grams)"), minimum=1, maximum=100_000, validators=[DataRequired()]
    )


class DeliverForm(Form):
    cod_collected = MoneyField(_l("Cash collected (đồng)"), validators=[Optional()])


class FailForm(Form):
    reason = SelectField(_l("Why did the delivery fail?"), validators=[DataRequired()])


class PostmanForm(Form):
    postman = CodeSelectField(_l("Postman"), validators=[DataRequired()])


class ActionForm(Form):
    """A button with nothing but the CSRF token."""

    next = HiddenField()


class OnboardingForm(Form):
    name = StringField(_l("Household name"), validators=[DataRequired(), Length(max=120)])
    representative = StringField(_l("Representative (account holder)"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])
    ward = CodeSelectField(_l("Ward / commune"), validators=[DataRequired()])
    address_line = StringField(_l("House number, hamlet, street"), validators=[DataRequired(), Length(max=200)])
    lat = DecimalField(_l("Latitude"), places=6, validators=[DataRequired(), NumberRange(min=-90, max=90)])
    lng = DecimalField(_l("Longitude"), places=6, validators=[DataRequired(), NumberRange(min=-180, max=180)])
