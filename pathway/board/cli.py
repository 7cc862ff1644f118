"""`flask --app wsgi report timeliness`: the board report, unsuppressed, for the server operator."""
from __future__ import annotations

import io
import json

import click

from .. import codes
from ..csv_safety import SafeWriter
from ..extensions import db
from ..reports import flat_rows, timeliness


@click.group("report")
def report() -> None:
    """Family Justice Board reports (every figure, unsuppressed: for the server operator only)."""


@report.command("timeliness")
@click.option("--from", "date_from", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "date_to", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day of the period (YYYY-MM-DD), included.")
@click.option("--la", "la_code", default=None, help="One local authority's code.")
@click.option("--dfj-area", default=None, help="One designated family judge area.")
@click.option("--nation", default=None, type=click.Choice(list(codes.NATIONS)))
@click.option("--format", "output", default="json", show_default=True, type=click.Choice(["json", "csv"]))
def timeliness_command(date_from, date_to, la_code, dfj_area, nation, output) -> None:
    """Timeliness of care proceedings, extensions, orders and entries into care for a period."""
    if date_to < date_from:
        raise click.BadParameter("the period ends before it starts", param_hint="--to")
    try:
        figures = timeliness(db.session, date_from.date(), date_to.date(), la_code=la_code,
                             dfj_area=dfj_area, nation=nation)
    except LookupError as e:
        raise click.ClickException(str(e)) from None
    if output == "json":
        click.echo(json.dumps(figures, indent=2))
        return
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["figure", "value"])
    for name, value in flat_rows(figures):
        writer.writerow([name, "" if value is None else value])
    click.echo(out.getvalue(), nl=False)
