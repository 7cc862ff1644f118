"""CSV cells a spreadsheet cannot execute (issue 10): references that look like formulas are
refused at entry, every CSV the app writes neutralises free text with a leading apostrophe, the
import removes exactly that apostrophe; and the import's line N messages for a wrong encoding,
a NUL byte, too many errors, and a big file refused without holding its rows."""
from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import date

import pytest
from sqlalchemy import func, select

from conftest import opened, record, step
from pathway import csv_safety, transfer
from pathway.models import Event, Family
from test_transfer import HEADER, add_authorities, write
from web_helpers import date_fields, error_summary, make_user, sign_in, submit, web, web_app  # noqa: F401

FORMULAS = ["=HYPERLINK(\"http://x.test\",\"x\")", "@SUM(1+1)", "+1", "-1+2", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@A1", "\tx", "\rx", "'=1", "''", "'", "plain", "", "a=1"])
def test_neutralise_and_restore_are_exact_inverses(value):
    written = csv_safety.neutralise(value)
    assert not written.startswith(csv_safety.FORMULA_STARTS)
    assert csv_safety.restore(written) == value


def test_numbers_are_written_as_numbers():
    assert csv_safety.neutralise(-3) == -3 and csv_safety.neutralise("2026-01-05") == "2026-01-05"


def test_queue_download_and_command_neutralise_a_formula_in_a_reference(session, england, web, cli):
    # Recorded before references were checked at entry (the service itself takes any text).
    record(session, england, [opened("@SUM(1+1)", date(2026, 1, 5), family_ref="=HYPERLINK(\"x\")")])
    manager = make_user(session, "team_manager", england)
    sign_in(web, manager)
    response = web.get(f"/queues/{england.code}/download.csv?list=unallocated")
    assert response.status_code == 200
    (row,) = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert row["family_ref"] == "'=HYPERLINK(\"x\")" and row["child_ref"] == "'@SUM(1+1)"
    output = cli.invoke(args=["queue", "--format", "csv"]).output
    (row,) = csv.DictReader(io.StringIO(output))
    assert row["family_ref"] == "'=HYPERLINK(\"x\")" and row["child_ref"] == "'@SUM(1+1)"


def test_board_csv_neutralises_an_area_name(session, web):
    from conftest import add_la

    add_la(session, "E09000111", dfj_area="=cmd|' /C calc'!A0")
    member = make_user(session, "fjb_viewer", dfj_area="=cmd|' /C calc'!A0")
    sign_in(web, member)
    page = web.get("/board/timeliness.csv?period=fy2025&area=dfj:=cmd|' /C calc'!A0")
    rows = list(csv.reader(io.StringIO(page.get_data(as_text=True))))
    assert rows[1][0].startswith("'=cmd")


@pytest.mark.parametrize("value", FORMULAS[:4])
def test_new_family_form_refuses_a_reference_that_looks_like_a_formula(session, england, web, value):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    base = {"sex": "F", "ethnicity": "WBRI", **date_fields("dob", date(2015, 5, 1)),
            **date_fields("date", date(2026, 1, 5))}
    for field, other in (("family_ref", "child_ref"), ("child_ref", "family_ref")):
        response = submit(web, "/families/new", {**base, field: value, other: "OK1"})
        assert response.status_code == 200
        assert (f"#{field}", "A reference cannot start with =, +, -, @, a tab or a carriage return: use the code "
                "from your case management system") in error_summary(response)
    assert session.scalar(select(func.count(Event.id))) == 0


def test_care_application_form_refuses_a_court_number_that_looks_like_a_formula(session, england, web):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                              step("send_letter_before_proceedings", date(2026, 1, 7))])
    family = session.scalar(select(Family))
    response = submit(web, f"/families/{family.id}/children/{family.children[0].id}/steps/issue-proceedings",
                      {**date_fields("date", date(2026, 2, 1)), "proceedings_ref": "=1+1"})
    assert response.status_code == 200
    assert any(href == "#proceedings_ref" and "cannot start with" in text for href, text in error_summary(response))


def test_import_refuses_references_that_look_like_formulas_by_line(cli, session, tmp_path):
    add_authorities(cli)
    text = HEADER + "\n" + "\n".join([
        "E09000999,=FAM,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,",
        "E09000999,FAM1,@C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,",
        "E09000999,FAM1,C1,issue_proceedings,2026-03-02,,,,-P1,,,,,,",
        "E09000999,FAM2,C2,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,",
    ]) + "\n"
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 1
    assert "line 2: family_ref '=FAM' cannot start with =, +, -, @" in result.output
    assert "line 3: child_ref '@C1' cannot start with" in result.output
    assert "line 4: proceedings_ref '-P1' cannot start with" in result.output
    assert "line 5" not in result.output
    assert session.scalar(select(func.count(Event.id))) == 0


