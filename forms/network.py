"""Forms for the family network (issue 9): one per step, in GOV.UK wording.

Like the step forms, they collect fields and leave the law to the workflow: who holds parental
responsibility, whether an objection stands, at most one mother and one father. The choices of
people are the family's own, filled in by `prepare` from the family's replayed state.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput

from pathway import codes

from .fields import GovDateField, options
from .steps import REF, StepForm


def people_choices(state, refs=None, names=None) -> list[tuple[str, str]]:
    """(reference, label) for the family's people (or just `refs`), by reference."""
    names = names or {}
    refs = sorted(state.people) if refs is None else sorted(refs)
    return options((ref, f"{names[ref]} ({ref})" if names.get(ref) else ref) for ref in refs)


class NetworkForm(StepForm):
    """A family network step; `prepare(state, child_ref, names)` fills the people to choose from."""

    def prepare(self, state, child_ref: str | None, names: dict[str, str]) -> None:
        return None


class AddPersonForm(NetworkForm):
    FIELDS = ("person_ref", "name", "dob", "sex", "ethnicity", "characteristics", "date")
    person_ref = StringField(
        "Person's reference", widget=GovTextInput(),
        description="Their reference in your case management system. If they are already known to your "
                    "authority (for example a parent in earlier proceedings), use the same reference.",
        validators=[DataRequired(message="Enter the person's reference"), *REF],
    )  # fmt: skip
    name = StringField(
        "Name (optional)", widget=GovTextInput(),
        description="Shown only to your authority's staff. It is never exported or shown to boards.",
        validators=[Optional(), Length(max=120, message="The name must be 120 characters or fewer")],
    )  # fmt: skip
    dob = GovDateField("Date of birth (optional)", "the person's date of birth", validators=[Optional()])
    sex = RadioField(
        "Sex (optional)", widget=GovRadioInput(), choices=options([("", "Not known"), *codes.SEXES.items()]),
        validators=[Optional()], default="",
    )  # fmt: skip
    ethnicity = SelectField(
        "Ethnicity (optional)", widget=GovSelect(),
        choices=options([("", "Not recorded"), *codes.ETHNICITIES.items()]), validators=[Optional()],
    )  # fmt: skip
    characteristics = SelectMultipleField(
        "Characteristics (optional)", widget=GovCheckboxesInput(), choices=options(codes.CHARACTERISTICS.items()),
        description="Special category data: record only what matters to the plan. Select all that apply.",
        validate_choice=True,
    )  # fmt: skip
    date = GovDateField("Date added to the family network", "the date the person was added")
    submit = SubmitField("Add the person", widget=GovSubmitInput())

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data.strip(), "dob": self.dob.data, "sex": self.sex.data or None,
                "ethnicity": self.ethnicity.data or None,
                "characteristics": tuple(self.characteristics.data or ()) or None}


class RelatePersonForm(NetworkForm):
    FIELDS = ("person_ref", "relationship", "parental_responsibility", "date")
    person_ref = SelectField("Person", widget=GovSelect(), choices=[],
                             validators=[DataRequired(message="Select the person")])
    relationship = SelectField(
        "How they relate to the child", widget=GovSelect(),
        choices=options([("", "Choose a relationship"), *codes.RELATIONSHIPS.items()]),
        validators=[DataRequired(message="Select how the person relates to the child")],
    )  # fmt: skip
    parental_responsibility = RadioField(
        "Do they have parental responsibility for the child?", widget=GovRadioInput(),
        choices=options(codes.YES_NO.items()),
        description="For example a mother always has it; a father if married to the mother or named on the "
                    "birth certificate; a special guardian from the order.",
        validators=[InputRequired(message="Select yes if they have parental responsibility")],
    )  # fmt: skip
    date = GovDateField("Date this applies from", "the date this applies from")

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = options([("", "Choose a person")]) + people_choices(state, names=names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data, "relationship": self.relationship.data,
                "parental_responsibility": self.parental_responsibility.data}


def _pr_holders(state, child_ref):
    child = state.children.get(child_ref) if state else None
    return child.pr_holders() if child else []


class ObjectionForm(NetworkForm):
    FIELDS = ("person_ref", "date")
    person_ref = RadioField(
        "Who objects to the child being accommodated?", widget=GovRadioInput(), choices=[],
        description="Only a person with parental responsibility can object.",
        validators=[InputRequired(message="Select who objects")],
    )  # fmt: skip
    date = GovDateField("Date of the objection", "the date of the objection")

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = people_choices(state, _pr_holders(state, child_ref), names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data}


class WithdrawObjectionForm(ObjectionForm):
    person_ref = RadioField("Whose objection was withdrawn?", widget=GovRadioInput(), choices=[],
                            validators=[InputRequired(message="Select whose objection was withdrawn")])
    date = GovDateField("Date the objection was withdrawn", "the date the objection was withdrawn")

    def prepare(self, state, child_ref, names) -> None:
        child = state.children.get(child_ref) if state else None
        self.person_ref.choices = people_choices(state, list(child.objections) if child else [], names)


class CarerAssessmentForm(NetworkForm):
    FIELDS = ("person_ref", "outcome", "date")
    person_ref = SelectField("Person assessed", widget=GovSelect(), choices=[],
                             validators=[DataRequired(message="Select the person assessed")])
    outcome = RadioField(
        "Outcome", widget=GovRadioInput(), choices=options(codes.CARER_ASSESSMENT_OUTCOMES.items()),
        validators=[InputRequired(message="Select the outcome of the assessment")],
    )  # fmt: skip
    date = GovDateField("Date of the outcome", "the date of the outcome")

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = options([("", "Choose a person")]) + people_choices(state, names=names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data, "outcome": self.outcome.data}


class PostRemovalSupportForm(NetworkForm):
    FIELDS = ("person_ref", "outcome", "date")
    person_ref = RadioField("Parent", widget=GovRadioInput(), choices=[],
                            validators=[InputRequired(message="Select the parent")])
    outcome = RadioField(
        "What happened", widget=GovRadioInput(), choices=options(codes.POST_REMOVAL_SUPPORT_OUTCOMES.items()),
        validators=[InputRequired(message="Select what happened")],
    )  # fmt: skip
    date = GovDateField("Date", "the date")

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = people_choices(state, list(state.parents()) if state else [], names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data, "outcome": self.outcome.data}


NETWORK_FORMS: dict[str, type[NetworkForm]] = {
    "add_person": AddPersonForm,
    "relate_person": RelatePersonForm,
    "object_to_accommodation": ObjectionForm,
    "withdraw_objection": WithdrawObjectionForm,
    "carer_assessment": CarerAssessmentForm,
    "post_removal_support": PostRemovalSupportForm,
}
