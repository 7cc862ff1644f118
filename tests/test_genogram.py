"""The genogram drawn from a family's recorded relationships (pure: no Flask, no database).

Each test parses the SVG as XML and checks its structure: the symbols' shapes and positions, and
where each line starts and ends, worked out from the drawn symbols themselves.
"""
from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from pathway import codes
from pathway.families.genogram import Genogram, Member, Tie, draw

SVG = "{http://www.w3.org/2000/svg}"
LABELS = codes.RELATIONSHIPS  # the labels the pages pass


def adult(ref, sex=None, label=None, note=None):
    return Member(ref, label or ref, sex, False, note=note)


def child(ref, sex=None, born=None, label=None):
    return Member(ref, label or ref, sex, True, dob=born)


# --- Reading the SVG back ---------------------------------------------------------------------


def parse(genogram: Genogram) -> ET.Element:
    assert isinstance(genogram, Genogram)
    return ET.fromstring(genogram.svg)  # raises unless the SVG is well-formed XML


def members(root) -> dict[str, dict]:
    """Each drawn member: its main symbol's tag, centre and box, its outlines and its texts."""
    found = {}
    for g in root.iter(SVG + "g"):
        if "member" not in g.get("class", "").split():
            continue
        shapes = [el for el in g if el.tag in (SVG + "rect", SVG + "circle", SVG + "polygon")]
        symbol = next(el for el in shapes if el.get("class") == "symbol")
        boxes = [box(el) for el in shapes]
        outer = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                 max(b[2] for b in boxes), max(b[3] for b in boxes))
        x0, y0, x1, y1 = box(symbol)
        found[g.get("data-ref")] = {
            "tag": symbol.tag.removeprefix(SVG),
            "centre": ((x0 + x1) / 2, (y0 + y1) / 2),
            "top": y0,
            "box": outer,
            "classes": [el.get("class") for el in shapes],
            "texts": {t.get("class"): visible(t) for t in g.iter(SVG + "text")},
            "label": next(t for t in g.iter(SVG + "text") if t.get("class") == "label"),
            "title": g.find(SVG + "title").text,
        }
    return found


def visible(text_el) -> str:
    """A <text>'s printed words, without its <title> (the full text shown on hover)."""
    words = text_el.text or ""
    for part in text_el:
        words += ("" if part.tag == SVG + "title" else "".join(part.itertext())) + (part.tail or "")
    return words


def box(el) -> tuple[float, float, float, float]:
    tag = el.tag.removeprefix(SVG)
    if tag == "rect":
        x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
        return x, y, x + w, y + h
    if tag == "circle":
        cx, cy, r = (float(el.get(k)) for k in ("cx", "cy", "r"))
        return cx - r, cy - r, cx + r, cy + r
    pts = points(el)
    return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


def points(el) -> list[tuple[float, float]]:
    if el.tag == SVG + "line":
        return [(float(el.get("x1")), float(el.get("y1"))), (float(el.get("x2")), float(el.get("y2")))]
    return [tuple(float(v) for v in pair.split(",")) for pair in el.get("points").split()]


def lines(root, kind: str) -> list[list[tuple[float, float]]]:
    group = next(g for g in root.iter(SVG + "g") if g.get("class") == "lines")
    return [points(el) for el in group if el.get("class") == kind]


def close(a, b, tolerance=0.11) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def partner_line_between(root, drawn, a: str, b: str) -> list[tuple[float, float]]:
    """The horizontal partner line whose ends touch the sides of a's and b's symbols."""
    (ax, ay), (bx, by) = drawn[a]["centre"], drawn[b]["centre"]
    left, right = sorted([(ax, ay), (bx, by)])
    for pts in lines(root, "partner"):
        if close(pts[0], (left[0] + 20, left[1])) and close(pts[-1], (right[0] - 20, right[1])):
            return pts
    raise AssertionError(f"no partner line between {a} and {b}")


