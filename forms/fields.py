"""Fields shared by Pathway's forms."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext, lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from pathway.messages import N_


class NotFormula:
    """A reference is a code: refused if it starts like a spreadsheet formula (=, +, -, @...)."""

    def __init__(self, what: str = "A reference"):
        self.what = what

    def __call__(self, form, field):
        from pathway.csv_safety import reference_problem

        problem = reference_problem((field.data or "").strip(), self.what)
        if problem:
            raise StopValidation(problem)


class DateRequired:
    """Like DataRequired, but a date that was typed and is not a real date keeps its own message."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(self.message)


# The labels of the three boxes (the widget's own are English only): GOV.UK's Welsh is
# Diwrnod, Mis, Blwyddyn.
DATE_PARTS = {"Day": N_("Day"), "Month": N_("Month"), "Year": N_("Year")}


class TranslatedDateInput(GovDateInput):
    """GOV.UK date input whose Day, Month and Year labels follow the reader's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item in params.get("items", []):
            if item.get("label") in DATE_PARTS:
                item["label"] = gettext(DATE_PARTS[item["label"]])
        return params


def _capital(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


# What a date typed in part lacks: (day, month, year) present or not -> the message.
_MISSING_PARTS = {
    # Translators: translator-check: GOV.UK Welsh date error pattern with the field name first
    (False, True, True): N_("%(what)s must include a day"),
    (True, False, True): N_("%(what)s must include a month"),
    (True, True, False): N_("%(what)s must include a year"),
    (False, False, True): N_("%(what)s must include a day and month"),
    (False, True, False): N_("%(what)s must include a day and year"),
    (True, False, False): N_("%(what)s must include a month and year"),
}


class GovDateField(DateField):
    """A date in the GOV.UK date-input pattern (day, month, year boxes with the same name).

    `what` completes the GOV.UK messages: "Enter {what}", "{What} must be a real date"."""

    def __init__(self, label: str, what: str, description: str = _l("For example, 27 3 2026"), **kwargs):
        self.what = what
        # Translators: translator-check: "Rhowch %(what)s": the field names need a soft mutation after Rhowch
        kwargs.setdefault("validators", [DateRequired(_l("Enter %(what)s", what=what))])
        super().__init__(label, format="%d %m %Y", widget=TranslatedDateInput(), description=description, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        # The widget shows what was typed: always three boxes, even if the form did not send them.
        self.raw_data = (list(valuelist or []) + ["", "", ""])[:3]
        if not valuelist or not any(v.strip() for v in valuelist):
            return
        parts = [v.strip() for v in valuelist] + ["", "", ""]
        day, month, year = parts[:3]
        what = _capital(self.what)
        if not (day and month and year):
            raise ValueError(gettext(_MISSING_PARTS[(bool(day), bool(month), bool(year))], what=what))
        # isdecimal, not isdigit: "²" is a digit to Python but not a number; and a day or month
        # of more than 2 figures is never real (and would overflow the date constructor).
        if not (day.isdecimal() and month.isdecimal() and year.isdecimal()) or len(day) > 2 or len(month) > 2:
            raise ValueError(gettext("%(what)s must be a real date", what=what))
        if len(year) != 4:
            raise ValueError(gettext("Year must include 4 numbers"))
        try:
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValueError(gettext("%(what)s must be a real date", what=what)) from None


def options(pairs, translate: bool = True) -> list[SelectChoice]:
    """(value, label) pairs as WTForms SelectChoice options (tuple choices are deprecated). Labels
    are shown in the reader's language (a code's label from pathway.codes, or one marked in the
    form); `translate=False` for labels that are data (names, references, e-mail addresses)."""
    return [SelectChoice(value, _l(label) if translate and isinstance(label, str) and label else label)
            for value, label in pairs]


class WholeNumberField(IntegerField):
    """A whole number typed in a text box, with a GOV.UK message (not "Not a valid integer value")."""

    def __init__(self, label: str, what: str, **kwargs):
        self.what = what
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            return
        if not text.isdigit():
            raise ValueError(gettext("%(what)s must be a whole number, like 4", what=_capital(self.what)))
        self.data = int(text)
