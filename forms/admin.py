"""Forms for administrators: users, local authorities and teams."""
from flask_babel import lazy_gettext as _l
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
    name = StringField(_l("Full name"), widget=GovTextInput(),
                       validators=[DataRequired(message=_l("Enter the person's full name")), Length(max=120)])
    email = StringField(
        _l("Email address"), widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the person's email address")),
                    Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address in the correct format, like name@example.gov.uk"))],
    )  # fmt: skip
    role = RadioField(_l("Role"), widget=GovRadioInput(), choices=options(ROLE_LABELS.items()),
                      validators=[InputRequired(message=_l("Select the person's role"))])
    la = SelectField(_l("Local authority"), widget=GovSelect(), choices=[],
                     description=_l("For social workers and team managers."), validators=[Optional()])
    team = SelectField(_l("Team"), widget=GovSelect(), choices=[], description=_l("Optional."), validators=[Optional()])
    dfj_area = SelectField(_l("Designated family judge area"), widget=GovSelect(), choices=[],
                           description=_l("For family justice board members."), validators=[Optional()])
    password = PasswordField(
        _l("Password"), widget=GovPasswordInput(), description=_l("%(rule)s Give it to the person in a secure way.", rule=RULE),
        validators=[DataRequired(message=_l("Enter a password")), GoodPassword("email")],
    )  # fmt: skip
    submit = SubmitField(_l("Add the user"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    """An administrator sets a new password for someone (who has forgotten theirs)."""

    password = PasswordField(
        _l("New password"), widget=GovPasswordInput(),
        description=_l("%(rule)s Give it to the person in a secure way. Their sessions end.", rule=RULE),
        validators=[DataRequired(message=_l("Enter a new password")), Length(max=MAX_LENGTH), GoodPassword()],
    )  # fmt: skip
    submit = SubmitField(_l("Reset the password"), widget=GovSubmitInput())

    def __init__(self, *args, email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_address = email


class UserActionForm(FlaskForm):
    """A button with nothing to fill in (end sessions, deactivate, reactivate): the CSRF token."""


class AuthorityForm(FlaskForm):
    code = StringField(_l("Code"), widget=GovTextInput(), description=_l("For example, E09000022"),
                       validators=[DataRequired(message=_l("Enter the authority's code")), Length(max=16)])
    name = StringField(_l("Name"), widget=GovTextInput(),
                       validators=[DataRequired(message=_l("Enter the authority's name")), Length(max=120)])
    nation = RadioField(_l("Nation"), widget=GovRadioInput(), choices=options(codes.NATIONS.items()),
                        validators=[InputRequired(message=_l("Select England or Wales"))])
    dfj_area = StringField(_l("Designated family judge area"), widget=GovTextInput(),
                           validators=[DataRequired(message=_l("Enter the designated family judge area")), Length(max=120)])
    submit = SubmitField(_l("Add the authority"), widget=GovSubmitInput())


class TeamForm(FlaskForm):
    la = SelectField(_l("Local authority"), widget=GovSelect(), choices=[],
                     validators=[DataRequired(message=_l("Select the local authority"))])
    name = StringField(_l("Team name"), widget=GovTextInput(),
                       validators=[DataRequired(message=_l("Enter the team's name")), Length(max=120)])
    submit = SubmitField(_l("Add the team"), widget=GovSubmitInput())
