from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.forms import CodeSelectField


class ProfileForm(Form):
    name = StringField(_l("Household or farm name"), validators=[DataRequired(), Length(max=120)])
    representative = StringField(_l("Representative"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])
    province = CodeSelectField(_l("Province / city"), validators=[DataRequired()])
    ward = CodeSelectField(_l("Ward / commune"), validators=[Optional()])
    address_line = StringField(_l("House number, hamlet, street"), validators=[DataRequired(), Length(max=200)])
    story = TextAreaField(_l("Your story (how you grow, since when)"), validators=[Optional(), Length(max=2000)])
    photo = FileField(_l("A photo of your farm"))


class CertificationForm(Form):
    kind = SelectField(
        _l("Certification"),
        choices=[("vietgap", _l("VietGAP")), ("organic", _l("Organic")), ("ocop", _l("OCOP"))],
    )
    stars = IntegerField(_l("OCOP stars (3–5)"), validators=[Optional(), NumberRange(min=3, max=5)])
    number = StringField(_l("Certificate number"), validators=[DataRequired(), Length(max=60)])
    expires_on = DateField(_l("Valid until"), validators=[DataRequired()])
