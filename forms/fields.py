"""Fields shared by Pathway's forms."""
from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation


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


class GovDateField(DateField):
    """A date in the GOV.UK date-input pattern (day, month, year boxes with the same name).

    `what` completes the GOV.UK messages: "Enter {what}", "{What} must be a real date"."""

    def __init__(self, label: str, what: str, description: str = "For example, 27 3 2026", **kwargs):
        self.what = what
        kwargs.setdefault("validators", [DateRequired(f"Enter {what}")])
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), description=description, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        # The widget shows what was typed: always three boxes, even if the form did not send them.
        self.raw_data = (list(valuelist or []) + ["", "", ""])[:3]
        if not valuelist or not any(v.strip() for v in valuelist):
            return
        parts = [v.strip() for v in valuelist] + ["", "", ""]
        day, month, year = parts[:3]
        what = self.what[0].upper() + self.what[1:]
        if not (day and month and year):
            missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
            raise ValueError(f"{what} must include a {' and '.join(missing)}")
        # isdecimal, not isdigit: "²" is a digit to Python but not a number; and a day or month
        # of more than 2 figures is never real (and would overflow the date constructor).
        if not (day.isdecimal() and month.isdecimal() and year.isdecimal()) or len(day) > 2 or len(month) > 2:
            raise ValueError(f"{what} must be a real date")
        if len(year) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValueError(f"{what} must be a real date") from None


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms SelectChoice options (tuple choices are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


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
            raise ValueError(f"{self.what[0].upper() + self.what[1:]} must be a whole number, like 4")
        self.data = int(text)
