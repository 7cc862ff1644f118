"""Forms of the managers' queues: the filters (a GET form, no CSRF token needed), and recording
a review meeting or a hearing date."""
from flask_babel import gettext, lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import Form, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from pathway import codes
from pathway.queues import rules

from .fields import GovDateField


class QueueFiltersForm(Form):
    """Filters read from the query string; an unknown value is dropped, never an error."""

    team = SelectField(_l("Team"), widget=GovSelect(), choices=[], validate_choice=False)
    worker = SelectField(_l("Allocated social worker"), widget=GovSelect(), choices=[], validate_choice=False)
    stage = SelectField(_l("Stage"), widget=GovSelect(), choices=[], validate_choice=False)
    apply = SubmitField(_l("Apply filters"), widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    held_on = GovDateField(_l("Date of the meeting"), _l("the date the meeting was held"))
    decision = RadioField(_l("Decision"), widget=GovRadioInput(), choices=[],
                          validators=[DataRequired(message=_l("Select the decision"))])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def __init__(self, kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [SelectChoice(k, _l(v)) for k, v in rules.DECISIONS[kind].items()]


class HearingForm(FlaskForm):
    kind = RadioField(
        _l("Hearing"), widget=GovRadioInput(), choices=[SelectChoice(k, _l(v)) for k, v in rules.HEARING_KINDS.items()],
        validators=[DataRequired(message=_l("Select the hearing"))],
    )  # fmt: skip
    listed_for = GovDateField(_l("Date the hearing is listed for"), _l("the date the hearing is listed for"),
                              description=_l("For example, 27 3 2027"))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class DecidedByForm(FlaskForm):
    """Who decided an exception imported without it (issue 9)."""

    decided_by = StringField(
        _l("Who decided (name and role)"), widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter who decided, with their role")),
                    Length(max=200, message=_l("Who decided must be 200 characters or fewer"))],
    )  # fmt: skip
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class HearingOutcomeForm(FlaskForm):
    """What happened at a listed hearing, with the court's code for the party responsible (issue 11)."""

    outcome = RadioField(
        _l("What happened at the hearing"), widget=GovRadioInput(),
        choices=[SelectChoice(k, _l(v)) for k, v in codes.HEARING_OUTCOMES.items()],
        validators=[DataRequired(message=_l("Select whether the hearing was held, adjourned or vacated"))],
    )  # fmt: skip
    reason = SelectField(
        _l("Reason, if adjourned or vacated"), widget=GovSelect(),
        choices=[SelectChoice("", _l("Not adjourned or vacated"))] + [
            SelectChoice(code, LazyString(lambda code=code, label=label, party=party:
                                          f"{code}: {gettext(label)} ({gettext(codes.HEARING_PARTIES[party]).lower()})"))
            for code, (label, party) in codes.ADJOURNMENT_REASONS.items()
        ],
        description=_l("The court's code, by the party responsible."), validate_choice=False,
    )  # fmt: skip
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
