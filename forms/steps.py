"""One form per step of the pathway, in GOV.UK wording.

Each step form lists the fields it shows (`FIELDS`, in page order) and turns its data into the
fields of a `workflow.PathwayEvent` (`event_fields`). The hidden `version` is the family's
version when the page was loaded: the service refuses the step if someone changed the family
meanwhile. Gates (FGC before care, consent, letter before proceedings...) are not repeated here:
the workflow checks them and the page shows its reasons against these fields.
"""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext as _l
from flask_babel.speaklater import LazyString
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from pathway import codes
from pathway.messages import N_

from .fields import GovDateField, NotFormula, WholeNumberField, options

REF = [Length(max=64, message=_l("A reference must be 64 characters or fewer")), NotFormula()]


def exception_field():
    return TextAreaField(
        _l("Reason for going ahead without the usual step (optional)"),
        widget=GovTextArea(),
        description=(
            _l("Only if the child could not wait: for example why the family could not be offered a family "
            "group conference first, or why proceedings were issued without a letter before proceedings. "
            "Say who decided, when and why.")
        ),
        validators=[Optional(), Length(max=2000, message=_l("The reason must be 2000 characters or fewer"))],
    )


def decided_by_field():
    return StringField(
        _l("Who decided (name and role)"), widget=GovTextInput(),
        description=_l("Needed with a reason above: the person who decided the child could not wait, or that "
                    "offering a family group decision-making meeting would not be in the child's best interests."),
        # No Optional(): it would stop the check that a reason comes with who decided.
        validators=[Length(max=200, message=_l("Who decided must be 200 characters or fewer"))],
    )  # fmt: skip


def _people(state, refs, names):
    return options(((ref, f"{names[ref]} ({ref})" if names.get(ref) else ref) for ref in sorted(refs)), translate=False)


def _offered_to_field(label: str, description: str):
    return SelectMultipleField(label, widget=GovCheckboxesInput(), choices=[], description=description,
                               validate_choice=True)


