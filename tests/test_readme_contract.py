"""The README is the public contract's documentation: every event, event-file column, report
key and queue flag code is written there exactly as the code names it."""
from pathlib import Path

from pathway import reports
from pathway import workflow as wf
from pathway.queues import rules
from pathway.transfer import COLUMNS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_event_column_key_and_flag_is_in_the_readme_exactly():
    missing = [f"event {e}" for e in wf.EVENT_NAMES if f"`{e}`" not in README]
    missing += [f"column {c}" for c in COLUMNS if f"`{c}`" not in README and f"{c}," not in README]
    missing += [f"report key {k}" for k in reports.KEYS if f"`{k}`" not in README]
    missing += [f"flag {f.code}" for f in rules.FLAGS if f"`{f.code}`" not in README]
    assert missing == []
