"""One form per step of the pathway, in GOV.UK wording.

Each step form lists the fields it shows (`FIELDS`, in page order) and turns its data into the
fields of a `workflow.PathwayEvent` (`event_fields`). The hidden `version` is the family's
version when the page was loaded: the service refuses the step if someone changed the family
meanwhile. Gates (FGC before care, consent, letter before proceedings...) are not repeated here:
the workflow checks them and the page shows its reasons against these fields.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pathway import codes

from .fields import GovDateField, WholeNumberField, options

REF = [Length(max=64, message="A reference must be 64 characters or fewer")]


def exception_field():
    return TextAreaField(
        "Reason for going ahead without the usual step (optional)",
        widget=GovTextArea(),
        description=(
            "Only if the child could not wait: for example why the family could not be offered a family "
            "group conference first, or why proceedings were issued without a letter before proceedings. "
            "Say who decided, when and why."
        ),
        validators=[Optional(), Length(max=2000, message="The reason must be 2000 characters or fewer")],
    )


class StepForm(FlaskForm):
    """A step recorded against a family, a child or proceedings."""

    FIELDS: tuple[str, ...] = ("date",)
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())

    def event_fields(self) -> dict:
        return {}

    def adapt(self, nation: str) -> None:
        """Use the nation's terms (Wales: section 76, care and support protection plan)."""
        if nation != "wales":
            return
        for name in self.FIELDS:
            field = self[name]
            field.label.text = _welsh(field.label.text)
            if field.description:
                field.description = _welsh(field.description)


def _welsh(text: str) -> str:
    return text.replace("child protection plan", "care and support protection plan").replace(
        "section 20", "section 76"
    )


def _sex_field():
    return RadioField(
        "Sex", widget=GovRadioInput(), choices=options(codes.SEXES.items()),
        validators=[InputRequired(message="Select the child's sex")],
    )  # fmt: skip


def _ethnicity_field():
    return SelectField(
        "Ethnicity", widget=GovSelect(), choices=options([("", "Choose ethnicity"), *codes.ETHNICITIES.items()]),
        description="As recorded for the children looked after and children in need returns. Choose "
                    "'Information not yet obtained' if you do not know yet.",
        validators=[DataRequired(message="Select the child's ethnicity")],
    )  # fmt: skip


def _child_ref_field():
    return StringField(
        "Child's reference", widget=GovTextInput(),
        description="The child's reference in your case management system. Do not enter the child's name.",
        validators=[DataRequired(message="Enter the child's reference"), *REF],
    )  # fmt: skip


def _dob_field():
    return GovDateField(
        "Date of birth", "the child's date of birth",
        description="For an unborn baby, enter the expected date of birth. For example, 27 3 2019",
    )  # fmt: skip


def _opened_field():
    return GovDateField("Date the case was opened", "the date the case was opened")


class NewFamilyForm(StepForm):
    """A new family: the first child's case is opened."""

    FIELDS = ("family_ref", "child_ref", "dob", "sex", "ethnicity", "date")
    family_ref = StringField(
        "Family reference", widget=GovTextInput(),
        description="Your authority's reference for the family or household. Do not enter names.",
        validators=[DataRequired(message="Enter the family reference"), *REF],
    )  # fmt: skip
    child_ref = _child_ref_field()
    dob = _dob_field()
    sex = _sex_field()
    ethnicity = _ethnicity_field()
    date = _opened_field()
    submit = SubmitField("Open the case", widget=GovSubmitInput())

    def event_fields(self) -> dict:
        return {"child_ref": self.child_ref.data.strip(), "dob": self.dob.data, "sex": self.sex.data,
                "ethnicity": self.ethnicity.data}


class AddChildForm(NewFamilyForm):
    """Another child in a family already open."""

    FIELDS = ("child_ref", "dob", "sex", "ethnicity", "date")
    family_ref = None
    submit = SubmitField("Add the child", widget=GovSubmitInput())


class StartCpPlanForm(StepForm):
    date = GovDateField("Date the child protection plan started", "the date the child protection plan started")


class EndCpPlanForm(StepForm):
    date = GovDateField("Date the child protection plan ended", "the date the child protection plan ended")


class OfferFgcForm(StepForm):
    date = GovDateField("Date the family group conference was offered",
                        "the date the family group conference was offered")


class FgcAcceptedForm(StepForm):
    date = GovDateField("Date the family accepted the conference", "the date the family accepted the conference")


class HoldFgcForm(StepForm):
    date = GovDateField("Date the family group conference was held", "the date the conference was held")


class FgcDeclinedForm(StepForm):
    date = GovDateField("Date the family declined the conference", "the date the family declined the conference")


class LetterBeforeProceedingsForm(StepForm):
    date = GovDateField("Date the letter before proceedings was sent", "the date the letter was sent")


