"""The board page's choice of period and area (a GET form: it changes nothing, so no CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired


class BoardReportForm(FlaskForm):
    class Meta:
        csrf = False

    period = SelectField(_l("Period"), widget=GovSelect(), choices=[],
                         description=_l("Financial years run from April to March."),
                         validators=[InputRequired(message=_l("Select a period"))])
    area = SelectField(_l("Area"), widget=GovSelect(), choices=[],
                       validators=[InputRequired(message=_l("Select an area"))])
    submit = SubmitField(_l("Show the figures"), widget=GovSubmitInput())
