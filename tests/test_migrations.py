"""The migrations: one head; upgrade, downgrade to nothing, upgrade again; the schema they build
is the models' schema; and the database itself refuses to change or remove history.

Each test works on a database of its own (a new SQLite file, or a new PostgreSQL database that
is dropped afterwards), on whichever backend the suite is running against.
"""
from __future__ import annotations

import importlib
import os
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.exc import DBAPIError

from conftest import BACKEND
import pathway
from pathway import create_app
from pathway.config import normalise_database_url
from pathway.extensions import db


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a database with nothing in it, removed afterwards."""
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    server = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    name = f"pathway_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrations_app(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables(app) -> set[str]:
    db.engine.dispose()  # no cached connection sees a schema from before
    return set(inspect(db.engine).get_table_names())


def import_every_model() -> None:
    """Feature packages keep their own tables (pathway/<feature>/models.py); know them all."""
    root = Path(pathway.__file__).parent
    for path in sorted(root.rglob("models.py")):
        importlib.import_module(".".join(("pathway", *path.relative_to(root).with_suffix("").parts)))


def model_tables() -> set[str]:
    import_every_model()
    return set(db.metadata.tables)


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_there_is_exactly_one_head(migrations_app):
    config = migrations_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1, script.get_heads()
    # Every revision hangs off the one chain from base to head.
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None
    assert len([r for r in revisions if r.down_revision is None]) == 1


def test_upgrade_downgrade_upgrade(migrations_app):
    assert tables(migrations_app) == set()

    upgrade()
    assert tables(migrations_app) == model_tables() | {"alembic_version"}
    assert schema_differences() == []

    downgrade(revision="base")
    assert tables(migrations_app) <= {"alembic_version"}
    with db.engine.connect() as conn:
        if BACKEND == "postgresql":
            assert conn.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname = 'pathway_append_only'"
            )).scalar() == 0  # fmt: skip
        else:
            assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")).scalar() == 0

    upgrade()
    assert tables(migrations_app) == model_tables() | {"alembic_version"}
    assert schema_differences() == []
    with db.engine.connect() as conn:
        head = ScriptDirectory.from_config(migrations_app.extensions["migrate"].migrate.get_config()).get_current_head()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head


def _seed_history(conn) -> None:
    conn.execute(text(
        "INSERT INTO local_authorities (id, code, name, nation, dfj_area) "
        "VALUES (1, 'E09000999', 'Test', 'england', 'Testshire')"
    ))
    conn.execute(text(
        "INSERT INTO families (id, la_id, reference, opened_on, version) VALUES (1, 1, 'FAM1', '2026-01-05', 1)"
    ))
    conn.execute(text(
        "INSERT INTO events (id, la_id, family_id, event, occurred_on, recorded_at, source) "
        "VALUES (1, 1, 1, 'offer_fgc', '2026-01-06', '2026-01-06 12:00:00+00', 'form')"
    ))
    conn.execute(text(
        "INSERT INTO audit_log (id, at, actor, action, entity, entity_id) "
        "VALUES (1, '2026-01-06 12:00:00+00', 'test', 'record:offer_fgc', 'family', 1)"
    ))  # fmt: skip
    conn.execute(text(
        "INSERT INTO children (id, la_id, family_id, reference, dob, sex, ethnicity, opened_on, stage, stage_since) "
        "VALUES (1, 1, 1, 'C1', '2015-05-01', 'F', 'WBRI', '2026-01-05', 'section_20', '2026-01-10')"
    ))
    conn.execute(text(
        "INSERT INTO proceedings (id, la_id, family_id, reference, issued_on, deadline) "
        "VALUES (1, 1, 1, 'P1', '2026-02-01', '2026-08-01')"
    ))
    conn.execute(text(
        "INSERT INTO case_reviews (id, la_id, family_id, child_id, kind, held_on, decision, recorded_at) "
        "VALUES (1, 1, 1, 1, 'looked_after_review', '2026-02-05', 'plan_confirmed', '2026-02-05 12:00:00+00')"
    ))
    conn.execute(text(
        "INSERT INTO hearings (id, proceedings_id, kind, listed_for) VALUES (1, 1, 'final', '2026-07-01')"
    ))  # fmt: skip
    conn.execute(text(
        "INSERT INTO exception_decisions (id, event_id, decided_by, recorded_at) "
        "VALUES (1, 1, 'A. Manager', '2026-02-05 12:00:00+00')"
    ))
    conn.execute(text(
        "INSERT INTO hearing_outcomes (id, hearing_id, outcome, reason, recorded_at) "
        "VALUES (1, 1, 'adjourned', 'EX1', '2026-07-01 12:00:00+00')"
    ))  # fmt: skip


HISTORY_TABLES = ["events", "audit_log", "case_reviews", "hearings", "exception_decisions", "hearing_outcomes"]


@pytest.mark.parametrize("table", HISTORY_TABLES)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET id = id WHERE id = 1", "DELETE FROM {table} WHERE id = 1", "DELETE FROM {table}"],
)
def test_the_database_refuses_to_change_or_remove_history(migrations_app, table, statement):
    upgrade()
    with db.engine.begin() as conn:
        _seed_history(conn)

    with pytest.raises(DBAPIError) as refused:
        with db.engine.begin() as conn:
            conn.execute(text(statement.format(table=table)))
    assert "append-only" in str(refused.value)

    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1


def test_history_can_still_be_appended_to(migrations_app):
    upgrade()
    with db.engine.begin() as conn:
        _seed_history(conn)
        conn.execute(text(
            "INSERT INTO events (id, la_id, family_id, event, occurred_on, recorded_at, source) "
            "VALUES (2, 1, 1, 'fgc_accepted', '2026-01-07', '2026-01-07 12:00:00+00', 'form')"
        ))  # fmt: skip
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 2