def descent_to(root, drawn, ref: str) -> list[tuple[float, float]]:
    """The line of descent that ends on top of ref's symbol, at its centre."""
    cx, _ = drawn[ref]["centre"]
    ends = [pts for pts in lines(root, "descent") if close(pts[-1], (cx, drawn[ref]["top"]))]
    assert len(ends) == 1, f"{ref} should have one line of descent, found {len(ends)}"
    return ends[0]


def ends_on(pts, drawn, ref: str) -> bool:
    """A line's last point on the top edge (or under the captions) of ref's symbol."""
    x0, y0, x1, _ = drawn[ref]["box"]
    x, y = pts[-1]
    return x0 <= x <= x1 and (abs(y - y0) < 21 or y > drawn[ref]["centre"][1])


# --- A family with half-siblings ------------------------------------------------------------

MOTHER, FATHER_1, FATHER_2 = "GM-P-1", "GM-P-2", "GM-P-3"
ELDER, YOUNGER = "GM-1-C1", "GM-1-C2"


def half_siblings(**extra):
    people = [adult(MOTHER, "F", "Mum Example"), adult(FATHER_1, "M", "First Dad"),
              adult(FATHER_2, "M", "Second Dad"),
              child(ELDER, "F", date(2016, 4, 1), "Elder Child"), child(YOUNGER, None, date(2020, 9, 1), "Younger")]
    ties = [Tie(MOTHER, ELDER, "mother", True), Tie(MOTHER, YOUNGER, "mother", True),
            Tie(FATHER_1, ELDER, "father", True), Tie(FATHER_2, YOUNGER, "father", False)]
    return people + extra.get("people", []), ties + extra.get("ties", [])


def test_each_sex_has_its_shape_and_children_are_on_the_bottom_row():
    people, ties = half_siblings()
    drawn = members(parse(draw(people, ties, LABELS)))
    assert drawn[MOTHER]["tag"] == "circle"
    assert drawn[FATHER_1]["tag"] == "rect" and drawn[FATHER_2]["tag"] == "rect"
    assert drawn[YOUNGER]["tag"] == "polygon"  # sex not recorded: a diamond
    assert drawn[ELDER]["tag"] == "circle"
    parents_row = {drawn[r]["centre"][1] for r in (MOTHER, FATHER_1, FATHER_2)}
    children_row = {drawn[r]["centre"][1] for r in (ELDER, YOUNGER)}
    assert len(parents_row) == 1 and len(children_row) == 1
    assert children_row.pop() > parents_row.pop()


def test_half_siblings_each_descend_from_their_own_father_and_their_mother():
    people, ties = half_siblings()
    root = parse(draw(people, ties, LABELS))
    drawn = members(root)
    first = partner_line_between(root, drawn, MOTHER, FATHER_1)
    second = partner_line_between(root, drawn, MOTHER, FATHER_2)
    # The mother stands between her two partners.
    xs = {r: drawn[r]["centre"][0] for r in (MOTHER, FATHER_1, FATHER_2)}
    assert min(xs[FATHER_1], xs[FATHER_2]) < xs[MOTHER] < max(xs[FATHER_1], xs[FATHER_2])

    def midpoint(pts):
        return ((pts[0][0] + pts[-1][0]) / 2, pts[0][1])

    elder, younger = descent_to(root, drawn, ELDER), descent_to(root, drawn, YOUNGER)
    assert close(elder[0], midpoint(first)) and not close(elder[0], midpoint(second))
    assert close(younger[0], midpoint(second)) and not close(younger[0], midpoint(first))
    # Every segment is horizontal or vertical.
    for pts in (elder, younger):
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            assert x0 == x1 or y0 == y1


