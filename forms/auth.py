"""Sign-in and changing your own password."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, StopValidation

from pathway.auth.passwords import MAX_LENGTH, RULE, password_problem


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=MAX_LENGTH)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


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
    current = PasswordField("Current password", widget=GovPasswordInput(),
                            validators=[InputRequired(message="Enter your current password"), Length(max=MAX_LENGTH)])
    new = PasswordField("New password", widget=GovPasswordInput(), description=RULE,
                        validators=[InputRequired(message="Enter a new password"), GoodPassword()])
    confirm = PasswordField("Confirm the new password", widget=GovPasswordInput(),
                            validators=[InputRequired(message="Enter the new password again"),
                                        EqualTo("new", message="The two new passwords are not the same")])
    submit = SubmitField("Change the password", widget=GovSubmitInput())

    def __init__(self, *args, email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_address = email
