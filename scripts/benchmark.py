#!/usr/bin/env python
"""National-scale benchmark: `make bench` (options through BENCH_ARGS="...").

    .venv/bin/python scripts/benchmark.py                      # 150 authorities, 100,000 proceedings, both databases
    .venv/bin/python scripts/benchmark.py --authorities 5 --proceedings 2000 --backend sqlite --skip-load

For each database it:
1. generates synthetic history (pathway.demo.synthetic_authority: made-up families, no real data),
   one event CSV per authority, in parallel processes;
2. imports it through the real path, `pathway.transfer.import_events` (CSV parsing, every gate of
   the pathway, projection, events), one file and one transaction per authority: events/s;
3. times the pages in-process (Flask test client, signed in): the family page, the queues page for
   the largest authority, the board report for one year and for five years. For each it records
   every SQL statement the page ran, then runs exactly those statements with their parameters on a
   bare DB-API connection (fetching every row): the ratio page time / bare SQL time is what the
   framework (ORM, Python, templates) adds on top of the database's own work;
4. starts gunicorn (several workers, production settings) and a second process that signs in 20
   users over loopback and requests the family page and then the queues page as fast as it can:
   requests/s and 95th percentile latency.

The SQLite database is a file under a temporary directory; the PostgreSQL database is created on
the server named by --postgres-url (default TEST_DATABASE_URL, else the local server) and dropped
at the end (unless --keep). --database-url reuses a database a previous run kept, skipping
generation and import. Figures are printed as a table and written to bench-results/.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PATHWAY_ENV", "development")  # in-process app only; gunicorn runs as production

TODAY = date(2026, 11, 20)
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc)
PROCEEDINGS_PER_FAMILY = 0.443  # what pathway.demo produces on average (measured)
HISTORY_DAYS = 5 * 365 + 200  # families opened up to about 5.5 years ago, so a five-year report has data
PASSWORD = "benchmark-password-not-secret"
NOT_AVAILABLE = "not available"
RESULTS = ROOT / "bench-results"


# --------------------------------------------------------------------------------------------
# Synthetic national history
# --------------------------------------------------------------------------------------------


@dataclass
class Authority:
    index: int
    code: str
    name: str
    nation: str
    dfj_area: str
    families: int
    events: int = 0
    proceedings: int = 0
    csv_text: str = ""


def plan_authorities(count: int, proceedings: int, seed: int) -> list[Authority]:
    """Authorities of uneven size (as real ones are), about `proceedings` care cases in all."""
    rng = random.Random(seed)
    weights = [rng.lognormvariate(0, 0.55) for _ in range(count)]
    families = proceedings / PROCEEDINGS_PER_FAMILY
    authorities = []
    for i, w in enumerate(weights, start=1):
        wales = i % 7 == 0  # about one in seven, as in England and Wales
        code = f"{'W' if wales else 'E'}99{i:06d}"  # made-up codes, never a real authority's
        area = f"{'Welsh' if wales else 'English'} DFJ area {1 + i % (5 if wales else 38):02d} (synthetic)"
        authorities.append(Authority(i, code, f"Synthetic authority {i:03d}", "wales" if wales else "england",
                                     area, max(5, round(families * w / sum(weights)))))
    return authorities


def _generate_one(args: tuple[Authority, int]) -> Authority:
    from pathway.demo import synthetic_authority
    from pathway.transfer import event_to_row, write_csv

    authority, seed = args
    rng = random.Random(seed * 1_000_003 + authority.index)
    events = synthetic_authority(rng, authority.index, authority.families, TODAY, max_age_days=HISTORY_DAYS)
    out = io.StringIO()
    write_csv((event_to_row(authority.code, ev) for ev in events), out)
    authority.csv_text = out.getvalue()
    authority.events = len(events)
    authority.proceedings = len({ev.proceedings_ref for ev in events if ev.event == "issue_proceedings"})
    return authority


def generate(authorities: list[Authority], seed: int, jobs: int) -> list[Authority]:
    if jobs <= 1:
        return [_generate_one((a, seed)) for a in authorities]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_generate_one, [(a, seed) for a in authorities], chunksize=4))


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------


def server_url(args) -> str:
    from pathway.config import normalise_database_url

    return normalise_database_url(
        args.postgres_url or os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    )


@contextmanager
def bench_database(backend: str, args, workdir: Path):
    """A new, empty database for this run; removed afterwards unless --keep."""
    from sqlalchemy import create_engine, make_url, text

    if backend == "sqlite":
        path = workdir / "benchmark.db"
        path.unlink(missing_ok=True)
        try:
            yield f"sqlite:///{path}"
        finally:
            if args.keep:
                kept = RESULTS / "benchmark.db"
                RESULTS.mkdir(exist_ok=True)
                shutil.move(str(path), kept)
                print(f"kept the SQLite database: sqlite:///{kept}")
        return
    server = server_url(args)
    name = f"pathway_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        if args.keep:
            print(f"kept the PostgreSQL database: {make_url(server).set(database=name).render_as_string()}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str):
    from pathway import create_app
    from pathway.clock import FixedClock

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "WTF_CSRF_ENABLED": True},
                      clock=FixedClock(NOW))


def migrate(url: str) -> None:
    import logging

    from flask_migrate import upgrade

    from pathway.extensions import db

    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    logging.getLogger("alembic").setLevel(logging.WARNING)


# --------------------------------------------------------------------------------------------
# Import through the real path
# --------------------------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a local process (a PostgreSQL backend), from /proc; 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _import_some(args: tuple[str, list[Authority], bool]) -> dict:
    """Import authorities one CSV (one transaction) at a time. Counts the events written, the
    seconds spent in import_events and the commit, and the CPU seconds this process and (for a
    PostgreSQL server on this machine) its database backend used for them."""
    from sqlalchemy import text

    from pathway.commands import add_authority
    from pathway.extensions import db
    from pathway.services import Actor
    from pathway.transfer import import_events

    url, authorities, progress = args
    app = make_app(url)
    done = {"events": 0, "seconds": 0.0, "cpu": 0.0, "db_cpu": 0.0}
    with app.app_context():
        for n, a in enumerate(authorities, start=1):
            add_authority(a.code, a.name, a.nation, a.dfj_area)
            db.session.commit()
            backend = None
            if url.startswith("postgresql"):
                backend = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            db_cpu = _cpu_seconds(backend) if backend else 0.0
            started, cpu = time.perf_counter(), time.process_time()
            result = import_events(db.session, io.StringIO(a.csv_text), actor=Actor(None, "benchmark"), now=NOW)
            if not result.ok:
                db.session.rollback()
                raise SystemExit(f"{a.code}: the import was refused: {result.errors[:3]}")
            db.session.commit()
            done["seconds"] += time.perf_counter() - started
            done["cpu"] += time.process_time() - cpu
            if backend:
                done["db_cpu"] += _cpu_seconds(backend) - db_cpu
            done["events"] += result.events
            if progress and (n % 10 == 0 or n == len(authorities)):
                print(f"  imported {n}/{len(authorities)} authorities, {done['events']:,} events, "
                      f"{done['events'] / done['seconds']:,.0f} events/s", flush=True)
        db.session.remove()
        db.engine.dispose()
    return done


def import_all(url: str, authorities: list[Authority], jobs: int) -> dict:
    started = time.perf_counter()
    if jobs <= 1:
        parts = [_import_some((url, authorities, True))]
    else:
        shares = [authorities[i::jobs] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_import_some, [(url, share, i == 0) for i, share in enumerate(shares)]))
    written = sum(p["events"] for p in parts)
    busy = max(p["seconds"] for p in parts)
    cpu = sum(p["cpu"] for p in parts)
    db_cpu = sum(p["db_cpu"] for p in parts)
    # The rate counts the time spent importing (CSV parsing, gates, writes, commits), not the
    # set-up of the authorities; with several processes, the busiest process's time.
    return {"events": written, "seconds": busy, "wall_seconds": time.perf_counter() - started,
            "events_per_s": written / busy, "jobs": jobs, "cpu_seconds": cpu, "db_cpu_seconds": db_cpu,
            "events_per_cpu_s": written / (cpu + db_cpu) if cpu + db_cpu else None}


def analyse(url: str) -> float:
    from sqlalchemy import create_engine, text

    started = time.perf_counter()
    engine = create_engine(url, isolation_level="AUTOCOMMIT") if url.startswith("postgresql") else create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
        if not url.startswith("postgresql"):
            conn.commit()
    engine.dispose()
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Users and sign-in
# --------------------------------------------------------------------------------------------


def add_users(url: str) -> dict:
    """A team manager in the largest authority (who may see its families and its queues), a board
    member for its area, an administrator."""
    from sqlalchemy import func, select

    from pathway.auth.passwords import hash_password
    from pathway.extensions import db
    from pathway.models import Child, Family, LocalAuthority, Proceedings, User

    app = make_app(url)
    with app.app_context():
        s = db.session
        la_id, children = s.execute(
            select(Child.la_id, func.count(Child.id)).where(Child.closed_on.is_(None))
            .group_by(Child.la_id).order_by(func.count(Child.id).desc()).limit(1)
        ).one()  # fmt: skip
        la = s.get(LocalAuthority, la_id)
        password_hash = hash_password(PASSWORD)
        wanted = {
            "worker": ("bench-manager@example.invalid", "team_manager", la.id, None),
            "board": ("bench-board@example.invalid", "fjb_viewer", None, la.dfj_area),
            "admin": ("bench-admin@example.invalid", "admin", None, None),
        }
        users = {}
        for key, (email, role, user_la, area) in wanted.items():
            user = s.execute(select(User).where(User.email == email)).scalar()
            if user is None:
                user = User(email=email, name=f"Benchmark {role}", role=role, la_id=user_la, dfj_area=area,
                            password_hash=password_hash, active=True, created_at=NOW)
                s.add(user)
                s.flush()
            users[key] = {"email": email, "id": user.id}
        # Families of the largest authority for the family page: a seeded sample, half of them in court.
        rng = random.Random(6)
        with_court = s.scalars(select(Proceedings.family_id).where(Proceedings.la_id == la.id).distinct()).all()
        every = s.scalars(select(Family.id).where(Family.la_id == la.id)).all()
        sample = rng.sample(sorted(with_court), min(10, len(with_court)))
        sample += rng.sample(sorted(every), min(10, len(every)))
        s.commit()
        info = {"la_id": la.id, "la_code": la.code, "la_name": la.name, "open_children": children,
                "families": len(every), "sample_families": sample, "all_families": every, "users": users,
                "dfj_area": la.dfj_area}
        db.session.remove()
        db.engine.dispose()
    return info


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def sign_in_client(client, email: str) -> None:
    """Sign in through the real sign-in form (CSRF token and all)."""
    page = client.get("/sign-in")
    match = CSRF.search(page.get_data(as_text=True))
    data = {"email": email, "password": PASSWORD}
    if match:
        data["csrf_token"] = match.group(1) or match.group(2)
    answer = client.post("/sign-in", data=data)
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"could not sign in as {email}: HTTP {answer.status_code}")


# --------------------------------------------------------------------------------------------
# Page time against bare SQL time
# --------------------------------------------------------------------------------------------


@dataclass
class Timing:
    name: str
    endpoint_ms: float | None = None
    sql_ms: float | None = None
    statements: int = 0
    rows: int = 0
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.endpoint_ms is None or not self.sql_ms:
            return None
        return self.endpoint_ms / self.sql_ms


class StatementRecorder:
    """Every statement an engine runs while recording, with its parameters."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.recording, self.statements = engine, False, []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if self.recording:
            self.statements.append((statement, parameters, executemany))

    @contextmanager
    def record(self):
        self.statements, self.recording = [], True
        try:
            yield self.statements
        finally:
            self.recording = False