def test_a_child_with_one_recorded_parent_descends_from_that_parent_alone():
    people = [adult("GM-P-1", "F"), child("GM-1-C1", "M"), child("GM-1-C2", "F")]
    ties = [Tie("GM-P-1", "GM-1-C1", "mother", True), Tie("GM-P-1", "GM-1-C2", "mother", True)]
    root = parse(draw(people, ties, LABELS))
    drawn = members(root)
    assert lines(root, "partner") == []
    mother_x, mother_y = drawn["GM-P-1"]["centre"]
    for ref in ("GM-1-C1", "GM-1-C2"):
        pts = descent_to(root, drawn, ref)
        assert pts[0][0] == pytest.approx(mother_x)
        assert pts[0][1] > mother_y + 20  # starts below her captions, not through them


def test_parental_responsibility_is_marked_in_text_for_holders_only():
    people, ties = half_siblings()
    drawn = members(parse(draw(people, ties, LABELS)))
    # PR for both children, and for one child only (held for the elder, not the younger).
    assert drawn[MOTHER]["texts"].get("pr") == "PR"
    assert drawn[FATHER_1]["texts"].get("pr") == "PR"
    assert "pr" not in drawn[FATHER_2]["texts"]
    assert "PR" not in " ".join(drawn[FATHER_2]["texts"].values())
    assert "outline-pr" in drawn[MOTHER]["classes"] and "outline-pr" not in drawn[FATHER_2]["classes"]
    # The outline is doubled: a second shape of the same kind around the symbol.
    assert drawn[MOTHER]["classes"].count("outline-pr") == 1


def test_pr_that_differs_between_children_is_marked_on_the_line_to_each_child():
    people = [adult("GM-P-1", "M", "Step Dad"), child("GM-1-C1", "F"), child("GM-1-C2", "M")]
    ties = [Tie("GM-P-1", "GM-1-C1", "step_parent", True), Tie("GM-P-1", "GM-1-C2", "step_parent", False)]
    root = parse(draw(people, ties, LABELS))
    drawn = members(root)
    assert drawn["GM-P-1"]["texts"]["pr"] == "PR for some"
    marks = [t for t in root.iter(SVG + "text") if t.get("class") == "pr-mark"]
    assert [(m.get("data-person"), m.get("data-child")) for m in marks] == [("GM-P-1", "GM-1-C1")]
    assert visible(marks[0]) == "PR"
    mark_x, mark_y = float(marks[0].get("x")), float(marks[0].get("y"))
    c1, c2 = drawn["GM-1-C1"], drawn["GM-1-C2"]
    assert abs(mark_x - c1["centre"][0]) < 40 and abs(mark_x - c2["centre"][0]) > 60
    assert mark_y < c1["top"]
    # Both step-parent ties are dashed lines straight to the child.
    dashed = lines(root, "direct")
    assert len(dashed) == 2
    assert sorted(ref for ref in ("GM-1-C1", "GM-1-C2") for pts in dashed if ends_on(pts, drawn, ref)) == \
        ["GM-1-C1", "GM-1-C2"]


def test_labels_are_escaped_and_long_labels_truncated_with_the_full_text_in_a_title():
    hostile = '<script>&"'
    long_name = "Bartholomew Fitzwilliam-Montgomery"
    people = [adult("GM-P-1", "F", hostile, note="<b>note</b>"), adult("GM-P-2", "M", long_name),
              child("GM-1-C1", None, label=hostile)]
    ties = [Tie("GM-P-1", "GM-1-C1", "mother", False), Tie("GM-P-2", "GM-1-C1", "father", False)]
    genogram = draw(people, ties, LABELS, title='Genogram for <family> & "friends"')
    assert "<script" not in genogram.svg and "<b>" not in genogram.svg
    root = parse(genogram)
    drawn = members(root)
    assert drawn["GM-P-1"]["texts"]["label"] == hostile
    assert drawn["GM-1-C1"]["texts"]["label"] == hostile
    assert drawn["GM-P-1"]["texts"]["note"] == "<b>note</b>"
    label = drawn["GM-P-2"]["texts"]["label"]
    assert label.endswith("\u2026") and len(label) < len(long_name) and long_name.startswith(label[:-1])
    assert drawn["GM-P-2"]["label"].find(SVG + "title").text == long_name
    assert drawn["GM-P-2"]["title"] == long_name
    assert root.find(SVG + "title").text == 'Genogram for <family> & "friends"'


