"""Forms for the family network (issue 9): one per step, in GOV.UK wording.

Like the step forms, they collect fields and leave the law to the workflow: who holds parental
responsibility, whether an objection stands, at most one mother and one father. The choices of
people are the family's own, filled in by `prepare` from the family's replayed state.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    return options(((ref, f"{names[ref]} ({ref})" if names.get(ref) else ref) for ref in refs), translate=False)


class NetworkForm(StepForm):
    """A family network step; `prepare(state, child_ref, names)` fills the people to choose from."""

    def prepare(self, state, child_ref: str | None, names: dict[str, str]) -> None:
        return None


class AddPersonForm(NetworkForm):
    FIELDS = ("person_ref", "name", "dob", "sex", "ethnicity", "characteristics", "date")
    person_ref = StringField(
        _l("Person's reference"), widget=GovTextInput(),
        description=_l("Their reference in your case management system. If they are already known to your "
                    "authority (for example a parent in earlier proceedings), use the same reference."),
        validators=[DataRequired(message=_l("Enter the person's reference")), *REF],
    )  # fmt: skip
    name = StringField(
        _l("Name (optional)"), widget=GovTextInput(),
        description=_l("Shown only to your authority's staff. It is never exported or shown to boards."),
        validators=[Optional(), Length(max=120, message=_l("The name must be 120 characters or fewer"))],
    )  # fmt: skip
    dob = GovDateField(_l("Date of birth (optional)"), _l("the person's date of birth"), validators=[Optional()])
    sex = RadioField(
        _l("Sex (optional)"), widget=GovRadioInput(), choices=options([("", _l("Not known")), *codes.SEXES.items()]),
        validators=[Optional()], default="",
    )  # fmt: skip
    ethnicity = SelectField(
        _l("Ethnicity (optional)"), widget=GovSelect(),
        choices=options([("", _l("Not recorded")), *codes.ETHNICITIES.items()]), validators=[Optional()],
    )  # fmt: skip
    characteristics = SelectMultipleField(
        _l("Characteristics (optional)"), widget=GovCheckboxesInput(), choices=options(codes.CHARACTERISTICS.items()),
        description=_l("Special category data: record only what matters to the plan. Select all that apply."),
        validate_choice=True,
    )  # fmt: skip
    date = GovDateField(_l("Date added to the family network"), _l("the date the person was added"))
    submit = SubmitField(_l("Add the person"), widget=GovSubmitInput())

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data.strip(), "dob": self.dob.data, "sex": self.sex.data or None,
                "ethnicity": self.ethnicity.data or None,
                "characteristics": tuple(self.characteristics.data or ()) or None}


class RelatePersonForm(NetworkForm):
    FIELDS = ("person_ref", "relationship", "parental_responsibility", "date")
    person_ref = SelectField(_l("Person"), widget=GovSelect(), choices=[],
                             validators=[DataRequired(message=_l("Select the person"))])
    relationship = SelectField(
        _l("How they relate to the child"), widget=GovSelect(),
        choices=options([("", _l("Choose a relationship")), *codes.RELATIONSHIPS.items()]),
        validators=[DataRequired(message=_l("Select how the person relates to the child"))],
    )  # fmt: skip
    parental_responsibility = RadioField(
        _l("Do they have parental responsibility for the child?"), widget=GovRadioInput(),
        choices=options(codes.YES_NO.items()),
        description=_l("For example a mother always has it; a father if married to the mother or named on the "
                    "birth certificate; a special guardian from the order."),
        validators=[InputRequired(message=_l("Select yes if they have parental responsibility"))],
    )  # fmt: skip
    date = GovDateField(_l("Date this applies from"), _l("the date this applies from"))

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = options([("", _l("Choose a person"))]) + people_choices(state, names=names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data, "relationship": self.relationship.data,
                "parental_responsibility": self.parental_responsibility.data}


def _pr_holders(state, child_ref):
    child = state.children.get(child_ref) if state else None
    return child.pr_holders() if child else []


class ObjectionForm(NetworkForm):
    FIELDS = ("person_ref", "date")
    person_ref = RadioField(
        _l("Who objects to the child being accommodated?"), widget=GovRadioInput(), choices=[],
        description=_l("Only a person with parental responsibility can object."),
        validators=[InputRequired(message=_l("Select who objects"))],
    )  # fmt: skip
    date = GovDateField(_l("Date of the objection"), _l("the date of the objection"))

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = people_choices(state, _pr_holders(state, child_ref), names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data}


class WithdrawObjectionForm(ObjectionForm):
    person_ref = RadioField(_l("Whose objection was withdrawn?"), widget=GovRadioInput(), choices=[],
                            validators=[InputRequired(message=_l("Select whose objection was withdrawn"))])
    date = GovDateField(_l("Date the objection was withdrawn"), _l("the date the objection was withdrawn"))

    def prepare(self, state, child_ref, names) -> None:
        child = state.children.get(child_ref) if state else None
        self.person_ref.choices = people_choices(state, list(child.objections) if child else [], names)


class CarerAssessmentForm(NetworkForm):
    FIELDS = ("person_ref", "outcome", "date")
    person_ref = SelectField(_l("Person assessed"), widget=GovSelect(), choices=[],
                             validators=[DataRequired(message=_l("Select the person assessed"))])
    outcome = RadioField(
        _l("Outcome"), widget=GovRadioInput(), choices=options(codes.CARER_ASSESSMENT_OUTCOMES.items()),
        validators=[InputRequired(message=_l("Select the outcome of the assessment"))],
    )  # fmt: skip
    date = GovDateField(_l("Date of the outcome"), _l("the date of the outcome"))

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = options([("", _l("Choose a person"))]) + people_choices(state, names=names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data, "outcome": self.outcome.data}


class PostRemovalSupportForm(NetworkForm):
    FIELDS = ("person_ref", "outcome", "date")
    person_ref = RadioField(_l("Parent"), widget=GovRadioInput(), choices=[],
                            validators=[InputRequired(message=_l("Select the parent"))])
    outcome = RadioField(
        _l("What happened"), widget=GovRadioInput(), choices=options(codes.POST_REMOVAL_SUPPORT_OUTCOMES.items()),
        validators=[InputRequired(message=_l("Select what happened"))],
    )  # fmt: skip
    date = GovDateField(_l("Date"), _l("the date"))

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
