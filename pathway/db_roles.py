"""`flask --app wsgi grant-app-role --app-url URL`: on PostgreSQL, the role the application
connects as owns nothing and may only add to and read the history.

Run it as the owner (the role that runs the migrations) after every `flask db upgrade`;
`make serve` does, when MIGRATION_DATABASE_URL names the owner and DATABASE_URL the application.
The application role (the user in --app-url) is created if missing (LOGIN, with the URL's
password), then given exactly:
- SELECT and INSERT on the append-only tables (those with an append-only trigger: the event
  history, the audit trail, reviews and hearings), so UPDATE, DELETE and TRUNCATE are refused
  by privilege as well as by trigger, and as a non-owner it can neither DISABLE TRIGGER, ALTER
  nor DROP them;
- SELECT, INSERT, UPDATE and DELETE on the other tables (the projection, users, throttling);
- SELECT on alembic_version; USAGE on the sequences; no CREATE in the schema.
"""
from __future__ import annotations

import re

import click
from sqlalchemy import make_url, text

from .extensions import db

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def append_only_tables(conn) -> list[str]:
    return sorted(conn.execute(text(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND t.tgname LIKE '%\\_append\\_only' AND NOT t.tgisinternal"
    )).scalars())  # fmt: skip


def grant_app_role(conn, role: str, password: str | None = None) -> dict:
    """Create `role` if missing and give it the application's privileges (see above)."""
    if not _NAME.match(role):
        raise ValueError(f"{role!r} is not a plain role name (lower-case letters, digits and _)")
    if role == conn.execute(text("SELECT current_user")).scalar():
        raise ValueError("the application role must not be the owner that runs the migrations: "
                         "give DATABASE_URL another user")  # fmt: skip
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        if not password:
            raise ValueError(f"role {role} does not exist; put its password in the application URL to create it")
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password.replace(chr(39), chr(39) * 2)}'"))
    owned = conn.execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = :r"
    ), {"r": role}).scalars().all()  # fmt: skip
    if owned:
        raise ValueError(f"role {role} owns {', '.join(sorted(owned))}; the application role must own nothing")
    schema = conn.execute(text("SELECT current_schema()")).scalar()
    tables = set(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )).scalars())  # fmt: skip
    history = [t for t in append_only_tables(conn) if t in tables]
    others = sorted(tables - set(history) - {"alembic_version"})
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"))
    conn.execute(text(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC"))
    conn.execute(text(f"REVOKE CREATE ON SCHEMA {schema} FROM {role}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
    if history:
        conn.execute(text(f"GRANT SELECT, INSERT ON {', '.join(history)} TO {role}"))
    if others:
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(others)} TO {role}"))
    if "alembic_version" in tables:
        conn.execute(text(f"GRANT SELECT ON alembic_version TO {role}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"))
    return {"role": role, "created": not exists, "append_only": history, "read_write": others}


@click.command("grant-app-role")
@click.option("--app-url", required=True, envvar="APP_DATABASE_URL",
              help="The URL the application will connect with; its user is the application role.")
def grant_app_role_command(app_url: str) -> None:
    """As the owner: create the application's PostgreSQL role if missing and grant it only what it needs."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("grant-app-role is for PostgreSQL; SQLite has no roles (its file's "
                                   "permissions and the append-only triggers protect it)")  # fmt: skip
    url = make_url(app_url)
    if not url.username:
        raise click.ClickException("--app-url has no user name: it must name the application's role")
    try:
        with db.engine.begin() as conn:
            done = grant_app_role(conn, url.username, url.password)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{'Created' if done['created'] else 'Updated'} role {done['role']}: SELECT and INSERT only on "
               f"{', '.join(done['append_only'])}; read and write on {len(done['read_write'])} other tables.")