def test_the_svg_is_labelled_scales_down_and_has_a_legend():
    people, ties = half_siblings()
    root = parse(draw(people, ties, LABELS))
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    title_id, desc_id = root.get("aria-labelledby").split()
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert by_id[title_id].tag == SVG + "title" and by_id[title_id].text == "Family genogram"
    assert by_id[desc_id].tag == SVG + "desc"
    assert by_id[desc_id].text.startswith("2 children, 3 adults;")
    assert "2 people hold parental responsibility" in by_id[desc_id].text
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width > 0 and height > 0
    style = root.get("style")
    assert f"max-width: {width:g}px" in style and "font-family: inherit" in style
    # Print-friendly: black strokes and text only, white fills.
    colours = {el.get(attr) for el in root.iter() for attr in ("stroke", "fill") if el.get(attr)}
    assert colours <= {"#000", "#fff", "none"}
    legend = next(g for g in root.iter(SVG + "g") if g.get("class") == "legend")
    words = " ".join("".join(t.itertext()) for t in legend.iter(SVG + "text"))
    for expected in ("Male", "Female", "Sex not recorded", "parental responsibility", "Child", "Wider network"):
        assert expected in words
    assert {el.tag for el in legend} >= {SVG + "rect", SVG + "circle", SVG + "polygon", SVG + "line"}
    # Every symbol and caption lies inside the picture.
    for m in members(root).values():
        x0, y0, x1, y1 = m["box"]
        assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height


def test_children_are_marked_distinctly():
    people, ties = half_siblings()
    drawn = members(parse(draw(people, ties, LABELS)))
    for ref in (ELDER, YOUNGER):
        assert "outline-child" in drawn[ref]["classes"]
        assert drawn[ref]["texts"]["role"] == "Child"
    for ref in (MOTHER, FATHER_1, FATHER_2):
        assert "outline-child" not in drawn[ref]["classes"]
        assert "Child" not in drawn[ref]["texts"].values()


def test_grandparents_join_the_parent_on_their_side_or_the_child_when_that_parent_is_missing():
    people, ties = half_siblings(
        people=[adult("GM-P-4", "F", "Nana"), adult("GM-P-5", "M", "Grandpa"), adult("GM-P-6", "F", "Gran"),
                adult("GM-P-7", "M", "Uncle"), child("GM-1-C3", "M", date(2022, 1, 1))],
        ties=[Tie("GM-P-4", ELDER, "maternal_grandparent", False), Tie("GM-P-5", ELDER, "maternal_grandparent", False),
              Tie("GM-P-6", "GM-1-C3", "paternal_grandparent", True),
              Tie("GM-P-7", YOUNGER, "maternal_aunt_or_uncle", False)])
    root = parse(draw(people, ties, LABELS))
    drawn = members(root)
    rows = sorted({m["centre"][1] for m in drawn.values()})
    assert drawn["GM-P-4"]["centre"][1] == drawn["GM-P-5"]["centre"][1] == drawn["GM-P-6"]["centre"][1] == rows[0]
    # The maternal grandparents are partners with one line of descent to the mother.
    couple = partner_line_between(root, drawn, "GM-P-4", "GM-P-5")
    to_mother = descent_to(root, drawn, MOTHER)
    assert close(to_mother[0], ((couple[0][0] + couple[-1][0]) / 2, couple[0][1]))
    # The uncle stands beside the mother in her row, as her brother: the same line reaches him.
    assert drawn["GM-P-7"]["centre"][1] == drawn[MOTHER]["centre"][1]
    to_uncle = descent_to(root, drawn, "GM-P-7")
    assert close(to_uncle[0], to_mother[0])
    # No father recorded for the third child: the paternal grandmother's line is dashed to him.
    gran_x = drawn["GM-P-6"]["centre"][0]
    dashed = [pts for pts in lines(root, "direct") if pts[0][0] == pytest.approx(gran_x)]
    assert len(dashed) == 1 and ends_on(dashed[0], drawn, "GM-1-C3")
    # ...and it passes down between the people in the parents' row, not through them.
    parents_row = [m for m in drawn.values() if m["centre"][1] == drawn[MOTHER]["centre"][1]]
    for (x0, y0), (x1, y1) in zip(dashed[0], dashed[0][1:]):
        for m in parents_row:
            bx0, by0, bx1, by1 = m["box"]
            crosses = min(x0, x1) <= bx1 and max(x0, x1) >= bx0 and min(y0, y1) <= by1 and max(y0, y1) >= by0
            assert not crosses
    assert drawn["GM-P-6"]["texts"]["pr"] == "PR"


