"""The "How the pathway works" page and its diagram are drawn from workflow.py's own definitions."""
from __future__ import annotations

import re
from pathlib import Path

from pathway import diagram
from pathway import workflow as wf
from web_helpers import make_user, sign_in, soup, text_of, web, web_app  # noqa: F401

README_IMAGE = Path(__file__).resolve().parent.parent / "static" / "pathway-diagram.svg"


def test_every_transition_of_every_machine_is_a_rule_with_its_gates():
    rules = wf.pathway_rules()
    child = {(r.step, r.source, r.dest) for r in rules if r.machine == "child"}
    for t in wf.CHILD_TRANSITIONS:
        sources = [t["source"]] if isinstance(t["source"], str) else t["source"]
        for source in sources:
            assert any(step == t["trigger"] and src == source for step, src, _ in child), (t["trigger"], source)
    accommodate = next(r for r in rules if r.step == "accommodate_s20")
    assert {"G2", "G1"} <= {g.code for g in accommodate.gates}
    issue = next(r for r in rules if r.step == "issue_proceedings")
    assert {"G1", "G1e", "G3"} <= {g.code for g in issue.gates}
    extension = next(r for r in rules if r.step == "extend_timetable")
    assert [g.code for g in extension.gates] == ["G4"]
    assert {r.machine for r in rules} == {"child", "fgc", "proceedings"}


def test_gates_are_labelled_in_words():
    legend = dict(diagram.describe().legend)
    assert legend["G1"].startswith("An FGC offered to the family on or before a child is moved into care, unless")
    assert legend["G1e"] == ("An accepted meeting is held before issue, unless an exception is recorded "
                             "(England, Children Act 1989 s.31ZA).")
    assert all(words and not words.startswith("gate_") for words in legend.values())


def test_the_diagram_shows_every_stage_step_and_gate():
    picture = diagram.svg("england")
    words = " ".join(re.findall(r">([^<>]+)</text>", picture)).replace("&#x27;", "'")  # wrapped lines rejoined
    for stage in wf.STAGES:
        assert stage.label in words, stage.name
    for _machine, machine in wf.MACHINES:
        for name in machine.events:
            if name in wf.EVENT:
                assert wf.event_label(name, "england") in words, name
    for key, _words in diagram.describe().legend:
        assert f"{key}: " in picture
    assert picture.startswith("<svg") and 'role="img"' in picture


def test_welsh_terms_for_welsh_users():
    picture = diagram.svg("wales")
    titles = [c.title for c in diagram.describe("wales").cards]
    assert "Section 76 accommodation" in titles and "Care and support protection plan" in titles
    assert ">Section 76 accommodation<" in picture and ">Care and support protection<" in picture  # wrapped
    assert "Section 20" not in picture and "Child protection plan" not in picture


def test_the_readme_image_is_the_one_the_code_draws():
    """`make diagram` writes it; if the pathway changes, this fails until it is drawn again."""
    assert README_IMAGE.read_text() == diagram.svg("england")
    assert README_IMAGE.with_name("pathway-diagram-wales.svg").read_text() == diagram.svg("wales")


def test_the_page_for_a_welsh_worker_uses_welsh_terms(session, wales, web):
    sign_in(web, make_user(session, "social_worker", wales))
    page = web.get("/how-the-pathway-works")
    text = text_of(page)
    assert "Showing the terms used in Wales" in text and "Section 76 accommodation" in text
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup(page).select("table tbody tr")]
    [row] = [r for r in rows if r[:3] == ["Early help", "Accommodate by agreement (section 76)",
                                          "Section 76 accommodation"]]
    assert "An FGC offered to the family on or before a child is moved into care, unless the child was under " \
           "emergency protection in the 8 days before or an exception is recorded." in row[3]
    english = text_of(web.get("/how-the-pathway-works?terms=england"))
    assert "Section 20 accommodation" in english
    svg = web.get("/how-the-pathway-works/diagram.svg?terms=wales")
    assert svg.mimetype == "image/svg+xml" and b"Section 76" in svg.data


def test_the_page_needs_a_sign_in(web):
    response = web.get("/how-the-pathway-works")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
