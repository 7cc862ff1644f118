"""`flask --app wsgi return cin-module-5 --year 2026-27 [--la CODE] --format xml|csv` (issue 16)."""
from __future__ import annotations

import sys

import click
from sqlalchemy import select

from . import census
from .clock import current_clock
from .extensions import db
from .models import LocalAuthority


@click.group("return")
def return_group() -> None:
    """Statutory returns built from the pathway's history."""


@return_group.command("cin-module-5")
@click.option("--year", "year_text", required=True, help="The census year, for example 2026-27.")
@click.option("--la", "la_code", default=None, help="The authority (default: the only English authority).")
@click.option("--format", "fmt", type=click.Choice(["xml", "csv"]), default="xml", show_default=True)
def cin_module_5(year_text: str, la_code: str | None, fmt: str) -> None:
    """Children in Need census module 5 (pre-proceedings and FGDM), after the DfE's validation rules."""
    try:
        year = census.CensusYear.parse(year_text)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    if la_code is not None:
        la = db.session.execute(select(LocalAuthority).where(LocalAuthority.code == la_code.strip())).scalar()
        if la is None:
            raise click.ClickException(f"There is no local authority with the code {la_code}.")
    else:
        english = db.session.scalars(select(LocalAuthority).where(LocalAuthority.nation == "england")
                                     .order_by(LocalAuthority.code)).all()
        if len(english) != 1:
            raise click.ClickException(
                "Each authority makes its own return: name it with --la CODE"
                + (f" (English authorities: {', '.join(a.code for a in english)})." if english else
                   ". There is no English authority.")
            )
        la = english[0]
    if la.nation != "england":
        raise click.ClickException(census.WALES_REFUSAL.format(name=la.name, code=la.code))
    records = census.collect(db.session, la, year, current_clock().today())
    failures = census.check(records, year)
    if failures:
        for failure in failures:
            click.echo(str(failure), err=True)
        click.echo(f"Nothing was written: {len(failures)} problem(s) in the module 5 records of {la.code} for "
                   f"{year.label}. Record the missing steps and run the return again.", err=True)
        sys.exit(1)
    if not records:
        click.echo(census.NO_DATA_QUERY.format(year=year.label), err=True)
    (census.write_xml if fmt == "xml" else census.write_csv)(records, sys.stdout)
