"""Forms of the family pages other than the pathway steps (forms/steps.py)."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class FindFamilyForm(FlaskForm):
    reference = StringField(
        "Family or child reference", widget=GovTextInput(),
        description="All or part of a reference. Capital letters do not matter.",
        validators=[DataRequired(message="Enter all or part of a family or child reference"), Length(max=64)],
    )  # fmt: skip
    find = SubmitField("Find the family", widget=GovSubmitInput())


class AllocationForm(FlaskForm):
    team = SelectField("Team", widget=GovSelect(), choices=[],
                       validators=[DataRequired(message="Select the team")])
    worker = SelectField("Allocated social worker", widget=GovSelect(), choices=[],
                         validators=[DataRequired(message="Select the social worker")])
    version = HiddenField()  # the family's version when the page was loaded: the lost-update guard
    submit = SubmitField("Allocate", widget=GovSubmitInput())
