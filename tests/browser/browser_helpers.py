"""Fixtures for the browser tests, imported by them (a second conftest.py here would shadow
tests/conftest.py's helpers): the app served on a free port in a thread (werkzeug), against a
temporary SQLite database built by the migrations, driven by Debian's headless Chromium.

Skipped, not failed, when /usr/bin/chromium is missing (Playwright's own browser download does
not work here; `make install` installs Debian's chromium when it can).
"""
from __future__ import annotations

import os
import threading
from datetime import date, datetime, timezone

import pytest
from werkzeug.serving import make_server

from conftest import _migrate, allocate_family, opened, step
from pathway import create_app
from pathway.clock import FixedClock
from pathway.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
TODAY = date(2026, 11, 20)


_SHARED: dict = {}  # one Playwright and one Chromium for the whole run, however many modules import `browser`


@pytest.fixture(scope="session")
def browser(request):
    """Each browser test module imports this fixture, which makes it a fixture of that module; they
    all share one Chromium (two sync Playwrights at once refuse to run), closed when the run ends."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make install installs it when run as root)")
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def close():
            _SHARED.pop("browser").close()
            playwright.stop()

        request.config.add_cleanup(close)
    yield _SHARED["browser"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served on 127.0.0.1 with demo-like people and families; yields its base URL."""
    path = tmp_path_factory.mktemp("browser-db") / "pathway.db"
    url = f"sqlite:///{path}"
    _migrate(url)
    clock = FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}, clock=clock)
    with app.app_context():
        people = _seed(clock)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{httpd.server_port}", "app": app, **people}
    finally:
        httpd.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


def _seed(clock) -> dict:
    from pathway.models import Family, LocalAuthority
    from pathway.services import Actor, record_steps
    from web_helpers import PASSWORD, make_team, make_user

    session = db.session
    england = LocalAuthority(code="E99000001", name="Northmoor Borough Council (test)", nation="england",
                             dfj_area="Northmoor and Eastdale")
    wales = LocalAuthority(code="W99000001", name="Glanmor County Council (test)", nation="wales",
                           dfj_area="Glanmor")
    session.add_all([england, wales])
    session.commit()
    team = make_team(session, england, "Family safeguarding team")
    worker = make_user(session, "social_worker", england, team=team, name="Sam Okafor", email="worker@example.test")
    manager = make_user(session, "team_manager", england, team=team, name="Priya Shah", email="manager@example.test")
    make_user(session, "admin", name="Alex Morgan", email="admin@example.test")
    make_user(session, "social_worker", wales, name="Rhian Evans", email="gweithiwr@example.test")
    actor = Actor(None, "test")
    steps = [
        opened("C1", date(2026, 2, 2), family_ref="SIBLINGS", dob=date(2017, 4, 9)),
        opened("C2", date(2026, 2, 2), family_ref="SIBLINGS", dob=date(2021, 8, 30)),
        opened("C3", date(2026, 3, 1), family_ref="ANOTHER"),
        step("start_cp_plan", date(2026, 3, 10), "ANOTHER", "C3"),
    ]
    assert record_steps(session, england, list(enumerate(steps)), actor=actor, source="import", now=clock.now()).ok
    welsh = [opened("W1", date(2026, 2, 2), family_ref="TEULU"),
             step("start_cp_plan", date(2026, 3, 1), "TEULU", "W1")]
    assert record_steps(session, wales, list(enumerate(welsh)), actor=actor, source="import", now=clock.now()).ok
    session.commit()
    for family in session.query(Family).filter(Family.la_id == england.id).all():
        allocate_family(session, family, team.id, worker.id)
    session.commit()
    ids = {f.reference: f.id for f in session.query(Family)}
    return {"password": PASSWORD, "worker": worker.email, "manager": manager.email, "families": ids}
