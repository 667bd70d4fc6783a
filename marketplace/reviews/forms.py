from flask_babel import lazy_gettext as _l
from marketplace.forms import Form
from wtforms import MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

STAR_CHOICES = [
    (5, _l("5 stars — excellent")),
    (4, _l("4 stars — good")),
    (3, _l("3 stars — fair")),
    (2, _l("2 stars — poor")),
    (1, _l("1 star — very poor")),
]


class ReviewForm(Form):
    stars = RadioField(
        _l("Your rating"),
        choices=STAR_CHOICES,
        coerce=int,
        validators=[InputRequired(message=_l("Choose from 1 to 5 stars."))],
    )
    body = TextAreaField(_l("Your review (optional)"), validators=[Optional(), Length(max=2000)])
    photos = MultipleFileField(_l("Photos of what arrived (optional, up to 3; JPEG, PNG or WebP, up to 5 MB each)"))


class AnswerForm(Form):
    body = TextAreaField(_l("Your public answer"), validators=[InputRequired(), Length(max=2000)])


class HideForm(Form):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=200)])
