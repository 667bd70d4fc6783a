from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from marketplace.forms import BoundedIntegerField, Form


class BankAccountForm(Form):
    bank_bin = SelectField(_l("Bank"), validators=[DataRequired()])
    account_number = StringField(_l("Account number"), validators=[DataRequired(), Length(max=30)])
    holder_name = StringField(_l("Account holder (as the bank has it)"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Your password (to confirm it is you)"), validators=[DataRequired(), Length(max=128)])


class MatchForm(Form):
    checkout_id = BoundedIntegerField(_l("Checkout number"), minimum=1, maximum=2**31 - 1,
                                      validators=[InputRequired()])


class RefundDoneForm(Form):
    bank_bin = SelectField(_l("Bank"), validators=[DataRequired()])
    account_number = StringField(_l("Account number"), validators=[DataRequired(), Length(max=30)])
    holder_name = StringField(_l("Account holder"), validators=[DataRequired(), Length(max=80)])
    reference = StringField(_l("Transfer reference"), validators=[DataRequired(), Length(max=100)])
