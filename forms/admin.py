"""Forms for administrators: users, local authorities and teams."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from pathway import codes
from pathway.auth.passwords import MAX_LENGTH, RULE

from .auth import GoodPassword
from pathway.permissions import ROLE_LABELS

from forms.fields import options


class UserForm(FlaskForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired(message="Enter the person's full name"), Length(max=120)])
    email = StringField(
        "Email address", widget=GovTextInput(),
        validators=[DataRequired(message="Enter the person's email address"),
                    Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address in the correct format, like name@example.gov.uk")],
    )  # fmt: skip
    role = RadioField("Role", widget=GovRadioInput(), choices=options(ROLE_LABELS.items()),
                      validators=[InputRequired(message="Select the person's role")])
    la = SelectField("Local authority", widget=GovSelect(), choices=[],
                     description="For social workers and team managers.", validators=[Optional()])
    team = SelectField("Team", widget=GovSelect(), choices=[], description="Optional.", validators=[Optional()])
    dfj_area = SelectField("Designated family judge area", widget=GovSelect(), choices=[],
                           description="For family justice board members.", validators=[Optional()])
    password = PasswordField(
        "Password", widget=GovPasswordInput(), description=f"{RULE} Give it to the person in a secure way.",
        validators=[DataRequired(message="Enter a password"), GoodPassword("email")],
    )  # fmt: skip
    submit = SubmitField("Add the user", widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    """An administrator sets a new password for someone (who has forgotten theirs)."""

    password = PasswordField(
        "New password", widget=GovPasswordInput(),
        description=f"{RULE} Give it to the person in a secure way. Their sessions end.",
        validators=[DataRequired(message="Enter a new password"), Length(max=MAX_LENGTH), GoodPassword()],
    )  # fmt: skip
    submit = SubmitField("Reset the password", widget=GovSubmitInput())

    def __init__(self, *args, email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_address = email


class UserActionForm(FlaskForm):
    """A button with nothing to fill in (end sessions, deactivate, reactivate): the CSRF token."""


class AuthorityForm(FlaskForm):
    code = StringField("Code", widget=GovTextInput(), description="For example, E09000022",
                       validators=[DataRequired(message="Enter the authority's code"), Length(max=16)])
    name = StringField("Name", widget=GovTextInput(),
                       validators=[DataRequired(message="Enter the authority's name"), Length(max=120)])
    nation = RadioField("Nation", widget=GovRadioInput(), choices=options(codes.NATIONS.items()),
                        validators=[InputRequired(message="Select England or Wales")])
    dfj_area = StringField("Designated family judge area", widget=GovTextInput(),
                           validators=[DataRequired(message="Enter the designated family judge area"), Length(max=120)])
    submit = SubmitField("Add the authority", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    la = SelectField("Local authority", widget=GovSelect(), choices=[],
                     validators=[DataRequired(message="Select the local authority")])
    name = StringField("Team name", widget=GovTextInput(),
                       validators=[DataRequired(message="Enter the team's name"), Length(max=120)])
    submit = SubmitField("Add the team", widget=GovSubmitInput())
