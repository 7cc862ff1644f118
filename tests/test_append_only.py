"""Append-only for real (issue 10): SQLite refuses the REPLACE path; PostgreSQL refuses
TRUNCATE, and the application's role owns nothing and may only add to and read the history, so
it cannot TRUNCATE, UPDATE, DELETE, DISABLE TRIGGER or DROP TRIGGER there."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from conftest import BACKEND, opened
from pathway import services
from pathway.db_roles import grant_app_role
from pathway.extensions import db
from pathway.models import LocalAuthority
from test_migrations import _seed_history, empty_database, migrations_app  # noqa: F401 (fixtures)

HISTORY = ["events", "audit_log", "case_reviews", "hearings", "exception_decisions", "hearing_outcomes"]
REPLACE = {
    "events": "(id, la_id, family_id, event, occurred_on, recorded_at, source) "
              "VALUES (1, 1, 1, 'close_case', '2026-01-06', '2026-01-06 12:00:00+00', 'form')",
    "audit_log": "(id, at, actor, action, entity, entity_id) "
                 "VALUES (1, '2026-01-06 12:00:00+00', 'forger', 'nothing', 'family', 1)",
    "case_reviews": "(id, la_id, family_id, child_id, kind, held_on, decision, recorded_at) VALUES "
                    "(1, 1, 1, 1, 'looked_after_review', '2026-02-06', 'plan_changed', '2026-02-06 12:00:00+00')",
    "hearings": "(id, proceedings_id, kind, listed_for) VALUES (1, 1, 'final', '2027-01-01')",
    "exception_decisions": "(id, event_id, decided_by, recorded_at) VALUES (1, 1, 'forger', '2026-02-06 12:00:00+00')",
    "hearing_outcomes": "(id, hearing_id, outcome, recorded_at) VALUES (1, 1, 'held', '2026-07-02 12:00:00+00')",
}  # fmt: skip


@pytest.mark.skipif(BACKEND != "sqlite", reason="REPLACE is SQLite's")
@pytest.mark.parametrize("table", HISTORY)
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
def test_sqlite_refuses_to_replace_history(migrations_app, table, verb):
    upgrade()
    with db.engine.begin() as conn:
        _seed_history(conn)
        before = conn.execute(text(f"SELECT * FROM {table}")).all()
    with pytest.raises(DBAPIError) as refused:
        with db.engine.begin() as conn:
            conn.execute(text(f"{verb} {table} {REPLACE[table]}"))
    assert "append-only" in str(refused.value)
    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT * FROM {table}")).all() == before


@pytest.mark.skipif(BACKEND != "postgresql", reason="TRUNCATE and roles are PostgreSQL's")
@pytest.mark.parametrize("table", HISTORY)
def test_postgresql_refuses_truncate_even_to_the_owner(migrations_app, table):
    upgrade()
    with db.engine.begin() as conn:
        _seed_history(conn)
    with pytest.raises(DBAPIError) as refused:
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table} CASCADE"))
    assert "append-only" in str(refused.value)
    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1


@pytest.fixture
def app_role(migrations_app):
    """A fresh application role for this test's database, dropped afterwards."""
    upgrade()
    name = f"pathway_app_{uuid.uuid4().hex[:10]}"
    with db.engine.begin() as conn:
        done = grant_app_role(conn, name, "app-role-test-password")
        _seed_history(conn)
        for table in ("local_authorities", "families", "children", "proceedings", *HISTORY):  # rows were given ids
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    url = make_url(str(db.engine.url.render_as_string(hide_password=False))).set(
        username=name, password="app-role-test-password")  # fmt: skip
    engine = create_engine(url)
    yield engine, done
    engine.dispose()
    with db.engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {name}"))
        conn.execute(text(f"DROP ROLE {name}"))


@pytest.mark.skipif(BACKEND != "postgresql", reason="roles are PostgreSQL's")
def test_the_application_role_may_only_add_to_and_read_the_history(app_role):
    engine, done = app_role
    assert done["created"] and sorted(done["append_only"]) == sorted(HISTORY)
    refused = {
        "TRUNCATE events CASCADE": "permission denied",
        "UPDATE events SET event = 'close_case'": "permission denied",
        "DELETE FROM audit_log": "permission denied",
        "ALTER TABLE events DISABLE TRIGGER ALL": "must be owner",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only": "must be owner",
        "DROP TRIGGER events_append_only ON events": "must be owner",
        "DROP TABLE hearings": "must be owner",
        "CREATE TABLE mine (id integer)": "permission denied",
    }
    for statement, message in refused.items():
        with pytest.raises(DBAPIError) as error:
            with engine.begin() as conn:
                conn.execute(text(statement))
        assert message in str(error.value), statement
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO events (la_id, family_id, event, occurred_on, recorded_at, source) "
            "VALUES (1, 1, 'fgc_accepted', '2026-01-07', '2026-01-07 12:00:00+00', 'form')"
        ))  # fmt: skip
        conn.execute(text("UPDATE families SET version = version + 1"))  # the projection is the app's to keep
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 2
        owned = conn.execute(text("SELECT count(*) FROM pg_class WHERE relowner = "
                                  "(SELECT oid FROM pg_roles WHERE rolname = current_user)")).scalar()  # fmt: skip
        assert owned == 0


@pytest.mark.skipif(BACKEND != "postgresql", reason="roles are PostgreSQL's")
def test_the_pathway_service_works_under_the_application_role(app_role):
    engine, _done = app_role
    with Session(engine) as session:
        la = session.get(LocalAuthority, 1)
        outcome = services.record_steps(session, la, [(2, opened("C9", date(2026, 1, 5), family_ref="FAM9"))],
                                        actor=services.Actor(None, "test"), source="form",
                                        now=datetime(2026, 11, 20, 12, tzinfo=timezone.utc))  # fmt: skip
        assert outcome.ok, outcome.errors
        session.commit()


@pytest.mark.skipif(BACKEND != "postgresql", reason="roles are PostgreSQL's")
def test_grant_app_role_refuses_the_owner_itself(migrations_app):
    upgrade()
    with db.engine.begin() as conn:
        owner = conn.execute(text("SELECT current_user")).scalar()
        with pytest.raises(ValueError, match="must not be the owner"):
            grant_app_role(conn, owner)


def test_grant_app_role_is_for_postgresql_only(migrations_app):
    if BACKEND == "postgresql":
        pytest.skip("on PostgreSQL the command runs (tests above)")
    runner = migrations_app.test_cli_runner()
    result = runner.invoke(args=["grant-app-role", "--app-url", "postgresql://app:pw@localhost/x"])
    assert result.exit_code != 0 and "for PostgreSQL" in result.output
