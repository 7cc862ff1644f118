"""Shared fixtures: an app on a database built by the real migrations, a fixed clock, factories.

SQLite by default: the migrations run once into a template file, copied for each test.
With PATHWAY_TEST_BACKEND=postgresql (set by `make test` when TEST_DATABASE_URL is given), the
session creates its own PostgreSQL database from TEST_DATABASE_URL's server, migrates it once,
empties it between tests and drops it at the end, leaving nothing behind.
"""
from __future__ import annotations

import os
import shutil
import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import create_engine, make_url, text

os.environ.setdefault("PATHWAY_ENV", "testing")

from pathway import create_app  # noqa: E402
from pathway import workflow as wf  # noqa: E402
from pathway.clock import FixedClock  # noqa: E402
from pathway.config import normalise_database_url  # noqa: E402
from pathway.extensions import db  # noqa: E402
from pathway.models import LocalAuthority  # noqa: E402
from pathway.services import Actor, record_steps  # noqa: E402

BACKEND = os.environ.get("PATHWAY_TEST_BACKEND", "sqlite")
TODAY = date(2026, 11, 20)  # a Friday; every test's "today" unless it sets its own


def pytest_report_header(config):
    return f"pathway database backend: {BACKEND}"


def _migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated database, and how to give each test a clean one."""
    if BACKEND == "postgresql":
        server = os.environ.get("TEST_DATABASE_URL")
        if not server:
            pytest.exit("PATHWAY_TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
        server = normalise_database_url(server)
        name = f"pathway_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        try:
            _migrate(url)
            yield {"backend": "postgresql", "url": url, "server": server}
        finally:  # also when the migrations themselves fail
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        template = tmp_path_factory.mktemp("db") / "template.db"
        _migrate(f"sqlite:///{template}")
        yield {"backend": "sqlite", "template": template}


@pytest.fixture
def database_url(database_template, tmp_path):
    if database_template["backend"] == "postgresql":
        url = database_template["url"]
        yield url
        engine = create_engine(url)
        with engine.begin() as conn:
            tables = conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )).scalars().all()  # fmt: skip
            if tables:
                # The history tables refuse TRUNCATE (migration 0006); the test owner empties them
                # with triggers off for this transaction only.
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
    else:
        path = tmp_path / "pathway.db"
        shutil.copy(database_template["template"], path)
        yield f"sqlite:///{path}"


@pytest.fixture
def clock():
    return FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc))


@pytest.fixture
def app(database_url, clock):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True}, clock=clock)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def add_la(session, code="E09000999", nation="england", name=None, dfj_area="Testshire") -> LocalAuthority:
    la = LocalAuthority(code=code, name=name or f"Test authority {code}", nation=nation, dfj_area=dfj_area)
    session.add(la)
    session.commit()
    return la


@pytest.fixture
def england(session):
    return add_la(session, "E09000999", "england")


@pytest.fixture
def wales(session):
    return add_la(session, "W06000999", "wales", dfj_area="Testshire Cymru")


def step(event: str, day: date, family_ref: str = "FAM1", child_ref: str | None = None, **fields):
    """A PathwayEvent with short names for tests."""
    return wf.PathwayEvent(event=event, date=day, family_ref=family_ref, child_ref=child_ref, **fields)


def opened(child_ref: str, day: date, family_ref: str = "FAM1", dob: date = date(2015, 5, 1), **fields):
    return step("open_case", day, family_ref, child_ref, dob=dob, sex=fields.pop("sex", "F"),
                ethnicity=fields.pop("ethnicity", "WBRI"))


def record(session, la, steps, clock=None, source="import"):
    """Record steps through the one service; commit on success, roll back on refusal."""
    now = clock.now() if clock else datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc)
    outcome = record_steps(session, la, list(enumerate(steps, start=2)), actor=Actor(None, "test"),
                           source=source, now=now)
    if outcome.ok:
        session.commit()
    else:
        session.rollback()
    return outcome


def allocate_family(session, family, team_id, worker_id) -> None:
    """Allocate a family as the allocation page does (audit entry, the queues' stored flags)."""
    from pathway import services

    services.allocate(session, family, team_id, worker_id, actor=Actor(None, "test"),
                      now=datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc))
