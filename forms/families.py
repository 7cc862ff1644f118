"""Forms of the family pages other than the pathway steps (forms/steps.py)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class FindFamilyForm(FlaskForm):
    reference = StringField(
        _l("Family or child reference"), widget=GovTextInput(),
        description=_l("All or part of a reference. Capital letters do not matter."),
        validators=[DataRequired(message=_l("Enter all or part of a family or child reference")), Length(max=64)],
    )  # fmt: skip
    find = SubmitField(_l("Find the family"), widget=GovSubmitInput())


class AllocationForm(FlaskForm):
    team = SelectField(_l("Team"), widget=GovSelect(), choices=[],
                       validators=[DataRequired(message=_l("Select the team"))])
    worker = SelectField(_l("Allocated social worker"), widget=GovSelect(), choices=[],
                         validators=[DataRequired(message=_l("Select the social worker"))])
    version = HiddenField()  # the family's version when the page was loaded: the lost-update guard
    submit = SubmitField(_l("Allocate"), widget=GovSubmitInput())
