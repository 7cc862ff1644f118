"""Command-line tools: `flask --app wsgi <command>`."""
from __future__ import annotations

import random
import sys
import time

import click
from flask import Flask
from sqlalchemy import func, select

from . import codes
from .clock import current_clock
from .extensions import db
from .models import Event, LocalAuthority
from .services import Actor, record_steps

DEMO_AUTHORITIES = (
    # Made-up authorities with made-up codes: demo data only.
    ("E99000001", "Northmoor Borough Council (demo)", "england", "Northmoor and Eastdale"),
    ("E99000002", "Eastdale County Council (demo)", "england", "Northmoor and Eastdale"),
    ("W99000001", "Cyngor Sir Glanmor / Glanmor County Council (demo)", "wales", "Glanmor and the Valleys"),
    # A second English area, so that boards compare with others (issue 14).
    ("E99000003", "Westmarch District Council (demo)", "england", "Westmarch"),
)


def register(app: Flask) -> None:
    for command in (add_la, import_events_command, export_events_command, seed_demo, rebuild_projection_command):
        app.cli.add_command(command)
    from .queues.cli import queue_command

    app.cli.add_command(queue_command)
    from .board.cli import report as report_command

    app.cli.add_command(report_command)
    from .auth.commands import create_user_command

    app.cli.add_command(create_user_command)
    from .db_roles import grant_app_role_command

    app.cli.add_command(grant_app_role_command)
    # Children in Need census module 5 (issue 16).
    from .census_cli import return_group

    app.cli.add_command(return_group)


def add_authority(code: str, name: str, nation: str, dfj_area: str) -> LocalAuthority:
    la = LocalAuthority(code=code, name=name, nation=nation, dfj_area=dfj_area)
    db.session.add(la)
    db.session.flush()
    return la


@click.command("add-la")
@click.option("--code", required=True, help="The authority's code, for example E09000022.")
@click.option("--name", required=True)
@click.option("--nation", required=True, type=click.Choice(list(codes.NATIONS)))
@click.option("--dfj-area", required=True, help="The designated family judge area.")
def add_la(code: str, name: str, nation: str, dfj_area: str) -> None:
    """Add a local authority."""
    code = code.strip()
    if db.session.execute(select(LocalAuthority).where(LocalAuthority.code == code)).scalar():
        raise click.ClickException(f"local authority {code} has already been added")
    add_authority(code, name.strip(), nation, dfj_area.strip())
    db.session.commit()
    click.echo(f"Added {code} {name} ({codes.NATIONS[nation]}, {dfj_area}).")


@click.command("import-events")
@click.argument("file", type=click.File("rb"))  # decoded line by line: a bad line is a line N error
def import_events_command(file) -> None:
    """Import a CSV of pathway events: all of it, or (on any error) none of it."""
    from .transfer import import_events

    started = time.perf_counter()
    result = import_events(db.session, file, actor=Actor(None, "import"), now=current_clock().now())
    if not result.ok:
        db.session.rollback()
        for error in result.errors:
            click.echo(str(error), err=True)
        click.echo(f"Nothing was imported: {len(result.errors)} error(s).", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(
        f"Imported {result.events} events for {result.families} families in "
        f"{result.authorities} local authorit{'y' if result.authorities == 1 else 'ies'} "
        f"in {time.perf_counter() - started:.1f} s."
    )


@click.command("export-events")
@click.option("--out", "out", type=click.File("w", encoding="utf-8"), default="-", help="File (default: stdout).")
@click.option("--la", "la_code", default=None, help="Only this authority's events.")
def export_events_command(out, la_code: str | None) -> None:
    """Export every event in the import format."""
    from .transfer import export_rows, write_csv

    try:
        count = write_csv(export_rows(db.session, la_code), out)
    except LookupError as e:
        raise click.ClickException(str(e)) from None
    if out is not sys.stdout and getattr(out, "name", "-") != "<stdout>":
        click.echo(f"Exported {count} events.", err=True)


@click.command("seed-demo")
@click.option("--families", default=2000, show_default=True, help="Families per authority.")
@click.option("--years", default=5, show_default=True, help="How many years of history (families opened up to then).")
@click.option("--seed", default=2026, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing if there are events already.")
def seed_demo(families: int, years: int, seed: int, if_empty: bool) -> None:
    """Four made-up authorities (three English in two areas, one Welsh) with synthetic families at
    every stage, over several years, so that the board's figures show."""
    from .demo import synthetic_authority
    from .demo_users import seed_coordinators, seed_users

    if if_empty and db.session.execute(select(func.count(Event.id))).scalar():
        click.echo("The database already has events; demo data not added.")
        return
    clock = current_clock()
    rng = random.Random(seed)
    total = 0
    for index, (code, name, nation, area) in enumerate(DEMO_AUTHORITIES, start=1):
        la = db.session.execute(select(LocalAuthority).where(LocalAuthority.code == code)).scalar()
        if la is None:
            la = add_authority(code, name, nation, area)
        coordinators = seed_coordinators(db.session, la, clock.now())  # FGC service (issue 13)
        events = synthetic_authority(rng, index, families, clock.today(), max_age_days=max(30, years * 365),
                                     coordinators=coordinators)
        outcome = record_steps(db.session, la, list(enumerate(events)), actor=Actor(None, "seed-demo"),
                               source="demo", now=clock.now())
        if not outcome.ok:
            db.session.rollback()
            raise click.ClickException(f"demo data refused by the pathway: {outcome.errors[0].message}")
        total += outcome.events_written
        db.session.commit()  # one authority at a time, with progress
        click.echo(f"  {name}: {outcome.events_written} events for {families} families")
    seed_users(db.session, clock.now())  # one demo user per role (README: Demo sign-ins)
    db.session.commit()
    click.echo(f"Added demo data: {total} events for {families * len(DEMO_AUTHORITIES)} families.")


@click.command("rebuild-projection")
def rebuild_projection_command() -> None:
    """Replay every family's history into the stored projection (after an upgrade). Idempotent."""
    from .services import rebuild_projection

    today = current_clock().today()
    total = 0
    for la in db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.code)).all():
        total += rebuild_projection(db.session, la, today)
    db.session.commit()
    click.echo(f"Rebuilt the projection of {total} families from their history.")