def test_adult_siblings_stand_beside_the_children_and_the_wider_network_apart():
    people, ties = half_siblings(
        people=[adult("GM-P-8", "M", "Big Brother"), adult("GM-P-9", None, "Neighbour"),
                adult("GM-P-10", "F", "Cousin")],
        ties=[Tie("GM-P-8", ELDER, "adult_sibling", False), Tie("GM-P-9", ELDER, "family_friend", False),
              Tie("GM-P-9", YOUNGER, "family_friend", False), Tie("GM-P-10", YOUNGER, "other_relative", False)])
    root = parse(draw(people, ties, LABELS))
    drawn = members(root)
    assert drawn["GM-P-8"]["centre"][1] == drawn[ELDER]["centre"][1]
    wider_row = drawn["GM-P-9"]["centre"][1]
    assert wider_row == drawn["GM-P-10"]["centre"][1] > drawn[ELDER]["centre"][1]
    group = next(g for g in root.iter(SVG + "g") if g.get("class") == "wider-network")
    assert "".join(group.find(SVG + "text").itertext()) == "Wider network"
    x0, y0, x1, y1 = box(group.find(SVG + "rect"))
    for ref in ("GM-P-9", "GM-P-10"):
        bx0, by0, bx1, by1 = drawn[ref]["box"]
        assert x0 <= bx0 and bx1 <= x1 and y0 <= by0 and by1 <= y1
    dotted = lines(root, "wider")
    starts = {pts[0][0]: [] for pts in dotted}
    for pts in dotted:
        starts[pts[0][0]].append(pts)
    neighbour = starts[drawn["GM-P-9"]["centre"][0]]
    assert len(neighbour) == 2
    assert sorted(r for r in (ELDER, YOUNGER) for pts in neighbour if ends_on(pts, drawn, r)) == [ELDER, YOUNGER]
    cousin = starts[drawn["GM-P-10"]["centre"][0]]
    assert len(cousin) == 1 and ends_on(cousin[0], drawn, YOUNGER)
    sibling = [pts for pts in lines(root, "direct") if pts[0][0] == pytest.approx(drawn["GM-P-8"]["centre"][0])]
    assert len(sibling) == 1 and ends_on(sibling[0], drawn, ELDER)


