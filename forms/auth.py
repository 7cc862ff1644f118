"""Sign-in and changing your own password."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, StopValidation

from pathway.auth.passwords import MAX_LENGTH, RULE, password_problem


class SignInForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password")), Length(max=MAX_LENGTH)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class GoodPassword:
    """The one password rule (pathway.auth.passwords), for the person whose email address is in
    the form's `email_field`, or given to the form as `email`."""

    def __init__(self, email_field: str | None = None):
        self.email_field = email_field

    def __call__(self, form, field):
        email = form[self.email_field].data if self.email_field else getattr(form, "email_address", None)
        problem = password_problem(field.data or "", email)
        if problem:
            raise StopValidation(problem)


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), widget=GovPasswordInput(),
                            validators=[InputRequired(message=_l("Enter your current password")), Length(max=MAX_LENGTH)])
    new = PasswordField(_l("New password"), widget=GovPasswordInput(), description=RULE,
                        validators=[InputRequired(message=_l("Enter a new password")), GoodPassword()])
    confirm = PasswordField(_l("Confirm the new password"), widget=GovPasswordInput(),
                            validators=[InputRequired(message=_l("Enter the new password again")),
                                        EqualTo("new", message=_l("The two new passwords are not the same"))])
    submit = SubmitField(_l("Change the password"), widget=GovSubmitInput())

    def __init__(self, *args, email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_address = email
