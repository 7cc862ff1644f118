"""Forms of the managers' queues: the filters (a GET form, no CSRF token needed), and recording
a review meeting or a hearing date."""
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

    team = SelectField("Team", widget=GovSelect(), choices=[], validate_choice=False)
    worker = SelectField("Allocated social worker", widget=GovSelect(), choices=[], validate_choice=False)
    stage = SelectField("Stage", widget=GovSelect(), choices=[], validate_choice=False)
    apply = SubmitField("Apply filters", widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    held_on = GovDateField("Date of the meeting", "the date the meeting was held")
    decision = RadioField("Decision", widget=GovRadioInput(), choices=[],
                          validators=[DataRequired(message="Select the decision")])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [SelectChoice(k, v) for k, v in rules.DECISIONS[kind].items()]


class HearingForm(FlaskForm):
    kind = RadioField(
        "Hearing", widget=GovRadioInput(), choices=[SelectChoice(k, v) for k, v in rules.HEARING_KINDS.items()],
        validators=[DataRequired(message="Select the hearing")],
    )  # fmt: skip
    listed_for = GovDateField("Date the hearing is listed for", "the date the hearing is listed for",
                              description="For example, 27 3 2027")
    submit = SubmitField("Save", widget=GovSubmitInput())


class DecidedByForm(FlaskForm):
    """Who decided an exception imported without it (issue 9)."""

    decided_by = StringField(
        "Who decided (name and role)", widget=GovTextInput(),
        validators=[DataRequired(message="Enter who decided, with their role"),
                    Length(max=200, message="Who decided must be 200 characters or fewer")],
    )  # fmt: skip
    submit = SubmitField("Save", widget=GovSubmitInput())


class HearingOutcomeForm(FlaskForm):
    """What happened at a listed hearing, with the court's code for the party responsible (issue 11)."""

    outcome = RadioField(
        "What happened at the hearing", widget=GovRadioInput(),
        choices=[SelectChoice(k, v) for k, v in codes.HEARING_OUTCOMES.items()],
        validators=[DataRequired(message="Select whether the hearing was held, adjourned or vacated")],
    )  # fmt: skip
    reason = SelectField(
        "Reason, if adjourned or vacated", widget=GovSelect(),
        choices=[SelectChoice("", "Not adjourned or vacated")] + [
            SelectChoice(code, f"{code}: {label} ({codes.HEARING_PARTIES[party].lower()})")
            for code, (label, party) in codes.ADJOURNMENT_REASONS.items()
        ],
        description="The court's code, by the party responsible.", validate_choice=False,
    )  # fmt: skip
    submit = SubmitField("Save", widget=GovSubmitInput())
