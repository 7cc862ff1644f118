"""The social workers' pages: my families, a family, and one form per step of the pathway.

Views are thin: they check who may see the family (pathway.permissions), collect a form, and
hand the step to `services.record_step`, which applies the pathway's gates. A refusal is shown
in the error summary against the field it concerns, and nothing is written.
"""
from flask import Blueprint

bp = Blueprint("families", __name__, url_prefix="/families")

from . import views  # noqa: E402,F401
from . import network  # noqa: E402,F401  (the family network pages, issue 9)