def big_network():
    """20 members: 3 children by 2 fathers, parents, a step-parent, grandparents on both sides,
    aunts and uncles, an adult sibling, and a wider network."""
    kids = [child("GM-9-C1", "F", date(2012, 1, 1)), child("GM-9-C2", "M", date(2014, 1, 1)),
            child("GM-9-C3", None, date(2019, 1, 1))]
    grown = [adult(f"GM-P-{i}", sex, f"Person number {i} with a long name") for i, sex in
             enumerate(["F", "M", "M", "F", "F", "M", "F", "M", "F", None, "M", "F", "M", None, "F", "M", "F"], 1)]
    ties = [Tie("GM-P-1", c.ref, "mother", True) for c in kids]
    ties += [Tie("GM-P-2", "GM-9-C1", "father", True), Tie("GM-P-2", "GM-9-C2", "father", True),
             Tie("GM-P-3", "GM-9-C3", "father", False), Tie("GM-P-4", "GM-9-C3", "step_parent", True),
             Tie("GM-P-5", "GM-9-C1", "maternal_grandparent", False),
             Tie("GM-P-6", "GM-9-C1", "maternal_grandparent", False),
             Tie("GM-P-7", "GM-9-C1", "paternal_grandparent", False),
             Tie("GM-P-8", "GM-9-C2", "paternal_grandparent", False),
             Tie("GM-P-9", "GM-9-C3", "paternal_grandparent", False),
             Tie("GM-P-10", "GM-9-C1", "maternal_aunt_or_uncle", False),
             Tie("GM-P-11", "GM-9-C2", "paternal_aunt_or_uncle", False),
             Tie("GM-P-12", "GM-9-C3", "paternal_aunt_or_uncle", False),
             Tie("GM-P-13", "GM-9-C1", "adult_sibling", False),
             Tie("GM-P-14", "GM-9-C1", "family_friend", False), Tie("GM-P-14", "GM-9-C3", "family_friend", True),
             Tie("GM-P-15", "GM-9-C2", "other_relative", False), Tie("GM-P-16", "GM-9-C3", "other", False),
             Tie("GM-P-17", "GM-9-C2", "maternal_aunt_or_uncle", False)]
    return kids + grown, ties


def test_no_symbols_or_labels_overlap_in_a_twenty_member_network():
    people, ties = big_network()
    assert len(people) == 20
    drawn = members(parse(draw(people, ties, LABELS)))
    assert set(drawn) == {m.ref for m in people}
    refs = sorted(drawn)
    for i, a in enumerate(refs):
        for b in refs[i + 1:]:
            ax0, ay0, ax1, ay1 = drawn[a]["box"]
            bx0, by0, bx1, by1 = drawn[b]["box"]
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0, f"{a} overlaps {b}"
            # Labels (at most 7.2 units a character) on one row do not run into each other.
            if drawn[a]["centre"][1] == drawn[b]["centre"][1]:
                half = (len(drawn[a]["texts"]["label"]) + len(drawn[b]["texts"]["label"])) * 7.2 / 2
                assert abs(drawn[a]["centre"][0] - drawn[b]["centre"][0]) > half, f"{a}'s label runs into {b}'s"


@pytest.mark.parametrize("seed", range(150))
def test_any_network_of_up_to_twenty_gives_well_formed_svg_with_no_overlaps(seed):
    rng = random.Random(seed)
    kids = [child(f"GM-1-C{i}", rng.choice(["M", "F", None])) for i in range(rng.randint(0, 5))]
    grown = [adult(f"GM-P-{i}", rng.choice(["M", "F", None])) for i in range(rng.randint(0, 20 - len(kids)))]
    ties = [Tie(a.ref, k.ref, rng.choice(sorted(LABELS)), rng.random() < 0.5)
            for a in grown for k in kids if rng.random() < 0.4]
    genogram = draw(kids + grown, ties, LABELS)
    drawn = members(parse(genogram))
    assert set(drawn) == {m.ref for m in kids + grown}
    assert len(genogram.rows) == len(ties)
    refs = sorted(drawn)
    for i, a in enumerate(refs):
        for b in refs[i + 1:]:
            ax0, ay0, ax1, ay1 = drawn[a]["box"]
            bx0, by0, bx1, by1 = drawn[b]["box"]
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0, f"{a} overlaps {b}"
            if drawn[a]["centre"][1] == drawn[b]["centre"][1]:
                assert abs(drawn[a]["centre"][0] - drawn[b]["centre"][0]) > 149  # room for both labels
    # Every line ends where a symbol is: on a member's top edge or under their captions.
    root = parse(genogram)
    for kind in ("descent", "direct", "wider", "sibling"):
        for pts in lines(root, kind):
            assert any(ends_on(pts, drawn, ref) for ref in drawn), f"a {kind} line ends nowhere: {pts}"