class Replay:
    """The recorded reads, and the session settings made for them (SET LOCAL jit = off, ...),
    run again on a bare DB-API connection, fetching every row. Writes are not replayed."""

    def __init__(self, engine, statements):
        self.reads = [(s, p) for s, p, many in statements
                      if not many and s.lstrip().upper().startswith(("SELECT", "WITH", "SET", "SHOW", "PRAGMA"))]
        self.skipped = len(statements) - len(self.reads)
        self.rows = 0
        self.raw = engine.raw_connection()

    def __call__(self) -> None:
        cursor = self.raw.cursor()
        rows = 0
        for statement, params in self.reads:
            cursor.execute(statement, params)
            if cursor.description is not None:
                rows += len(cursor.fetchall())
        cursor.close()
        self.raw.rollback()
        self.rows = rows

    def close(self) -> None:
        self.raw.close()


def measure(engine, recorder, fn, name: str, repeat: int) -> Timing:
    """Median times of `fn` and of replaying its SQL, taken in turns (so that both see the same
    load on a shared machine), after one warm-up run of each."""
    with recorder.record() as statements:
        fn()
    replay = Replay(engine, statements)
    try:
        replay()
        own, bare = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            own.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            replay()
            bare.append((time.perf_counter() - started) * 1000)
    finally:
        replay.close()
    note = f"{replay.skipped} write(s) not replayed" if replay.skipped else ""
    return Timing(name, statistics.median(own), statistics.median(bare), len(statements), replay.rows, note)


