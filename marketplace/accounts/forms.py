from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp


class SignUpForm(Form):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Mobile number"), validators=[Optional(), Length(max=20)])
    email = StringField(_l("E-mail (optional)"), validators=[Optional(), Length(max=254)])
    kind = RadioField(
        _l("I want to"),
        choices=[("buyer", _l("Buy produce")), ("household", _l("Sell my farm's produce"))],
        default="buyer",
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(
        _l("Repeat the password"), validators=[DataRequired(), EqualTo("password", message=_l("Passwords differ."))]
    )


class SignInForm(Form):
    identifier = StringField(_l("Mobile number or e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[DataRequired(), EqualTo("new", message=_l("Passwords differ."))]
    )


class ResetRequestForm(Form):
    identifier = StringField(_l("Mobile number or e-mail"), validators=[DataRequired(), Length(max=254)])


class ResetCodeForm(Form):
    identifier = StringField(_l("Mobile number or e-mail"), validators=[DataRequired(), Length(max=254)])
    code = StringField(
        _l("Code"), validators=[DataRequired(), Regexp(r"^\s*[0-9]{6}\s*$", message=_l("The code has 6 digits."))]
    )
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[DataRequired(), EqualTo("new", message=_l("Passwords differ."))]
    )


class AccountSearchForm(Form):
    class Meta:
        csrf = False  # a GET search

    q = StringField(_l("Phone number, e-mail or name"), validators=[Optional(), Length(max=120)])


class ActionForm(Form):
    """A button (CSRF token only)."""


class CodeRequestForm(Form):
    """Sign in (or sign up) with a code sent to the phone."""

    identifier = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])


class CodeForm(Form):
    code = StringField(
        _l("Code"), validators=[DataRequired(), Regexp(r"^\s*[0-9]{6}\s*$", message=_l("The code has 6 digits."))]
    )


class CodeAccountForm(Form):
    """A new account for a phone number a code has just proved; the password is optional."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    kind = RadioField(
        _l("I want to"),
        choices=[("buyer", _l("Buy produce")), ("household", _l("Sell my farm's produce"))],
        default="buyer",
    )
    password = PasswordField(_l("Password (optional)"), validators=[Optional(), Length(min=8, max=128)])
    confirm = PasswordField(
        _l("Repeat the password"), validators=[EqualTo("password", message=_l("Passwords differ."))]
    )
