"""The board page's choice of period and area (a GET form: it changes nothing, so no CSRF)."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired


class BoardReportForm(FlaskForm):
    class Meta:
        csrf = False

    period = SelectField("Period", widget=GovSelect(), choices=[],
                         description="Financial years run from April to March.",
                         validators=[InputRequired(message="Select a period")])
    area = SelectField("Area", widget=GovSelect(), choices=[],
                       validators=[InputRequired(message="Select an area")])
    submit = SubmitField("Show the figures", widget=GovSubmitInput())