def test_export_neutralises_free_text_and_import_export_gives_the_same_file(cli, session, england, tmp_path):
    reasons = ["=SUM(A1:A9)", "- moved to live with grandparents", "'quoted by the worker", "+44 number given"]
    steps = []
    for n, reason in enumerate(reasons):
        steps += [opened(f"C{n}", date(2026, 1, 5), family_ref=f"F{n}"),
                  step("close_case", date(2026, 2, 1), f"F{n}", f"C{n}", reason=reason)]
    record(session, england, steps)
    first = cli.invoke(args=["export-events"]).output
    cells = [row["reason"] for row in csv.DictReader(io.StringIO(first)) if row["reason"]]
    assert sorted(cells) == sorted("'" + r for r in reasons)  # every one starts with a guarded character
    # read back (as the import reads it), the reasons are exactly as typed; written again, the same file
    result_rows = transfer.read_rows(io.StringIO(first))
    assert not result_rows[1]
    assert sorted(ev.reason for _l, _c, ev in result_rows[0] if ev.reason) == sorted(reasons)
    rewritten = io.StringIO()
    transfer.write_csv((transfer.event_to_row(la, ev) for _l, la, ev in result_rows[0]), rewritten)
    assert sorted(rewritten.getvalue().splitlines()) == sorted(first.splitlines())
    # and the bytes of the exported file read back without an error
    parsed, errors = transfer.read_rows(io.BytesIO(first.encode()))
    assert not errors and len(parsed) == 8


def test_a_line_that_is_not_utf8_is_a_line_error(cli, session, tmp_path):
    add_authorities(cli)
    good = "E09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,\n"
    data = (HEADER + "\n" + good).encode() + "E09000999,FAM2,C2,close_case,2026-02-01,,,,,,Caf\u00e9,,,,\n".encode(
        "latin-1") + good.replace("FAM1", "FAM3").replace("C1", "C3").encode()  # fmt: skip
    path = tmp_path / "latin1.csv"
    path.write_bytes(data)
    result = cli.invoke(args=["import-events", str(path)])
    assert result.exit_code == 1
    assert "line 3: is not UTF-8 text (byte" in result.output and "CSV UTF-8" in result.output
    assert "Traceback" not in result.output and session.scalar(select(func.count(Event.id))) == 0


def test_a_nul_byte_in_the_import_is_a_line_error(cli, session, tmp_path):
    add_authorities(cli)
    data = (HEADER + "\nE09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,\n"
            "E09000999,FAM1,C1,close_case,2026-02-01,,,,,,gone\x00away,,,,\n").encode()  # fmt: skip
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    result = cli.invoke(args=["import-events", str(path)])
    assert result.exit_code == 1
    assert "line 3: contains a NUL character" in result.output
    assert session.scalar(select(func.count(Event.id))) == 0


def test_a_byte_order_mark_is_still_accepted(cli, session, tmp_path):
    add_authorities(cli)
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "\nE09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,\n")
                     .encode())  # fmt: skip
    result = cli.invoke(args=["import-events", str(path)])
    assert result.exit_code == 0, result.output


def test_checking_stops_after_100_errors_and_says_so(cli, session, tmp_path):
    add_authorities(cli)
    text = HEADER + "\n" + "".join(f"E09000999,FAM{n},C{n},open_case,2026-02-30,2015-05-01,F,WBRI,,,,,,,\n"
                                   for n in range(150))  # fmt: skip
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    lines = result.output.strip().splitlines()
    assert sum("is not a real date" in line for line in lines) == 100
    assert "line 102: checking stopped here after 100 errors; the rest of the file was not checked" in result.output
    assert "line 103:" not in result.output


def _big_file(rows: int) -> bytes:
    body = "".join(f"E09000999,FAM{n},C{n},open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,\n" for n in range(rows))
    return (HEADER + "\n" + body + "E09000999,FAMX,CX,open_case,2026-02-30,2015-05-01,F,WBRI,,,,,,,\n").encode()


def _peak_refusing(session, data: bytes) -> tuple[int, list]:
    stream = io.BytesIO(data)
    tracemalloc.start()
    try:
        result = transfer.import_events(session, stream, actor=transfer.Actor(None, "test"), now=None)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - len(data), result.errors


def test_a_big_file_with_one_bad_last_row_is_refused_in_flat_memory_before_any_recording(
        session, england, monkeypatch):  # fmt: skip
    def must_not_record(*args, **kwargs):
        raise AssertionError("record_steps should not run for a file with errors of form")

    monkeypatch.setattr(transfer, "record_steps", must_not_record)
    small_peak, errors = _peak_refusing(session, _big_file(6_000))
    assert [str(e).split(":")[0] for e in errors] == ["line 6002", "line 6002"]
    assert "is not a real date" in str(errors[0]) and "not checked against the pathway's rules" in str(errors[1])
    big_peak, errors = _peak_refusing(session, _big_file(24_000))
    assert "line 24002" in str(errors[0])
    assert big_peak < 2 * small_peak + 200_000, (small_peak, big_peak)  # 4 times the rows, not 4 times the memory
