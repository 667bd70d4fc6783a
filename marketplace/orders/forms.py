from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.forms import BoundedIntegerField, CodeSelectField


class CheckoutForm(Form):
    #: one id per checkout form shown: however often it is submitted, it places one set of orders
    submission = HiddenField()
    #: the grand total the page showed (goods + shipping): an order is placed only at the total the buyer saw
    quoted_total = HiddenField()
    address_code = StringField(_l("Digital address code (optional)"), validators=[Optional(), Length(max=24)])
    recipient = StringField(_l("Recipient's name"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])
    province = CodeSelectField(_l("Province / city"), validators=[DataRequired()])
    ward = CodeSelectField(_l("Ward / commune"), validators=[Optional()])
    address_line = StringField(_l("House number, hamlet, street"), validators=[DataRequired(), Length(max=200)])
    note = TextAreaField(_l("Note for the postman (optional)"), validators=[Optional(), Length(max=300)])
    #: "" for delivery to the door, else the id of the service point where the buyer collects (relief/terms.py)
    pickup_point = SelectField(_l("Delivery"), choices=[("", "")], validate_choice=True, validators=[Optional()])
    payment_method = RadioField(
        _l("Payment"),
        choices=[
            ("cod", _l("Cash on delivery")),
            ("vietqr", _l("Bank transfer (VietQR)")),
            ("vnpay", _l("VNPay (bank app, ATM card, e-wallet)")),
            ("card", _l("Card (Visa, Mastercard)")),
        ],
        default="cod",
    )


class ReasonForm(Form):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


class CommissionForm(Form):
    percent = BoundedIntegerField(
        _l("Commission (basis points, 100 = 1 %)"), minimum=0, maximum=5000, validators=[InputRequired()]
    )


class AdminFilterForm(Form):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    payment_method = SelectField(_l("Payment"), validators=[Optional()])
    household = BoundedIntegerField(_l("Household number"), minimum=1, maximum=2**31 - 1, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
