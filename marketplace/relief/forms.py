from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.inputs import MAX_DB_INT, parse_int
from marketplace.forms import BoundedIntegerField, Form
from marketplace.relief.models import AreaKind, CampaignStatus, CheckoutRule, EventKind, Severity

#: a campaign's or rescue drive's state as administrators read it
CAMPAIGN_STATUS_LABELS = {CampaignStatus.DRAFT: _l("Draft: not public yet"),
                          CampaignStatus.OPEN: _l("Taking donations"), CampaignStatus.CLOSED: _l("Ended")}
KIND_LABELS = {EventKind.FLOOD: _l("Flood"), EventKind.TYPHOON: _l("Typhoon"), EventKind.EPIDEMIC: _l("Epidemic"),
               EventKind.OTHER: _l("Other")}
SEVERITY_LABELS = {Severity.WATCH: _l("Watch"), Severity.WARNING: _l("Warning"), Severity.EMERGENCY: _l("Emergency")}
RULE_LABELS = {
    CheckoutRule.WARN: _l("Allow orders, with a warning and a longer estimate"),
    CheckoutRule.PRIORITY_ONLY: _l("Only priority goods (food, medicine, relief goods)"),
    CheckoutRule.BLOCK: _l("Block orders to and from the affected wards"),
}
AREA_LABELS = {AreaKind.ANY: _l("Anywhere"), AreaKind.AFFECTED: _l("The affected wards"),
               AreaKind.PROVINCE: _l("A province")}



def _id(value) -> int:
    """A choice's integer id within what the database holds (anything else is not a valid choice)."""
    number = value if isinstance(value, int) else parse_int(str(value))
    if number is None or not 0 < number <= MAX_DB_INT:
        raise ValueError(value)
    return number

class EventForm(Form):
    title = StringField(_l("Name of the event"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    severity = SelectField(_l("Severity"), choices=[(k.value, v) for k, v in SEVERITY_LABELS.items()])
    checkout_rule = SelectField(_l("Orders to and from the area"),
                                choices=[(k.value, v) for k, v in RULE_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Start (Vietnam time)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    expected_end_at = DateTimeLocalField(_l("Expected end (optional)"), format="%Y-%m-%dT%H:%M",
                                         validators=[Optional()])
    dispatch = StringField(_l("Dispatch that declared it (number, issuer)"), validators=[Optional(), Length(max=200)])
    public_note = TextAreaField(_l("Public note"), validators=[Optional(), Length(max=2000)])
    province = SelectField(_l("Every ward of a province"), choices=[("", "—")], validators=[Optional()])
    wards = SelectMultipleField(_l("Wards of the chosen province"), choices=[], coerce=_id, validate_choice=False,
                                validators=[Optional()])
    ward_list = TextAreaField(_l("Or type ward codes or names, separated by commas or new lines"),
                              validators=[Optional(), Length(max=20000)])
    extra_days = BoundedIntegerField(_l("Extra delivery days to and from the area"), minimum=0, maximum=60,
                                     validators=[Optional()])


class DelayForm(Form):
    from_kind = SelectField(_l("From"), choices=[(k.value, v) for k, v in AREA_LABELS.items()])
    from_province = SelectField(_l("From province"), choices=[("", "—")], validators=[Optional()])
    to_kind = SelectField(_l("To"), choices=[(k.value, v) for k, v in AREA_LABELS.items()])
    to_province = SelectField(_l("To province"), choices=[("", "—")], validators=[Optional()])
    category = SelectField(_l("Category"), choices=[("", "")], validators=[Optional()])
    extra_days = BoundedIntegerField(_l("Extra days"), minimum=0, maximum=60, validators=[InputRequired()])


class PointStatusForm(Form):
    point = StringField(_l("Post office code"), validators=[DataRequired(), Length(max=16)])
    status = SelectField(_l("Status"), choices=[("open", _l("Open")), ("closed", _l("Closed")),
                                                ("moved", _l("Moved for now"))])
    alternate = StringField(_l("Open post office that takes over (code)"), validators=[Optional(), Length(max=16)])
    note = StringField(_l("Note for the public"), validators=[Optional(), Length(max=300)])


class PriorityForm(Form):
    categories = SelectMultipleField(_l("Priority categories"), coerce=_id, validate_choice=False,
                                     validators=[Optional()])


class BulkForm(Form):
    action = SelectField(_l("Action"), choices=[("hold", _l("Hold")), ("deliver_by", _l("Deliver by a deadline")),
                                                ("reroute", _l("Reroute to an open post office")),
                                                ("cancel", _l("Cancel with refund")), ("release", _l("Lift the hold"))])
    reason = StringField(_l("Reason the buyer reads"), validators=[DataRequired(), Length(max=250)])
    deliver_by = DateField(_l("Deadline"), validators=[Optional()])
    point = SelectField(_l("Open post office"), choices=[("", "—")], validators=[Optional()])
    orders = SelectMultipleField(_l("Orders"), coerce=_id, validate_choice=False, validators=[Optional()])
