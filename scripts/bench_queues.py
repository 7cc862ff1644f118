"""Timing the queues for the project's benchmark (scripts/benchmark.py calls these; kept beside it,
outside the application package).

    from bench_queues import time_queue_page, time_queue_cli
    time_queue_page(db.session, la, today)   # {list: {"wall": s, "cpu": s}}: medians, page 1
    time_queue_cli(db.session, la, today)    # {"json": seconds, "csv": seconds, "children": n}

Both run inside an application context, on whatever database the session is bound to.
Rendering the page itself (HTML) is timed by requesting /queues/<la code>?list=<list> as a
team manager of the authority.
"""
from __future__ import annotations

import io
import statistics
import time
from datetime import date

from sqlalchemy.orm import Session

from pathway.models import LocalAuthority
from pathway.queues import rules
from pathway.queues.cli import write_csv, write_json
from pathway.queues.queries import build_queue, listed_children


def time_queue_page(session: Session, la: LocalAuthority, today: date, repeats: int = 5) -> dict[str, dict]:
    """Median seconds, elapsed ("wall") and of this process's CPU ("cpu": SQLite runs in-process,
    so this is the figure a busy shared machine distorts least), to build what the queues page
    shows (counts by stage, every list's size, its first page), for each list."""
    timings = {}
    for queue in rules.QUEUES:
        wall, cpu = [], []
        for _ in range(repeats):
            started, started_cpu = time.perf_counter(), time.process_time()
            build_queue(session, la, today, queue=queue.code, page=1)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        timings[queue.code] = {"wall": statistics.median(wall), "cpu": statistics.median(cpu)}
    return timings


def time_queue_cli(session: Session, la: LocalAuthority, today: date) -> dict[str, float]:
    """Seconds for what `flask queue --format json|csv --la CODE` does (the stored flags), without starting Python."""
    result: dict[str, float] = {}
    for fmt, write in (("json", write_json), ("csv", write_csv)):
        started = time.perf_counter()
        rows = listed_children(session, today, [la.id])
        write(rows, io.StringIO())
        result[fmt] = time.perf_counter() - started
        result["children"] = len(rows)
    return result
