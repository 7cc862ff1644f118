"""`flask --app wsgi create-user`: add a user, reading the password from standard input."""
from __future__ import annotations

import sys

import click
from sqlalchemy import select

from ..clock import current_clock
from ..extensions import db
from ..models import ROLES, LocalAuthority
from .passwords import password_problem


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--la", "la_code", default=None, help="The local authority's code (social workers and team managers).")
@click.option("--dfj-area", default=None, help="The designated family judge area (board members).")
def create_user_command(email: str, name: str, role: str, la_code: str | None, dfj_area: str | None) -> None:
    """Add a user. The password (at least 12 characters, not a common one, not the address) is
    read from standard input."""
    from ..admin import create_user

    if la_code and dfj_area:
        raise click.UsageError("Give --la or --dfj-area, not both.")
    la = None
    if la_code:
        la = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == la_code.strip()))
        if la is None:
            raise click.ClickException(f"No local authority has the code {la_code}. Add it with add-la first.")
    if role in ("social_worker", "team_manager", "fgc_coordinator") and la is None:
        raise click.UsageError(f"A {role.replace('_', ' ')} needs --la CODE.")
    if role == "fjb_viewer" and not dfj_area:
        raise click.UsageError("A board member (fjb_viewer) needs --dfj-area AREA.")
    if role == "admin" and (la or dfj_area):
        raise click.UsageError("An admin belongs to no authority or area: leave out --la and --dfj-area.")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password, email)
    if problem:
        raise click.ClickException(f"{problem}.")
    try:
        user = create_user(db.session, email=email, name=name, role=role, password=password, la=la,
                           dfj_area=dfj_area, now=current_clock().now())
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    db.session.commit()
    click.echo(f"Added user {user.id} ({role}).")