def measure_page(engine, recorder, client, url: str, name: str, repeat: int) -> Timing:
    def get():
        answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"{name}: GET {url} answered HTTP {answer.status_code}")

    return measure(engine, recorder, get, name, repeat)


def measure_function(engine, recorder, fn, name: str, repeat: int) -> Timing:
    return measure(engine, recorder, fn, name, repeat)


def queues_url(app, info: dict) -> str | None:
    """The largest authority's queue page (/queues/<la_code>), or a queues page without arguments."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "queues.queue" and rule.arguments == {"la_code"}:
            return rule.rule.replace("<la_code>", info["la_code"])
    return find_rule(app, ("queues",), ("queue",))


def find_rule(app, blueprint_names: tuple[str, ...], words: tuple[str, ...] = ()) -> str | None:
    """A GET page without URL arguments in one of these blueprints (the queue or report page)."""
    rules = sorted(
        (r for r in app.url_map.iter_rules()
         if r.endpoint.split(".")[0] in blueprint_names and not r.arguments and "GET" in (r.methods or ())),
        key=lambda r: (not any(w in r.rule for w in words), len(r.rule)),
    )  # fmt: skip
    return rules[0].rule if rules else None


def measure_pages(url: str, info: dict, repeat: int) -> list[Timing]:
    """Requests run outside any app context of ours: an outer context would share `g` (and the
    signed-in user cached there) between requests."""
    from pathway.extensions import db

    app = make_app(url)
    with app.app_context():
        engine = db.engine
    recorder = StatementRecorder(engine)
    timings: list[Timing] = []

    # The family page, over a sample of families of the largest authority.
    worker = app.test_client()
    sign_in_client(worker, info["users"]["worker"]["email"])
    family_rule = next((r.rule for r in app.url_map.iter_rules() if r.endpoint == "families.family"), None)
    if family_rule is None:
        timings.append(Timing("Family page", note=NOT_AVAILABLE))
    else:
        samples = [
            measure_page(engine, recorder, worker, family_rule.replace("<int:family_id>", str(fid)), "Family page", 3)
            for fid in info["sample_families"]
        ]
        timings.append(Timing(
            "Family page", statistics.median(t.endpoint_ms for t in samples),
            statistics.median(t.sql_ms for t in samples), round(statistics.median(t.statements for t in samples)),
            round(statistics.median(t.rows for t in samples)),
            f"median of {len(samples)} families" + (f"; {samples[0].note}" if samples[0].note else ""),
        ))  # fmt: skip

    # The queues page for the largest authority.
    queue_url = queues_url(app, info)
    if queue_url is None:
        timings.append(Timing("Queues page (largest authority)", note=NOT_AVAILABLE))
    else:
        try:
            t = measure_page(engine, recorder, worker, queue_url, "Queues page (largest authority)", repeat)
            t.note = "; ".join(x for x in (f"{queue_url}, {info['open_children']:,} open children", t.note) if x)
        except RuntimeError as e:
            t = Timing("Queues page (largest authority)", note=f"{NOT_AVAILABLE} ({e})")
        timings.append(t)

    # The board report: one year and five years, every authority.
    timings.extend(measure_reports(app, engine, recorder, info, repeat))
    engine.dispose()
    return timings


def report_periods() -> list[tuple[str, date, date]]:
    return [
        ("Board report, 1 year, all authorities", TODAY - timedelta(days=365), TODAY),
        ("Board report, 5 years, all authorities", TODAY - timedelta(days=5 * 365 + 1), TODAY),
        ("Board report, 1 year, one DFJ area", TODAY - timedelta(days=365), TODAY),
    ]


def measure_reports(app, engine, recorder, info: dict, repeat: int) -> list[Timing]:
    """The board page where it offers the period (its choices are financial years and quarters
    of the last three years); otherwise the report function the page calls, for the same dates."""
    from pathway.extensions import db

    try:
        from pathway import reports
    except ImportError:
        return [Timing(name, note=NOT_AVAILABLE) for name, _s, _e in report_periods()]
    page = find_rule(app, ("board",), ("board",))
    timings = []
    for name, start, end in report_periods():
        if page is not None and end - start <= timedelta(days=366) and hasattr(reports, "financial_year_of"):
            year = reports.financial_year_of(TODAY) - 1  # the last complete financial year
            board = app.test_client()
            sign_in_client(board, info["users"]["admin"]["email"])
            area = f"dfj:{info['dfj_area']}" if "one DFJ area" in name else "all"
            url = f"{page}?{urlencode({'period': f'fy{year}', 'area': area})}"
            try:
                t = measure_page(engine, recorder, board, url, name, repeat)
                t.note = "; ".join(x for x in (f"page {url}", t.note) if x)
                timings.append(t)
                continue
            except RuntimeError as e:
                print(f"  {name}: the page failed ({e}); timing the report function instead", flush=True)

        def run(start=start, end=end):
            with app.app_context():
                if hasattr(reports, "figures"):
                    scope = reports.Scope(dfj_area=info["dfj_area"]) if "one DFJ area" in name else reports.Scope()
                    return reports.figures(db.session, start, end, scope)
                return reports.timeliness(db.session, start, end)

        try:
            t = measure_function(engine, recorder, run, name, repeat)
            label = "reports.figures" if hasattr(reports, "figures") else "reports.timeliness"
            t.note = f"{label}({start.isoformat()} to {end.isoformat()}): the page offers at most a year; " + t.note
            timings.append(t)
        except Exception as e:  # noqa: BLE001  (a module still being written: say so, keep going)
            timings.append(Timing(name, note=f"{NOT_AVAILABLE} ({type(e).__name__}: {e})"))
    return timings


# --------------------------------------------------------------------------------------------
# Load test: gunicorn, and a second process as 20 users on loopback
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=uuid.uuid4().hex * 2, PATHWAY_ENV="production")
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
            try:
                import urllib.request

                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_test(url: str, info: dict, args) -> dict:
    from pathway import create_app

    probe = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "probe"})
    family_rule = next((r.rule for r in probe.url_map.iter_rules() if r.endpoint == "families.family"), None)
    queue_url = queues_url(probe, info)
    phases = []
    if family_rule:
        rng = random.Random(7)
        families = rng.sample(info["all_families"], min(2000, len(info["all_families"])))
        paths = [family_rule.replace("<int:family_id>", str(f)) for f in families]
        phases.append({"name": "Family page", "paths": paths})
    if queue_url:
        phases.append({"name": "Queues page (largest authority)", "paths": [queue_url]})
    results = {p["name"]: None for p in ({"name": "Family page"}, {"name": "Queues page (largest authority)"})}
    if not phases:
        return results
    with gunicorn(url, args.workers) as base:
        spec = {"base": base, "email": info["users"]["worker"]["email"], "password": PASSWORD,
                "users": args.users, "duration": args.duration, "phases": phases}
        client = subprocess.run([sys.executable, __file__, "--load-client"], input=json.dumps(spec),
                                capture_output=True, text=True, timeout=args.duration * len(phases) + 300)
        if client.returncode != 0:
            raise RuntimeError(f"the load client failed: {client.stderr[-2000:]}")
        results.update(json.loads(client.stdout))
    return results


def load_client() -> None:
    """The second process: N users, each signed in with its own session, requesting pages."""
    import http.client
    from urllib.parse import urlsplit

    spec = json.loads(sys.stdin.read())
    host = urlsplit(spec["base"])

    class User:
        def __init__(self):
            self.cookies: dict[str, str] = {}
            self.conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)

        def request(self, method, path, body=None):
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                self.conn.request(method, path, body=body, headers=headers)
                answer = self.conn.getresponse()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn.request(method, path, body=body, headers=headers)
                answer = self.conn.getresponse()
            data = answer.read()
            for name, value in answer.getheaders():
                if name.lower() == "set-cookie":
                    k, _, v = value.split(";", 1)[0].partition("=")
                    self.cookies[k.strip()] = v.strip()
            if answer.getheader("Connection", "").lower() == "close":
                self.conn.close()
            return answer.status, data

        def sign_in(self):
            _status, page = self.request("GET", "/sign-in")
            match = CSRF.search(page.decode())
            form = {"email": spec["email"], "password": spec["password"]}
            if match:
                form["csrf_token"] = match.group(1) or match.group(2)
            status, _ = self.request("POST", "/sign-in", urlencode(form))
            if status not in (302, 303):
                raise SystemExit(f"sign-in failed: HTTP {status}")

    users = [User() for _ in range(spec["users"])]
    for u in users:
        u.sign_in()
    out = {}
    for phase in spec["phases"]:
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop = time.monotonic() + spec["duration"]

        def run(user: User, seed: int):
            rng = random.Random(seed)
            mine = []
            while time.monotonic() < stop:
                path = rng.choice(phase["paths"])
                started = time.perf_counter()
                status, _ = user.request("GET", path)
                mine.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    with lock:
                        errors[0] += 1
            with lock:
                latencies.extend(mine)

        started = time.monotonic()
        threads = [threading.Thread(target=run, args=(u, n)) for n, u in enumerate(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        latencies.sort()
        out[phase["name"]] = {
            "requests": len(latencies), "errors": errors[0], "rps": len(latencies) / elapsed,
            "p50_ms": latencies[len(latencies) // 2] if latencies else None,
            "p95_ms": latencies[min(len(latencies) - 1, math.ceil(len(latencies) * 0.95) - 1)] if latencies else None,
        }  # fmt: skip
    print(json.dumps(out))


# --------------------------------------------------------------------------------------------
# One backend, then the table
# --------------------------------------------------------------------------------------------


# Families that leave about 20,080 open children with pathway.demo's default 3-year histories
# (measured: 13,400 families gave 20,080).
OPEN_CHILDREN_PER_FAMILY = 20_080 / 13_400


def large_authority(backend: str, args, workdir: Path) -> dict:
    """Issue 4's scale check: the queues page and the `queue` command for one authority with
    about --large-authority open children (target: the page under 300 ms on SQLite)."""
    from pathway.demo import synthetic_authority
    from pathway.extensions import db
    from pathway.models import LocalAuthority
    from bench_queues import time_queue_cli
    from pathway.transfer import event_to_row, write_csv

    families = round(args.large_authority / OPEN_CHILDREN_PER_FAMILY)
    la = Authority(1, "E99900001", "Large synthetic authority", "england", "Large DFJ area (synthetic)", families)
    events = synthetic_authority(random.Random(args.seed), la.index, families, TODAY)
    out = io.StringIO()
    write_csv((event_to_row(la.code, ev) for ev in events), out)
    la.csv_text, la.events = out.getvalue(), len(events)
    folder = workdir / f"large-{backend}"
    folder.mkdir(exist_ok=True)
    with bench_database(backend, argparse.Namespace(**{**vars(args), "keep": False}), folder) as url:
        migrate(url)
        import_all(url, [la], 1)
        analyse(url)
        info = add_users(url)
        app = make_app(url)
        with app.app_context():
            engine = db.engine
        recorder = StatementRecorder(engine)
        client = app.test_client()
        sign_in_client(client, info["users"]["worker"]["email"])
        page = measure_page(engine, recorder, client, queues_url(app, info), "Queues page", args.repeat)
        with app.app_context():
            cli = time_queue_cli(db.session, db.session.get(LocalAuthority, info["la_id"]), TODAY)
            db.session.remove()
        engine.dispose()
        cli["process_s"] = queue_command_seconds(url, info["la_code"])
    print(f"  one authority, {info['open_children']:,} open children: queues page {fmt_ms(page.endpoint_ms)} "
          f"(bare SQL {fmt_ms(page.sql_ms)}), queue command JSON {cli['json'] * 1000:,.0f} ms, "
          f"CSV {cli['csv'] * 1000:,.0f} ms; as a command, process start included, {cli['process_s']:.2f} s",
          flush=True)
    return {"open_children": info["open_children"], "page": dict(asdict(page), ratio=page.ratio), "cli": cli}


def run_backend(backend: str, authorities: list[Authority] | None, args, workdir: Path) -> dict:
    result: dict = {"backend": backend}
    print(f"\n== {backend} ==", flush=True)
    reuse = reused_url(args, backend)
    with (nullcontext(reuse) if reuse else bench_database(backend, args, workdir)) as url:
        migrate(url)  # a reused database is brought up to the current head too
        if not reuse:
            jobs = args.import_jobs if backend == "postgresql" else 1  # SQLite has one writer at a time
            print(f"importing {sum(a.events for a in authorities):,} events ({jobs} process(es))...", flush=True)
            result["import"] = imported = import_all(url, authorities, jobs)
            print(f"  {imported['events']:,} events in {imported['seconds']:.0f} s: "
                  f"{imported['events_per_s']:,.0f} events/s", flush=True)
            result["analyse_s"] = analyse(url)
        info = add_users(url)
        result["largest"] = {k: info[k] for k in ("la_code", "la_name", "open_children", "families")}
        print(f"largest authority {info['la_code']}: {info['families']:,} families, "
              f"{info['open_children']:,} open children", flush=True)
        timings = measure_pages(url, info, args.repeat)
        result["timings"] = [dict(asdict(t), ratio=t.ratio) for t in timings]
        for t in timings:
            print(f"  {t.name}: {fmt_ms(t.endpoint_ms)} page, {fmt_ms(t.sql_ms)} SQL {t.note}", flush=True)
        if not args.skip_load:
            try:
                result["load"] = load_test(url, info, args)
            except Exception as e:  # noqa: BLE001  (report it in the table rather than lose the rest)
                result["load"] = {"error": f"{type(e).__name__}: {e}"}
            print(f"  load: {result['load']}", flush=True)
    if args.large_authority:
        result["large"] = large_authority(backend, args, workdir)
    return result


def reused_url(args, backend: str) -> str | None:
    for url in args.database_url or []:
        if url.startswith("sqlite") == (backend == "sqlite"):
            from pathway.config import normalise_database_url

            return normalise_database_url(url)
    return None


@contextmanager
def nullcontext(value):
    yield value


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return NOT_AVAILABLE
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def queue_command_seconds(url: str, la_code: str) -> float:
    """`flask --app wsgi queue --la CODE` as a manager's morning export runs it: a new process,
    Python and the app started, the JSON written (median of 3)."""
    env = {**os.environ, "DATABASE_URL": url, "PATHWAY_ENV": "development", "PATHWAY_TODAY": TODAY.isoformat()}
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "queue", "--la", la_code], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# Issue 17's targets: (measure, what the target is, is it met? from one backend's results).
def _timing(r: dict, name: str) -> dict:
    return next(t for t in r["timings"] if t["name"] == name)


def _load(r: dict, name: str) -> dict:
    return r["load"][name]


TARGETS = {
    "Import (transfer.import_events, CSV, 1 transaction per authority)": (
        ">= 20,000 events/s SQLite, >= 15,000 PostgreSQL",
        lambda r: r["import"]["events_per_s"] >= (20_000 if r["backend"] == "sqlite" else 15_000)),
    "Board report, 5 years, all authorities": (
        "<= 300 ms and <= 1.3x bare SQL",
        lambda r: _timing(r, "Board report, 5 years, all authorities")["endpoint_ms"] <= 300
        and _timing(r, "Board report, 5 years, all authorities")["ratio"] <= 1.3),
    "Board report, 1 year, one DFJ area": (
        "<= 100 ms", lambda r: _timing(r, "Board report, 1 year, one DFJ area")["endpoint_ms"] <= 100),
    "queue command, same authority (JSON / CSV)": (
        "<= 1.5 s as a command, process start included", lambda r: r["large"]["cli"]["process_s"] <= 1.5),
    "Load: Family page": (">= 250 req/s, p95 <= 150 ms",
                    lambda r: _load(r, "Family page")["rps"] >= 250 and _load(r, "Family page")["p95_ms"] <= 150),
    "Load: Queues page (largest authority)": (
        ">= 100 req/s, p95 <= 300 ms",
        lambda r: _load(r, "Queues page (largest authority)")["rps"] >= 100
        and _load(r, "Queues page (largest authority)")["p95_ms"] <= 300),
}


def verdict(measure: str, results: list[dict]) -> str:
    """The target of a measure and, per backend, whether this run met it."""
    for key, (target, met) in TARGETS.items():
        load = key.startswith("Load: ") and measure.startswith("Load,") and measure.endswith(key[len("Load: "):])
        if key == measure or load:
            said = []
            for r in results:
                try:
                    said.append("met" if met(r) else "NOT met")
                except (KeyError, TypeError, StopIteration):
                    said.append("not measured")
            return f"{target}: {' / '.join(said)}"
    return ""


def table(generation: dict | None, results: list[dict], args) -> str:
    backends = [r["backend"] for r in results]
    head = ["Measure"] + ["SQLite" if b == "sqlite" else "PostgreSQL" for b in backends]
    rows: list[list[str]] = []
    if generation:
        rows.append(["Synthetic history (shared)"] + [
            f"{generation['authorities']} authorities, {generation['families']:,} families, "
            f"{generation['proceedings']:,} proceedings, {generation['events']:,} events; "
            f"generated in {generation['seconds']:.0f} s"] * len(backends))  # fmt: skip

    def cell(r, fn):
        try:
            return fn(r)
        except (KeyError, TypeError):
            return NOT_AVAILABLE

    rows.append(["Import (transfer.import_events, CSV, 1 transaction per authority)"] + [
        cell(r, lambda r: f"{r['import']['events_per_s']:,.0f} events/s ({r['import']['events']:,} in "
                          f"{r['import']['seconds']:.0f} s, {r['import']['jobs']} process"
                          f"{'es' if r['import']['jobs'] > 1 else ''})") for r in results])  # fmt: skip
    rows.append(["Import CPU: Python + database server (events per CPU second)"] + [
        cell(r, lambda r: f"{r['import']['cpu_seconds']:.1f} s + {r['import']['db_cpu_seconds']:.1f} s "
                          f"= {r['import']['events_per_cpu_s']:,.0f} events per CPU s") for r in results])
    rows.append(["ANALYZE after import"] + [cell(r, lambda r: f"{r['analyse_s']:.0f} s") for r in results])
    names = [t["name"] for t in results[0].get("timings", [])]
    for name in names:
        def page(r, name=name):
            t = next(t for t in r["timings"] if t["name"] == name)
            if t["endpoint_ms"] is None:
                return t["note"] or NOT_AVAILABLE
            return (f"{fmt_ms(t['endpoint_ms'])} vs bare SQL {fmt_ms(t['sql_ms'])} = x{t['ratio']:.2f} "
                    f"({t['statements']} statements, {t['rows']:,} rows)")
        rows.append([name] + [cell(r, page) for r in results])
    if any("large" in r for r in results):
        rows.append([f"Queues page, one authority of about {args.large_authority:,} open children"] + [
            cell(r, lambda r: f"{fmt_ms(r['large']['page']['endpoint_ms'])} vs bare SQL "
                              f"{fmt_ms(r['large']['page']['sql_ms'])} = x{r['large']['page']['ratio']:.2f} "
                              f"({r['large']['open_children']:,} open children)") for r in results])
        rows.append(["queue command, same authority (JSON / CSV)"] + [
            cell(r, lambda r: f"{r['large']['cli']['json'] * 1000:,.0f} ms / {r['large']['cli']['csv'] * 1000:,.0f} ms "
                              f"in process; {r['large']['cli']['process_s']:.2f} s as a command, process start "
                              f"included ({r['large']['cli']['children']:,} children)") for r in results])
    if not args.skip_load:
        for name in ("Family page", "Queues page (largest authority)"):
            def load(r, name=name):
                if "error" in r["load"]:
                    return r["load"]["error"][:80]
                x = r["load"].get(name)
                if not x:
                    return NOT_AVAILABLE
                return (f"{x['rps']:,.0f} req/s, p95 {fmt_ms(x['p95_ms'])}, p50 {fmt_ms(x['p50_ms'])} "
                        f"({x['requests']:,} requests, {x['errors']} errors)")
            rows.append([f"Load, {args.users} users, {args.workers} gunicorn workers: {name}"] +
                        [cell(r, load) for r in results])  # fmt: skip
    head.append("Target (issue 17): " + " / ".join(head[1:]))
    rows = [row + [verdict(row[0], results)] for row in rows]
    widths = [max(len(str(row[i])) for row in [head] + rows) for i in range(len(head))]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    out = [line, "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |", line]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    out.append(line)
    return "\n".join(out)


def peak_memory() -> str:
    """Peak resident memory of this process (generation, page timings) and of the largest child
    process (imports, gunicorn workers, the load client), as the kernel counted them."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"Peak memory (RSS): this process {own:,.0f} MiB; largest child process {children:,.0f} MiB"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--authorities", type=int, default=150)
    p.add_argument("--proceedings", type=int, default=100_000, help="care proceedings in all (about 16 events each)")
    p.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    p.add_argument("--skip-load", action="store_true", help="no gunicorn load test")
    p.add_argument("--users", type=int, default=20, help="concurrent users in the load test")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers in the load test")
    p.add_argument("--duration", type=int, default=20, help="seconds per page in the load test")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per page (the median is shown)")
    p.add_argument("--import-jobs", type=int, default=1,
                   help="PostgreSQL only: authorities imported by this many processes at once")
    p.add_argument("--jobs", type=int, default=2, help="processes generating the history")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--postgres-url", help="PostgreSQL server to create the benchmark database on")
    p.add_argument("--database-url", action="append",
                   help="reuse a database kept by --keep (skips generation and import); once per backend")
    p.add_argument("--previous", help="a results .json of the run that generated and imported the reused databases "
                                      "(its generation and import figures go into the table)")
    p.add_argument("--large-authority", type=int, default=20_000,
                   help="also time the queues page and command for one authority with this many open "
                        "children (0: skip)")
    p.add_argument("--keep", action="store_true", help="keep the databases (to measure again with --database-url)")
    p.add_argument("--load-client", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.load_client:
        load_client()
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the benchmark database is still dropped
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    missing = [b for b in backends if args.database_url and not reused_url(args, b)]
    if missing:
        raise SystemExit(f"--database-url: give one for each backend measured (none for {', '.join(missing)})")
    generation, authorities = None, None
    previous = json.loads(Path(args.previous).read_text()) if args.previous else None
    if previous:
        generation = previous.get("generation")
    if not args.database_url:
        started = time.perf_counter()
        planned = plan_authorities(args.authorities, args.proceedings, args.seed)
        print(f"generating {args.authorities} authorities, about {sum(a.families for a in planned):,} families...",
              flush=True)
        authorities = generate(planned, args.seed, args.jobs)
        generation = {
            "authorities": len(authorities), "families": sum(a.families for a in authorities),
            "proceedings": sum(a.proceedings for a in authorities), "events": sum(a.events for a in authorities),
            "seconds": time.perf_counter() - started,
        }  # fmt: skip
        print(f"  {generation['events']:,} events, {generation['proceedings']:,} proceedings "
              f"in {generation['seconds']:.0f} s", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="pathway-bench-") as tmp:
        for backend in backends:
            result = run_backend(backend, authorities, args, Path(tmp))
            earlier = next((r for r in (previous or {}).get("results", []) if r["backend"] == backend), None)
            if earlier and "import" not in result:
                result.update({k: earlier[k] for k in ("import", "analyse_s") if k in earlier})
            results.append(result)
    text = table(generation, results, args) + "\n" + peak_memory()
    print()
    print(f"Pathway benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPU cores, "
          f"data as of {TODAY.isoformat()}")
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"benchmark-{stamp}.txt").write_text(text + "\n")
    (RESULTS / f"benchmark-{stamp}.json").write_text(json.dumps(
        {"args": vars(args), "generation": generation, "results": results}, indent=2, default=str))


if __name__ == "__main__":
    main()