def test_same_input_gives_the_same_svg_in_any_order():
    people, ties = big_network()
    first = draw(people, ties, LABELS)
    shuffled_people, shuffled_ties = people[:], ties[:]
    random.Random(7).shuffle(shuffled_people)
    random.Random(8).shuffle(shuffled_ties)
    again = draw(shuffled_people, shuffled_ties, LABELS)
    assert again.svg == first.svg and again.rows == first.rows
    other = draw(people, ties[:-1], LABELS)
    assert other.svg != first.svg


@pytest.mark.parametrize("tie, named", [
    (Tie("GM-P-99", "GM-1-C1", "mother", True), "GM-P-99"),
    (Tie("GM-P-1", "GM-1-C99", "mother", True), "GM-1-C99"),
    (Tie("GM-P-1", "GM-P-2", "mother", True), "GM-P-2"),        # not one of the children
    (Tie("GM-1-C1", "GM-1-C2", "adult_sibling", False), "GM-1-C1"),  # a child as the person
    (Tie("GM-P-1", "GM-1-C1", "aunt", False), "aunt"),          # not a relationship we know
])
def test_a_tie_naming_someone_unknown_is_refused_with_a_clear_message(tie, named):
    people = [adult("GM-P-1", "F"), adult("GM-P-2", "M"), child("GM-1-C1"), child("GM-1-C2")]
    with pytest.raises(ValueError, match=re.escape(named)):
        draw(people, [Tie("GM-P-2", "GM-1-C2", "father", True), tie], LABELS)


def test_duplicate_members_and_ties_and_odd_sexes_are_refused():
    with pytest.raises(ValueError, match="GM-P-1 is listed more than once"):
        draw([adult("GM-P-1"), adult("GM-P-1"), child("GM-1-C1")], [], LABELS)
    with pytest.raises(ValueError, match="GM-P-1 is tied to GM-1-C1 more than once"):
        draw([adult("GM-P-1"), child("GM-1-C1")],
             [Tie("GM-P-1", "GM-1-C1", "mother", True), Tie("GM-P-1", "GM-1-C1", "step_parent", True)], LABELS)
    with pytest.raises(ValueError, match="GM-P-1 has sex 'X'"):
        draw([adult("GM-P-1", "X"), child("GM-1-C1")], [], LABELS)


def test_rows_list_every_tie_by_child_then_person():
    people, ties = half_siblings(people=[adult("GM-P-0", "F", "Aunt Ada")],
                                 ties=[Tie("GM-P-0", ELDER, "maternal_aunt_or_uncle", False)])
    labels = dict(LABELS, mother="Birth mother")
    rows = draw(people, ties, labels).rows
    assert rows == [
        ("Aunt Ada", "Maternal aunt or uncle", "Elder Child", "No"),
        ("Mum Example", "Birth mother", "Elder Child", "Yes"),
        ("First Dad", "Father", "Elder Child", "Yes"),
        ("Mum Example", "Birth mother", "Younger", "Yes"),
        ("Second Dad", "Father", "Younger", "No"),
    ]
    assert len(draw(*big_network(), LABELS).rows) == len(big_network()[1])


def test_a_family_with_no_ties_still_shows_its_children():
    people = [child("GM-1-C2", "M", date(2019, 1, 1)), child("GM-1-C1", "F", date(2017, 1, 1))]
    genogram = draw(people, [], LABELS)
    root = parse(genogram)
    drawn = members(root)
    assert set(drawn) == {"GM-1-C1", "GM-1-C2"}
    assert drawn["GM-1-C1"]["centre"][0] < drawn["GM-1-C2"]["centre"][0]  # eldest on the left
    assert lines(root, "descent") == [] and lines(root, "partner") == []
    assert genogram.rows == []
    desc = root.find(SVG + "desc").text
    assert desc.startswith("2 children, 0 adults;")
    empty = parse(draw([], [], LABELS))
    assert members(empty) == {}
    assert "No family members recorded." in "".join(empty.itertext())