class AccommodateForm(StepForm):
    FIELDS = ("date", "consent_by", "exception")
    date = GovDateField("Date the child was accommodated", "the date the child was accommodated")
    consent_by = RadioField(
        "Who agreed to the accommodation?", widget=GovRadioInput(), choices=options(codes.CONSENT_BY.items()),
        description="Under section 20 a person with parental responsibility may remove the child at any time. "
                    "A child of 16 or over can agree for themselves.",
        validators=[InputRequired(message="Select who agreed to the accommodation")],
    )  # fmt: skip
    exception = exception_field()

    def event_fields(self) -> dict:
        return {"consent_by": self.consent_by.data, "exception": (self.exception.data or "").strip() or None}


class EmergencyProtectionForm(StepForm):
    FIELDS = ("date", "emergency_type")
    date = GovDateField("Date the emergency protection started", "the date the emergency protection started")
    emergency_type = RadioField(
        "Kind of emergency protection", widget=GovRadioInput(), choices=options(codes.EMERGENCY_TYPES.items()),
        validators=[InputRequired(message="Select the kind of emergency protection")],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"emergency_type": self.emergency_type.data}


class IssueProceedingsForm(StepForm):
    FIELDS = ("date", "proceedings_ref", "also", "exception")
    date = GovDateField("Date the application was issued", "the date the application was issued",
                        description="Day 1 of the 26 weeks. For example, 27 3 2026")
    proceedings_ref = StringField(
        "Court case number", widget=GovTextInput(),
        validators=[DataRequired(message="Enter the court's case number for these proceedings"), *REF],
    )  # fmt: skip
    also = SelectMultipleField(
        "Other children in the same application", widget=GovCheckboxesInput(), choices=[],
        description="Select any brothers or sisters the application also covers.", validate_choice=True,
    )  # fmt: skip
    exception = exception_field()

    def event_fields(self) -> dict:
        return {"proceedings_ref": self.proceedings_ref.data.strip(),
                "exception": (self.exception.data or "").strip() or None}


class ExtendTimetableForm(StepForm):
    FIELDS = ("date", "weeks", "reason")
    date = GovDateField("Date the court granted the extension", "the date the court granted the extension")
    weeks = WholeNumberField(
        "Length of the extension in weeks", "the length of the extension in weeks",
        widget=GovTextInput(),
        description="Each extension is up to 8 weeks.",
        validators=[InputRequired(message="Enter the number of weeks"),
                    NumberRange(1, 8, message="An extension must be from 1 to 8 weeks")],
    )  # fmt: skip
    reason = SelectField(
        "Reason the court gave", widget=GovSelect(),
        choices=options([("", "Choose a reason")] + [
            (code, f"{label}: {codes.EXTENSION_CATEGORIES[category].lower()}")
            for code, (label, category) in codes.EXTENSION_REASONS.items()
        ]),
        validators=[DataRequired(message="Select the reason the court gave for the extension")],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"weeks": self.weeks.data, "reason": self.reason.data}


class FinalOrderForm(StepForm):
    FIELDS = ("date", "order_type")
    date = GovDateField("Date of the final order", "the date of the final order")
    order_type = RadioField(
        "Final order the court made", widget=GovRadioInput(), choices=options(codes.ORDER_TYPES.items()),
        validators=[InputRequired(message="Select the final order the court made")],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"order_type": self.order_type.data}


class ReturnHomeForm(StepForm):
    date = GovDateField("Date the child returned home", "the date the child returned home")


class ReunificationReviewForm(StepForm):
    FIELDS = ("date", "reason")
    date = GovDateField("Date of the review", "the date of the review")
    reason = RadioField(
        "How is the return home going?", widget=GovRadioInput(), choices=options(codes.REUNIFICATION_OUTCOMES.items()),
        validators=[InputRequired(message="Select whether the child is stable at home or the return broke down")],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"reason": self.reason.data}


class CloseCaseForm(StepForm):
    FIELDS = ("date", "reason")
    date = GovDateField("Date the case closed", "the date the case closed")
    reason = TextAreaField(
        "Reason the case is closing", widget=GovTextArea(),
        validators=[DataRequired(message="Enter the reason the case is closing"),
                    Length(max=2000, message="The reason must be 2000 characters or fewer")],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"reason": self.reason.data.strip()}


STEP_FORMS: dict[str, type[StepForm]] = {
    "start_cp_plan": StartCpPlanForm,
    "end_cp_plan": EndCpPlanForm,
    "offer_fgc": OfferFgcForm,
    "fgc_accepted": FgcAcceptedForm,
    "hold_fgc": HoldFgcForm,
    "fgc_declined": FgcDeclinedForm,
    "send_letter_before_proceedings": LetterBeforeProceedingsForm,
    "accommodate_s20": AccommodateForm,
    "emergency_protection": EmergencyProtectionForm,
    "issue_proceedings": IssueProceedingsForm,
    "extend_timetable": ExtendTimetableForm,
    "final_order": FinalOrderForm,
    "return_home": ReturnHomeForm,
    "reunification_review": ReunificationReviewForm,
    "close_case": CloseCaseForm,
}