class ExceptionDecision:
    """A reason for going ahead without the usual step needs who decided (forms only: an imported
    row without it is accepted and listed for managers to complete)."""

    def validate_decided_by(self, field) -> None:
        if (self.exception.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Enter who decided, with their role"))

    def decision_fields(self) -> dict:
        exception = (self.exception.data or "").strip() or None
        decided_by = (self.decided_by.data or "").strip() or None
        return {"exception": exception, "decided_by": decided_by if exception else None}


class StepForm(FlaskForm):
    """A step recorded against a family, a child or proceedings."""

    FIELDS: tuple[str, ...] = ("date",)
    version = HiddenField()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def event_fields(self) -> dict:
        return {}

    def prepare(self, state, child_ref: str | None, names: dict[str, str]) -> None:
        """Fill choices that depend on the family (its people): `state` is the family's replayed
        state (workflow.FamilyCase), `names` the names recorded for its people."""
        return None

    def adapt(self, nation: str) -> None:
        """Use the nation's terms (Wales: section 76, care and support protection plan)."""
        if nation != "wales":
            return
        for name in self.FIELDS:
            field = self[name]
            field.label.text = _welsh(field.label.text)
            if field.description:
                field.description = _welsh(field.description)


def _welsh_terms(text: str) -> str:
    return text.replace("child protection plan", "care and support protection plan").replace(
        "section 20", "section 76"
    )


def _welsh(text):
    """A label or hint in the terms of Wales; a translatable one stays translatable (its Wales
    wording is a message of its own, listed in WALES_WORDING)."""
    if isinstance(text, LazyString) and text._args:
        msgid = text._args[0]
        wales = _welsh_terms(msgid)
        return text if wales == msgid else _l(wales, **text._kwargs)
    return _welsh_terms(str(text))


# The Wales wording `adapt` gives these forms' labels and hints, for the catalogue
# (tests/test_refusals_cy.py checks the list is complete).
WALES_WORDING = (
    N_("Date the care and support protection plan started"),
    N_("the date the care and support protection plan started"),
    N_("Date the care and support protection plan ended"),
    N_("the date the care and support protection plan ended"),
    # Translators: translator-check: section 76 (adran 76), Social Services and Well-being (Wales) Act 2014
    N_("Under section 76 a person with parental responsibility may remove the child at any time. A child of 16 "
       "or over can agree for themselves."),
    # Translators: translator-check: section 76(8) as the form has always said; check the subsection
    N_("Any person with parental responsibility may remove the child at any time (section 76(8))."),
    N_("A step down takes each child at the pre-proceedings stage back to their care and support protection "
       "plan, or to early help if they are not on one."),
)


def _sex_field():
    return RadioField(
        _l("Sex"), widget=GovRadioInput(), choices=options(codes.SEXES.items()),
        validators=[InputRequired(message=_l("Select the child's sex"))],
    )  # fmt: skip


def _ethnicity_field():
    return SelectField(
        _l("Ethnicity"), widget=GovSelect(), choices=options([("", _l("Choose ethnicity")), *codes.ETHNICITIES.items()]),
        description=_l("As recorded for the children looked after and children in need returns. Choose "
                    "'Information not yet obtained' if you do not know yet."),
        validators=[DataRequired(message=_l("Select the child's ethnicity"))],
    )  # fmt: skip


def _child_ref_field():
    return StringField(
        _l("Child's reference"), widget=GovTextInput(),
        description=_l("The child's reference in your case management system. Do not enter the child's name."),
        validators=[DataRequired(message=_l("Enter the child's reference")), *REF],
    )  # fmt: skip


def _dob_field():
    return GovDateField(
        _l("Date of birth"), _l("the child's date of birth"),
        description=_l("For an unborn baby, enter the expected date of birth. For example, 27 3 2019"),
    )  # fmt: skip


def _opened_field():
    return GovDateField(_l("Date the case was opened"), _l("the date the case was opened"))


class NewFamilyForm(StepForm):
    """A new family: the first child's case is opened."""

    FIELDS = ("family_ref", "child_ref", "dob", "sex", "ethnicity", "date")
    family_ref = StringField(
        _l("Family reference"), widget=GovTextInput(),
        description=_l("Your authority's reference for the family or household. Do not enter names."),
        validators=[DataRequired(message=_l("Enter the family reference")), *REF],
    )  # fmt: skip
    child_ref = _child_ref_field()
    dob = _dob_field()
    sex = _sex_field()
    ethnicity = _ethnicity_field()
    date = _opened_field()
    submit = SubmitField(_l("Open the case"), widget=GovSubmitInput())

    def event_fields(self) -> dict:
        return {"child_ref": self.child_ref.data.strip(), "dob": self.dob.data, "sex": self.sex.data,
                "ethnicity": self.ethnicity.data}


class AddChildForm(NewFamilyForm):
    """Another child in a family already open."""

    FIELDS = ("child_ref", "dob", "sex", "ethnicity", "date")
    family_ref = None
    submit = SubmitField(_l("Add the child"), widget=GovSubmitInput())


class StartCpPlanForm(StepForm):
    date = GovDateField(_l("Date the child protection plan started"), _l("the date the child protection plan started"))


class EndCpPlanForm(StepForm):
    date = GovDateField(_l("Date the child protection plan ended"), _l("the date the child protection plan ended"))


class OfferFgcForm(StepForm):
    FIELDS = ("date", "offered_to")
    date = GovDateField(_l("Date the family group conference was offered"),
                        _l("the date the family group conference was offered"))
    offered_to = _offered_to_field(
        _l("Who was it offered to?"),
        _l("Leave every box unticked to record an offer to everyone with parental responsibility on that day."),
    )

    def prepare(self, state, child_ref, names) -> None:
        self.offered_to.choices = _people(state, state.people if state else (), names)
        if not self.offered_to.choices:
            self.FIELDS = ("date",)

    def event_fields(self) -> dict:
        return {"offered_to": tuple(self.offered_to.data or ()) or None}


class FgcAcceptedForm(StepForm):
    date = GovDateField(_l("Date the family accepted the conference"), _l("the date the family accepted the conference"))


class HoldFgcForm(StepForm):
    FIELDS = ("date", "invited", "attended", "private_family_time")
    date = GovDateField(_l("Date the family group conference was held"), _l("the date the conference was held"))
    # FGC service (issue 13): who was invited and who came, and private family time.
    invited = _offered_to_field(_l("Who was invited?"), _l("The people from the family network invited to the conference."))
    attended = _offered_to_field(_l("Who came?"), _l("Only people who were invited."))
    private_family_time = RadioField(
        _l("Did the family have private family time?"), widget=GovRadioInput(), choices=options(codes.YES_NO.items()),
        description=_l("The part of the conference where the family makes its plan without professionals."),
        validators=[InputRequired(message=_l("Select whether the family had private family time"))],
    )  # fmt: skip

    def prepare(self, state, child_ref, names) -> None:
        self.invited.choices = _people(state, state.people if state else (), names)
        self.attended.choices = _people(state, state.people if state else (), names)
        if not self.invited.choices:
            self.FIELDS = ("date", "private_family_time")

    def event_fields(self) -> dict:
        return {"invited": tuple(self.invited.data or ()) or None, "attended": tuple(self.attended.data or ()) or None,
                "private_family_time": self.private_family_time.data}


class FgcDeclinedForm(StepForm):
    date = GovDateField(_l("Date the family declined the conference"), _l("the date the family declined the conference"))


class LetterBeforeProceedingsForm(StepForm):
    FIELDS = ("date", "offered_to")
    date = GovDateField(_l("Date the letter before proceedings was sent"), _l("the date the letter was sent"))
    offered_to = _offered_to_field(
        _l("Who did the letter offer a family group decision-making meeting to?"),
        _l("In England the offer goes in the letter, to the parents and everyone with parental responsibility "
        "(Children Act 1989 section 31ZA). Leave every box unticked if the letter did not carry the offer."),
    )

    def prepare(self, state, child_ref, names) -> None:
        self.offered_to.choices = _people(state, state.people if state else (), names)
        if not self.offered_to.choices:
            self.FIELDS = ("date",)
        elif not self.is_submitted():
            self.offered_to.data = sorted({r for c in state.open_children() for r in c.pr_holders()})

    def event_fields(self) -> dict:
        return {"offered_to": tuple(self.offered_to.data or ()) or None}


class AccommodateForm(ExceptionDecision, StepForm):
    FIELDS = ("date", "consent_by", "exception", "decided_by")
    date = GovDateField(_l("Date the child was accommodated"), _l("the date the child was accommodated"))
    consent_by = RadioField(
        _l("Who agreed to the accommodation?"), widget=GovRadioInput(), choices=options(codes.CONSENT_BY.items()),
        description=_l("Under section 20 a person with parental responsibility may remove the child at any time. "
                    "A child of 16 or over can agree for themselves."),
        validators=[InputRequired(message=_l("Select who agreed to the accommodation"))],
    )  # fmt: skip
    exception = exception_field()
    decided_by = decided_by_field()

    def prepare(self, state, child_ref, names) -> None:
        child = state.children.get(child_ref) if state else None
        if child is not None and child.relations:
            self.consent_by.choices = _people(state, child.pr_holders(), names) + options([("child", codes.CONSENT_BY["child"])])

    def event_fields(self) -> dict:
        return {"consent_by": self.consent_by.data, **self.decision_fields()}


class EmergencyProtectionForm(StepForm):
    FIELDS = ("date", "emergency_type", "end_date")
    date = GovDateField(_l("Date the emergency protection started"), _l("the date the emergency protection started"))
    emergency_type = RadioField(
        _l("Kind of emergency protection"), widget=GovRadioInput(), choices=options(codes.EMERGENCY_TYPES.items()),
        validators=[InputRequired(message=_l("Select the kind of emergency protection"))],
    )  # fmt: skip
    end_date = GovDateField(
        _l("Date the emergency protection order ends (orders only)"), _l("the date the order ends"),
        description=_l("At most 8 days, the day it was made counting as day 1. Leave blank for police protection "
                    "(it ends on the third day after it began)."), validators=[Optional()],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"emergency_type": self.emergency_type.data, "end_date": self.end_date.data}


class ExtendEpoForm(StepForm):
    FIELDS = ("date", "end_date")
    date = GovDateField(_l("Date the court extended the order"), _l("the date the court extended the order"))
    end_date = GovDateField(_l("New end date"), _l("the new end date"), description=_l("Up to 7 days after the current end date."))

    def event_fields(self) -> dict:
        return {"end_date": self.end_date.data}


class InterimOrderForm(StepForm):
    FIELDS = ("date", "order_type")
    date = GovDateField(_l("Date of the interim order"), _l("the date of the interim order"))
    order_type = RadioField(
        _l("Interim order the court made"), widget=GovRadioInput(), choices=options(codes.INTERIM_ORDER_TYPES.items()),
        validators=[InputRequired(message=_l("Select the interim order the court made"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"order_type": self.order_type.data}


class StrategyDiscussionForm(StepForm):
    date = GovDateField(_l("Date of the strategy discussion"), _l("the date of the strategy discussion"),
                        description=_l("It starts the section 47 enquiry: the initial conference is due within 15 "
                                    "working days. For example, 27 3 2026"))


class InitialCpConferenceForm(StepForm):
    FIELDS = ("date", "outcome")
    date = GovDateField(_l("Date of the initial child protection conference"), _l("the date of the conference"))
    outcome = RadioField(
        _l("Outcome of the conference"), widget=GovRadioInput(), choices=options(codes.CP_CONFERENCE_OUTCOMES.items()),
        validators=[InputRequired(message=_l("Select the outcome of the conference"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"outcome": self.outcome.data}


class CpReviewConferenceForm(StepForm):
    date = GovDateField(_l("Date of the review conference"), _l("the date of the review conference"))


class IssueProceedingsForm(ExceptionDecision, StepForm):
    FIELDS = ("date", "proceedings_ref", "also", "exception", "decided_by")
    date = GovDateField(_l("Date the application was issued"), _l("the date the application was issued"),
                        description=_l("Day 1 of the 26 weeks. For example, 27 3 2026"))
    proceedings_ref = StringField(
        _l("Court case number"), widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the court's case number for these proceedings")), *REF],
    )  # fmt: skip
    also = SelectMultipleField(
        _l("Other children in the same application"), widget=GovCheckboxesInput(), choices=[],
        description=_l("Select any brothers or sisters the application also covers."), validate_choice=True,
    )  # fmt: skip
    exception = exception_field()
    decided_by = decided_by_field()

    def event_fields(self) -> dict:
        return {"proceedings_ref": self.proceedings_ref.data.strip(), **self.decision_fields()}


class ExtendTimetableForm(StepForm):
    FIELDS = ("date", "weeks", "reason", "child_ref")
    date = GovDateField(_l("Date the court granted the extension"), _l("the date the court granted the extension"))
    weeks = WholeNumberField(
        _l("Length of the extension in weeks"), _l("the length of the extension in weeks"),
        widget=GovTextInput(),
        description=_l("Each extension is up to 8 weeks."),
        validators=[InputRequired(message=_l("Enter the number of weeks")),
                    NumberRange(1, 8, message=_l("An extension must be from 1 to 8 weeks"))],
    )  # fmt: skip
    reason = SelectField(
        _l("Reason the court gave"), widget=GovSelect(),
        choices=options([("", _l("Choose a reason"))] + [
            (code, LazyString(lambda label=label, category=category:
                              f"{gettext(label)}: {gettext(codes.EXTENSION_CATEGORIES[category]).lower()}"))
            for code, (label, category) in codes.EXTENSION_REASONS.items()
        ]),
        validators=[DataRequired(message=_l("Select the reason the court gave for the extension"))],
    )  # fmt: skip

    child_ref = SelectField(
        _l("For which child"), widget=GovSelect(), choices=options([("", _l("Every child of the proceedings"))]),
        description=_l("The court may extend the timetable for some children only."), validators=[Optional()],
    )  # fmt: skip

    def parties(self, child_refs: list[str]) -> None:
        self.child_ref.choices = options([("", _l("Every child of the proceedings"))] + [(r, _l("Child %(child)s", child=r)) for r in child_refs])
        if len(child_refs) < 2:
            self.FIELDS = ("date", "weeks", "reason")

    def event_fields(self) -> dict:
        return {"weeks": self.weeks.data, "reason": self.reason.data}

    def child(self) -> str | None:
        return self.child_ref.data or None


class FinalOrderForm(StepForm):
    FIELDS = ("date", "order_type", "person_ref")
    date = GovDateField(_l("Date of the final order"), _l("the date of the final order"))
    order_type = RadioField(
        _l("Final order the court made"), widget=GovRadioInput(), choices=options(codes.ORDER_TYPES.items()),
        validators=[InputRequired(message=_l("Select the final order the court made"))],
    )  # fmt: skip
    person_ref = SelectField(
        _l("Who the child is to live with (special guardianship or child arrangements order)"), widget=GovSelect(),
        choices=options([("", _l("Not applicable"))]), validators=[Optional()],
    )  # fmt: skip

    def prepare(self, state, child_ref, names) -> None:
        self.person_ref.choices = options([("", _l("Not applicable"))]) + _people(state, state.people if state else (), names)
        if len(self.person_ref.choices) == 1:
            self.FIELDS = ("date", "order_type")

    def event_fields(self) -> dict:
        return {"order_type": self.order_type.data, "person_ref": self.person_ref.data or None}


class ReturnHomeForm(StepForm):
    date = GovDateField(_l("Date the child returned home"), _l("the date the child returned home"))


class RemoveFromAccommodationForm(StepForm):
    FIELDS = ("person_ref", "date")
    person_ref = RadioField(
        _l("Who removed the child from accommodation?"), widget=GovRadioInput(), choices=[],
        description=_l("Any person with parental responsibility may remove the child at any time (section 20(8))."),
        validators=[InputRequired(message=_l("Select who removed the child"))],
    )  # fmt: skip
    date = GovDateField(_l("Date the child left accommodation"), _l("the date the child left accommodation"))

    def prepare(self, state, child_ref, names) -> None:
        child = state.children.get(child_ref) if state else None
        self.person_ref.choices = _people(state, child.pr_holders() if child else [], names)

    def event_fields(self) -> dict:
        return {"person_ref": self.person_ref.data}


class ReunificationReviewForm(StepForm):
    FIELDS = ("date", "reason")
    date = GovDateField(_l("Date of the review"), _l("the date of the review"))
    reason = RadioField(
        _l("How is the return home going?"), widget=GovRadioInput(), choices=options(codes.REUNIFICATION_OUTCOMES.items()),
        validators=[InputRequired(message=_l("Select whether the child is stable at home or the return broke down"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"reason": self.reason.data}


class CloseCaseForm(StepForm):
    FIELDS = ("date", "reason")
    date = GovDateField(_l("Date the case closed"), _l("the date the case closed"))
    reason = TextAreaField(
        _l("Reason the case is closing"), widget=GovTextArea(),
        validators=[DataRequired(message=_l("Enter the reason the case is closing")),
                    Length(max=2000, message=_l("The reason must be 2000 characters or fewer"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"reason": self.reason.data.strip()}


# FGC service (issue 13).


class ReferFgcForm(StepForm):
    FIELDS = ("date", "reason")
    date = GovDateField(_l("Date of the referral to the FGC service"), _l("the date of the referral"))
    reason = TextAreaField(
        _l("What are the concerns?"), widget=GovTextArea(),
        description=_l("What the coordinator needs to know to prepare the conference with the family. "
                    "Use references, not names."),
        validators=[DataRequired(message=_l("Enter the concerns that led to the referral")),
                    Length(max=2000, message=_l("The concerns must be 2000 characters or fewer"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"reason": self.reason.data.strip()}


class AllocateFgcCoordinatorForm(StepForm):
    FIELDS = ("coordinator", "date")
    coordinator = RadioField(_l("Which coordinator?"), widget=GovRadioInput(), choices=[],
                             validators=[InputRequired(message=_l("Select the coordinator"))])
    date = GovDateField(_l("Date the coordinator was allocated"), _l("the date the coordinator was allocated"))

    def coordinators(self, users) -> None:
        """The authority's active FGC coordinators (chosen by the view, which knows the users)."""
        self.coordinator.choices = options(((u.email, f"{u.name} ({u.email})") for u in users), translate=False)

    def event_fields(self) -> dict:
        return {"coordinator": self.coordinator.data}


class DecideFgcPlanForm(StepForm):
    FIELDS = ("date", "outcome", "reason")
    date = GovDateField(_l("Date of the decision"), _l("the date of the decision"))
    outcome = RadioField(_l("Does the authority accept the family's plan?"), widget=GovRadioInput(),
                         choices=options(codes.FGC_PLAN_OUTCOMES.items()),
                         validators=[InputRequired(message=_l("Select whether the authority accepts the plan"))])
    reason = TextAreaField(
        _l("If not, why not?"), widget=GovTextArea(), description=_l("What in the plan leaves the child unsafe."),
        validators=[Optional(), Length(max=2000, message=_l("The reason must be 2000 characters or fewer"))],
    )  # fmt: skip

    def validate_reason(self, field) -> None:
        if self.outcome.data == "not_accepted" and not (field.data or "").strip():
            raise ValidationError(_l("Say why the family's plan is not accepted"))

    def event_fields(self) -> dict:
        return {"outcome": self.outcome.data,
                "reason": (self.reason.data or "").strip() or None if self.outcome.data == "not_accepted" else None}


class ReviewFgcForm(StepForm):
    date = GovDateField(_l("Date of the review conference"), _l("the date of the review conference"))


class CloseFgcForm(StepForm):
    FIELDS = ("date", "reason")
    date = GovDateField(_l("Date the conference was closed"), _l("the date the conference was closed"))
    reason = RadioField(_l("Why is it closing?"), widget=GovRadioInput(), choices=options(codes.FGC_CLOSE_REASONS.items()),
                        validators=[InputRequired(message=_l("Select why the conference is closing"))])

    def event_fields(self) -> dict:
        return {"reason": self.reason.data}


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
    "remove_from_accommodation": RemoveFromAccommodationForm,
    "extend_epo": ExtendEpoForm,
    "interim_order": InterimOrderForm,
    "strategy_discussion": StrategyDiscussionForm,
    "initial_cp_conference": InitialCpConferenceForm,
    "cp_review_conference": CpReviewConferenceForm,
    # FGC service (issue 13).
    "refer_fgc": ReferFgcForm,
    "allocate_fgc_coordinator": AllocateFgcCoordinatorForm,
    "decide_fgc_plan": DecideFgcPlanForm,
    "review_fgc": ReviewFgcForm,
    "close_fgc": CloseFgcForm,
}


class HeardInFdacForm(StepForm):
    date = GovDateField(_l("Date the proceedings moved to a Family Drug and Alcohol Court"),
                        _l("the date the proceedings moved to the court"))


# Children in Need census module 5 (issue 16): the pre-proceedings steps, recorded for the family.
class DecidePreProceedingsForm(StepForm):
    date = GovDateField(_l("Date of the legal planning meeting that decided to start pre-proceedings"),
                        _l("the date of the legal planning meeting"))


class PreProceedingsMeetingForm(StepForm):
    FIELDS = ("date", "outcome")
    date = GovDateField(_l("Date of the pre-proceedings meeting"), _l("the date of the meeting"))
    outcome = RadioField(
        _l("Which meeting was it?"), widget=GovRadioInput(),
        choices=options(codes.PRE_PROCEEDINGS_MEETING_OUTCOMES.items()),
        validators=[InputRequired(message=_l("Select whether this was the initial meeting or a review"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"outcome": self.outcome.data}


class PreProceedingsDecisionForm(StepForm):
    FIELDS = ("date", "outcome")
    date = GovDateField(_l("Date of the decision"), _l("the date of the decision"))
    outcome = RadioField(
        _l("What was decided?"), widget=GovRadioInput(), choices=options(codes.PRE_PROCEEDINGS_DECISIONS.items()),
        description=_l("A step down takes each child at the pre-proceedings stage back to their child protection "
                    "plan, or to early help if they are not on one."),
        validators=[InputRequired(message=_l("Select whether the decision was to issue proceedings or to step down"))],
    )  # fmt: skip

    def event_fields(self) -> dict:
        return {"outcome": self.outcome.data}


class LetterToIssueForm(StepForm):
    date = GovDateField(_l("Date the letter to issue proceedings was sent"), _l("the date the letter was sent"))


STEP_FORMS.update({
    "decide_pre_proceedings": DecidePreProceedingsForm,
    "pre_proceedings_meeting": PreProceedingsMeetingForm,
    "pre_proceedings_decision": PreProceedingsDecisionForm,
    "send_letter_to_issue": LetterToIssueForm,
})
