"""A family's genogram, drawn as SVG on the server from the recorded relationships.

Pure: no Flask, no database. The family page and the printable court application summary give
`draw` the family's members and ties (how each person relates to each child) and insert the
returned `Genogram.svg`, with `Genogram.rows` as its text alternative (a table).

Conventions (as social workers draw them by hand): a square for a male, a circle for a female, a
diamond where sex is not recorded. The family's children are on the bottom row; mothers, fathers
and step-parents on the row above, a child's two parents joined by a partner line with a line of
descent to each of their children (half-siblings each descend from their own parents); the
grandparents on the top row above the parent on their side, or joined straight to the child
(dashed) when that parent is not recorded. Aunts and uncles stand beside the parent on their
side as that parent's brothers and sisters; adult siblings beside the children. Other relatives,
family friends and others sit in a separate "Wider network" group with a dotted line to each
child they relate to.

Nothing is shown by colour alone: parental responsibility is a thick double outline plus the
text "PR" (and, for a person whose PR differs between the children, a small "PR" at the end of
the line to each child they hold it for); a child has a second, inner outline and the caption
"Child". The layout is deterministic: where nothing else decides an order, references do.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import escape

from ..codes import RELATIONSHIPS
from ..messages import N_, msg

__all__ = ["Member", "Tie", "Genogram", "draw"]


@dataclass(frozen=True)
class Member:
    ref: str                 # the person's or child's reference, e.g. "NM-P-101" or "NM-12-C1"
    label: str               # what to print under the symbol (a name if recorded, else the reference)
    sex: str | None          # "M", "F" or None (unknown)
    is_child: bool           # one of the family's children (the subjects of the case)
    dob: date | None = None
    note: str | None = None  # short extra text, e.g. "Recurrent: 3 proceedings" (optional)


@dataclass(frozen=True)
class Tie:
    person_ref: str          # an adult (or adult sibling) in the family network
    child_ref: str           # one of the family's children
    relationship: str        # a key of codes.RELATIONSHIPS
    parental_responsibility: bool


@dataclass(frozen=True)
class Genogram:
    svg: str                 # a complete <svg> element, safe to insert in HTML (all text escaped)
    rows: list[tuple[str, str, str, str]]  # (person label, relationship label, child label, "Yes"/"No" PR)


# --- How each relationship is drawn ----------------------------------------------------------

PARENT_RELATIONSHIPS = ("mother", "father")
SIDE_PARENT = {"maternal": "mother", "paternal": "father"}
GRANDPARENT_SIDE = {"maternal_grandparent": "maternal", "paternal_grandparent": "paternal"}
AUNT_OR_UNCLE_SIDE = {"maternal_aunt_or_uncle": "maternal", "paternal_aunt_or_uncle": "paternal"}
WIDER_NETWORK = ("other_relative", "family_friend", "other")

# A person with several kinds of tie is placed once, by the first of these that applies.
ROLE_ORDER = ("parent", "step_parent", "aunt_or_uncle", "grandparent", "adult_sibling", "wider")


def _role(relationship: str) -> str:
    if relationship in PARENT_RELATIONSHIPS:
        return "parent"
    if relationship in GRANDPARENT_SIDE:
        return "grandparent"
    if relationship in AUNT_OR_UNCLE_SIDE:
        return "aunt_or_uncle"
    if relationship in WIDER_NETWORK:
        return "wider"
    return relationship  # step_parent, adult_sibling


# --- Geometry (SVG user units; the picture scales down with the page) -----------------------

SIZE = 40                    # a symbol's width and height
HALF = SIZE / 2
PITCH = 150                  # centre to centre of neighbours in a row
LINE_HEIGHT = 14
CAPTION_LINES = 4            # label, relationship, note, PR/Child
ROW_HEIGHT = 4 + SIZE + 4 + CAPTION_LINES * LINE_HEIGHT + 4
TRACK = 10                   # vertical distance between horizontal runs in one gap
GAP_TOP = 12
# Translators: translator-check: CRh for cyfrifoldeb rhiant on the drawing
PR = N_("PR")  # short for "holds parental responsibility", on the drawing
GAP_BOTTOM = 22              # room for the small "PR" marks above a child
MARGIN = 20
MIN_WIDTH = 640
LABEL_CHARS = 20             # about PITCH - 20 units of 12px text
CAPTION_CHARS = 24           # 11px text
PORT_OFFSETS = (11, 16, 6)      # where dashed lines meet a child's top, clear of the line of descent

SEX_ORDER = {"M": 0, None: 1, "F": 2}  # male on the left of a couple, as drawn by hand


def _truncate(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _n(value: float) -> str:
    """A coordinate as short, stable text."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _place(desired: list[float], separation: list[float]) -> list[float]:
    """Centres, in the given order, as close as possible to `desired` (least squares) with
    neighbours at least `separation[i]` apart: pool-adjacent-violators on the shifted targets."""
    offsets = [0.0]
    for gap in separation:
        offsets.append(offsets[-1] + gap)
    targets = [d - o for d, o in zip(desired, offsets)]
    blocks: list[list[float]] = []  # [mean, weight, count]
    for value in targets:
        blocks.append([value, 1.0, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, weight2, count2 = blocks.pop()
            mean1, weight1, count1 = blocks.pop()
            weight = weight1 + weight2
            blocks.append([(mean1 * weight1 + mean2 * weight2) / weight, weight, count1 + count2])
    placed: list[float] = []
    for mean, _weight, count in blocks:
        placed.extend([mean] * count)
    return [y + o for y, o in zip(placed, offsets)]


# --- Checking the input ----------------------------------------------------------------------


def _check(members: Sequence[Member], ties: Sequence[Tie]) -> dict[str, Member]:
    by_ref: dict[str, Member] = {}
    for member in members:
        if member.ref in by_ref:
            raise ValueError(f"Member {member.ref} is listed more than once")
        if member.sex not in SEX_ORDER:
            raise ValueError(f"Member {member.ref} has sex {member.sex!r}: expected 'M', 'F' or None")
        by_ref[member.ref] = member
    seen: set[tuple[str, str]] = set()
    for tie in ties:
        person = by_ref.get(tie.person_ref)
        child = by_ref.get(tie.child_ref)
        if person is None:
            raise ValueError(f"A tie names person {tie.person_ref}, who is not one of the family's members")
        if child is None:
            raise ValueError(f"A tie names child {tie.child_ref}, who is not one of the family's members")
        if not child.is_child:
            raise ValueError(f"A tie names {tie.child_ref} as the child, but they are not one of the family's children")
        if person.is_child:
            raise ValueError(f"A tie names {tie.person_ref} as the person, but they are one of the family's children")
        if tie.relationship not in RELATIONSHIPS:
            raise ValueError(f"The tie between {tie.person_ref} and {tie.child_ref} has an unknown "
                             f"relationship {tie.relationship!r}")
        if (tie.person_ref, tie.child_ref) in seen:
            raise ValueError(f"{tie.person_ref} is tied to {tie.child_ref} more than once")
        seen.add((tie.person_ref, tie.child_ref))
    return by_ref


def _child_key(member: Member) -> tuple:
    """Eldest first (as genograms are read, left to right), then by reference."""
    return (member.dob is None, member.dob or date.min, member.ref)


def _person_key(member: Member) -> tuple:
    return (SEX_ORDER[member.sex], member.ref)


# --- The drawing -------------------------------------------------------------------------------


@dataclass
class _Connector:
    """A line: points in (x, y) form where y may be ("track", gap, key) until tracks are known."""
    kind: str                # partner, descent, sibling, direct, wider
    points: list
    attrs: dict = field(default_factory=dict)


class _Drawing:
    def __init__(self, members: Sequence[Member], ties: Sequence[Tie], labels: Mapping[str, str], title: str,
                 translate: Callable[[str], str] = str):
        self.by_ref = _check(members, ties)
        self.labels = labels
        self.title = title
        self._ = translate  # a label or Message in the reader's language (pathway.i18n.render); English by default
        self.ties = sorted(ties, key=lambda t: (t.child_ref, t.person_ref))
        self.children = sorted((m for m in members if m.is_child), key=_child_key)
        self.child_order = {m.ref: i for i, m in enumerate(self.children)}
        self.adults = sorted((m for m in members if not m.is_child), key=lambda m: m.ref)

        self.ties_of: dict[str, list[Tie]] = {m.ref: [] for m in self.adults}
        self.parents_of: dict[str, list[str]] = {m.ref: [] for m in self.children}
        for tie in sorted(self.ties, key=lambda t: (self.child_order[t.child_ref], t.person_ref)):
            self.ties_of[tie.person_ref].append(tie)
            if tie.relationship in PARENT_RELATIONSHIPS:
                self.parents_of[tie.child_ref].append(tie.person_ref)
        for refs in self.parents_of.values():
            refs.sort(key=lambda r: _person_key(self.by_ref[r]))
        self.role = {}
        for adult in self.adults:
            roles = {_role(t.relationship) for t in self.ties_of[adult.ref]} or {"wider"}
            self.role[adult.ref] = next(r for r in ROLE_ORDER if r in roles)

        self.row_of: dict[str, int] = {}     # 0 grandparents, 1 parents, 2 children, 3 wider network
        self.x: dict = {}                     # item (a ref, or ("slot", child, side)) -> centre x
        self.rows: dict[int, list] = {0: [], 1: [], 2: [], 3: []}
        self.connectors: list[_Connector] = []
        self.marks: list[tuple] = []          # small PR marks: (x, y, dy, anchor, person, child)
        self.bars: dict[int, dict] = {0: {}, 1: {}, 2: {}}  # gap -> key -> [xmin, xmax]

    # -- who goes where --------------------------------------------------------------------

    def side_parent(self, child: str, side: str) -> str | None:
        """The child's one recorded mother (maternal side) or father (paternal side)."""
        wanted = SIDE_PARENT[side]
        refs = [t.person_ref for t in self.ties if t.child_ref == child and t.relationship == wanted]
        return refs[0] if len(refs) == 1 else None

    def layout(self) -> None:
        parents = [a.ref for a in self.adults if self.role[a.ref] == "parent"]
        cluster_of = {p: p for p in parents}

        def find(p: str) -> str:
            while cluster_of[p] != p:
                cluster_of[p] = cluster_of[cluster_of[p]]
                p = cluster_of[p]
            return p

        for child in self.children:
            refs = self.parents_of[child.ref]
            for other in refs[1:]:
                a, b = find(refs[0]), find(other)
                if a != b:
                    cluster_of[max(a, b)] = min(a, b)

        # Clusters: parents joined through shared children; a child with no recorded parent is
        # a cluster of their own. Ordered by their eldest child.
        clusters: dict[str, dict] = {}
        child_cluster: dict[str, str] = {}
        for child in self.children:
            refs = self.parents_of[child.ref]
            key = find(refs[0]) if refs else "child:" + child.ref
            cluster = clusters.setdefault(key, {"parents": set(), "children": [], "extra1": [], "extra2": [],
                                                "slots": [], "couples": set()})
            cluster["parents"].update(refs)
            cluster["children"].append(child.ref)
            if len(refs) == 2:
                cluster["couples"].add(tuple(refs))
            child_cluster[child.ref] = key
        ordered = sorted(clusters.values(), key=lambda c: self.child_order[c["children"][0]])

        # Aunts and uncles join the sibling group of the parent on their side; grandparents
        # stand above that parent. Otherwise they are linked straight to the child.
        self.siblings: dict[str, list[str]] = {}
        self.grandparents: dict[str, list[str]] = {}
        home: dict[str, str] = {}  # person -> the cluster they are drawn in
        for adult in self.adults:
            ref, role = adult.ref, self.role[adult.ref]
            if role in ("parent", "wider"):
                continue
            first = self.ties_of[ref][0]
            home[ref] = child_cluster[first.child_ref]
            if role in ("aunt_or_uncle", "grandparent"):
                groups = self.siblings if role == "aunt_or_uncle" else self.grandparents
                sides = AUNT_OR_UNCLE_SIDE if role == "aunt_or_uncle" else GRANDPARENT_SIDE
                for tie in self.ties_of[ref]:
                    if tie.relationship in sides:
                        parent = self.side_parent(tie.child_ref, sides[tie.relationship])
                        if parent is not None and self.role[parent] == "parent":
                            groups.setdefault(parent, []).append(ref)
                            home[ref] = child_cluster[tie.child_ref]
                            break
        for groups in (self.siblings, self.grandparents):
            for refs in groups.values():
                refs.sort(key=lambda r: _person_key(self.by_ref[r]))
        grouped = {r for refs in self.siblings.values() for r in refs}
        grouped |= {r for refs in self.grandparents.values() for r in refs}

        for adult in self.adults:
            ref, role = adult.ref, self.role[adult.ref]
            if ref in grouped or role in ("parent", "wider"):
                continue
            cluster = clusters[home[ref]]
            if role == "adult_sibling":
                cluster["extra2"].append(ref)
            elif role == "grandparent":
                cluster.setdefault("direct0", []).append(ref)
            else:
                cluster["extra1"].append(ref)

        # Slots: an empty place in the parents' row through which a line from the top row
        # passes down to a child (where the parent on that side is not recorded).
        for tie in self.ties:
            if (self.role[tie.person_ref] == "grandparent"
                    and not self._covered_by_group(tie)):
                side = GRANDPARENT_SIDE.get(tie.relationship, "other")
                slot = ("slot", tie.child_ref, side)
                cluster = clusters[child_cluster[tie.child_ref]]
                if slot not in cluster["slots"]:
                    cluster["slots"].append(slot)

        # Row 1 (parents) and row 2 (children), cluster by cluster, left to right.
        cursor = 0.0
        desired2: list[tuple[str, float]] = []
        for cluster in ordered:
            chain = self._chain(cluster["parents"], cluster["couples"])
            row1: list = []
            # The first parent's brothers and sisters on their left, every other parent's on
            # their right (between a parent and their next partner, whose partner line then
            # runs below the row rather than through them).
            for i, parent in enumerate(chain):
                brothers_and_sisters = self.siblings.get(parent, [])
                if i == 0:
                    row1.extend(brothers_and_sisters[::-1])
                    row1.append(parent)
                else:
                    row1.append(parent)
                    row1.extend(brothers_and_sisters)
            row1.extend(sorted(cluster["extra1"]))
            slots = sorted(cluster["slots"], key=lambda s: (self.child_order[s[1]], s[2] != "paternal", s[2]))
            row1.extend(slots)
            n0 = sum(len(self.grandparents.get(p, [])) for p in chain) + len(cluster.get("direct0", []))
            n2 = len(cluster["children"]) + len(cluster["extra2"])
            span = max(len(row1), n0, n2, 1) * PITCH
            start = cursor + (span - len(row1) * PITCH) / 2 + PITCH / 2
            for i, item in enumerate(row1):
                self.x[item] = start + i * PITCH
            self.rows[1].extend(row1)

            # Children under their parents: each unit's children centred below its origin.
            units: dict[tuple, list[str]] = {}
            for child in cluster["children"]:
                units.setdefault(tuple(self.parents_of[child]), []).append(child)
            unit_list = sorted(units.items(), key=lambda u: (self._origin_x(u[0], cursor + span / 2),
                                                             self.child_order[u[1][0]]))
            for unit, kids in unit_list:
                centre = self._origin_x(unit, cursor + span / 2)
                for i, child in enumerate(kids):
                    desired2.append((child, centre + (i - (len(kids) - 1) / 2) * PITCH))
            last = desired2[-1][1] if desired2 else cursor + PITCH / 2
            for i, ref in enumerate(sorted(cluster["extra2"])):
                desired2.append((ref, last + (i + 1) * PITCH))
            cursor += span + PITCH / 3
        self._place_row(2, desired2)

        # Row 0: each parent's parents above the parent's sibling group; a grandparent linked
        # straight to a child stands above the slot for that child.
        # A couple of grandparents stays side by side: each unit is sorted as one block.
        blocks: list[tuple[float, str, list[str]]] = []
        for parent, refs in sorted(self.grandparents.items()):
            group = [parent] + self.siblings.get(parent, [])
            places = sorted(self.rows[1].index(r) for r in group)
            contiguous = places[-1] - places[0] == len(places) - 1
            centre = sum(self.x[r] for r in group) / len(group) if contiguous else self.x[parent]
            blocks.append((centre, parent, refs))
        for cluster in ordered:
            for ref in sorted(cluster.get("direct0", []), key=lambda r: _person_key(self.by_ref[r])):
                slots = [self.x[s] for s in self.rows[1] if isinstance(s, tuple)
                         and any(t.child_ref == s[1] for t in self.ties_of[ref])]
                blocks.append((sum(slots) / len(slots), ref, [ref]))
        desired0 = []
        for centre, _key, refs in sorted(blocks):
            for i, ref in enumerate(refs):
                desired0.append((ref, centre + (i - (len(refs) - 1) / 2) * PITCH))
        self._place_row(0, desired0, keep_order=True)

        # Wider network: its own row below the children, near the children they relate to.
        desired3: list[tuple[str, float]] = []
        centre_all = (min(self.x.values()) + max(self.x.values())) / 2 if self.x else PITCH / 2
        for adult in self.adults:
            if self.role[adult.ref] != "wider":
                continue
            xs = [self.x[t.child_ref] for t in self.ties_of[adult.ref]]
            desired3.append((adult.ref, sum(xs) / len(xs) if xs else centre_all))
        self._place_row(3, desired3)
        for item in self.rows[1]:
            self.row_of[item] = 1

    def _covered_by_group(self, tie: Tie) -> bool:
        sides = GRANDPARENT_SIDE if tie.relationship in GRANDPARENT_SIDE else AUNT_OR_UNCLE_SIDE
        if tie.relationship not in sides:
            return False
        parent = self.side_parent(tie.child_ref, sides[tie.relationship])
        groups = self.grandparents if sides is GRANDPARENT_SIDE else self.siblings
        return parent is not None and tie.person_ref in groups.get(parent, [])

    def _chain(self, parents: set[str], couples: set[tuple]) -> list[str]:
        """The parents in a line so that as many couples as possible stand side by side."""
        neighbours = {p: set() for p in parents}
        for a, b in couples:
            neighbours[a].add(b)
            neighbours[b].add(a)
        remaining = set(parents)
        chain: list[str] = []

        def key(p: str) -> tuple:
            degree = len(neighbours[p] & remaining)
            return (degree > 1, degree == 0, _person_key(self.by_ref[p]))

        while remaining:
            current = min(remaining, key=key)
            while current is not None:
                chain.append(current)
                remaining.discard(current)
                options = sorted(neighbours[current] & remaining, key=key)
                current = options[0] if options else None
        return chain

    def _origin_x(self, unit: tuple, fallback: float) -> float:
        if not unit:
            return fallback
        return sum(self.x[p] for p in unit) / len(unit)

    def _place_row(self, row: int, desired: list[tuple[str, float]], keep_order: bool = False) -> None:
        # Left to right by where each wants to be; children keep their given order on a tie.
        if not keep_order:
            desired = sorted(desired, key=(lambda d: d[1]) if row == 2 else (lambda d: (d[1], d[0])))
        refs = [d[0] for d in desired]
        placed = _place([d[1] for d in desired], [PITCH] * max(len(refs) - 1, 0))
        for ref, x in zip(refs, placed):
            self.x[ref] = x
            self.row_of[ref] = row
        self.rows[row] = refs

    # -- lines -----------------------------------------------------------------------------

    def adjacent(self, a: str, b: str) -> bool:
        row = self.rows[self.row_of[a]]
        return self.row_of[a] == self.row_of[b] and abs(row.index(a) - row.index(b)) == 1

    def bar(self, gap: int, key, *xs: float) -> tuple:
        span = self.bars[gap].setdefault(key, [min(xs), max(xs)])
        span[0], span[1] = min(span[0], *xs), max(span[1], *xs)
        return ("track", gap, key)

    def connect(self) -> None:
        self.ports: dict[str, dict] = {}
        self.wider_ports: dict[str, int] = {}
        covered: set[tuple[str, str]] = set()

        # Parents to children.
        units: dict[tuple, list[str]] = {}
        for child in self.children:
            if self.parents_of[child.ref]:
                units.setdefault(tuple(self.parents_of[child.ref]), []).append(child.ref)
        for unit, kids in units.items():
            origin = self._origin(1, unit)
            xs = [self.x[p] for p in unit] + [self.x[c] for c in kids] + [origin[0]]
            track = self.bar(1, ("unit", unit), *xs)
            for child in kids:
                cx = self.x[child]
                self.connectors.append(_Connector(
                    "descent", [origin, (origin[0], track), (cx, track), (cx, ("top", 2))],
                    {"data-parents": " ".join(unit), "data-child": child}))
                for i, p in enumerate(sorted(unit, key=lambda r: self.x[r])):
                    covered.add((p, child))
                    # The left partner's mark on the child's left, the right partner's on the right.
                    left = i < len(unit) / 2 if len(unit) > 1 else self.x[p] < cx
                    self._mark_if_mixed(p, child, cx + (-HALF - 3 if left else HALF + 3),
                                        ("top", 2), -4, "end" if left else "start")

        # Grandparents above a parent's sibling group; aunts and uncles joined to the parent.
        for parent in sorted(set(self.siblings) | set(self.grandparents)):
            group = sorted([parent] + self.siblings.get(parent, []), key=lambda r: self.x[r])
            gps = self.grandparents.get(parent, [])
            origin = self._origin(0, tuple(gps)) if gps else (self.x[parent], ("top", 1))
            xs = [self.x[r] for r in group] + [origin[0]]
            track = self.bar(0, ("group", parent), *xs)
            for member in group:
                if member == parent and not gps:
                    continue
                kind = "descent" if gps else "sibling"
                self.connectors.append(_Connector(
                    kind, [origin, (origin[0], track), (self.x[member], track), (self.x[member], ("top", 1))],
                    {"data-parents": " ".join(gps), "data-child": member} if gps
                    else {"data-siblings": f"{parent} {member}"}))
        for tie in self.ties:
            if self._covered_by_group(tie):
                covered.add((tie.person_ref, tie.child_ref))
                self._mark_group_tie(tie)

        # Everyone else: a dashed line straight to the child (dotted for the wider network).
        for tie in self.ties:
            if (tie.person_ref, tie.child_ref) in covered:
                continue
            self._direct(tie)

    def _origin(self, row: int, couple: tuple) -> tuple:
        """Where the line of descent from these parents starts: the middle of their partner line
        when two stand side by side; below the captions of one alone; otherwise the middle of a
        bracket below their captions (kept above every other line in that gap)."""
        if len(couple) == 2 and self.adjacent(*couple):
            left, right = sorted(couple, key=lambda p: self.x[p])
            y = ("centre", row)
            self.connectors.append(_Connector("partner", [(self.x[left] + HALF, y), (self.x[right] - HALF, y)],
                                              {"data-partners": f"{left} {right}"}))
            return ((self.x[left] + self.x[right]) / 2, y)
        if len(couple) == 1:
            return (self.x[couple[0]], ("below", row))
        xs = [self.x[p] for p in couple]
        ox = sum(xs) / len(xs)
        track = self.bar(row, ("bracket", couple), *xs)
        for p in couple:
            self.connectors.append(_Connector("partner", [(self.x[p], ("below", row)), (self.x[p], track), (ox, track)],
                                              {"data-partners": " ".join(couple)}))
        return (ox, track)

    def _mark_if_mixed(self, person: str, child: str, x: float, y, dy: float, anchor: str) -> None:
        ties = self.ties_of[person]
        if len({t.parental_responsibility for t in ties}) > 1:
            tie = next(t for t in ties if t.child_ref == child)
            if tie.parental_responsibility:
                self.marks.append((x, y, dy, anchor, person, child))

    def _mark_group_tie(self, tie: Tie) -> None:
        # A grandparent, aunt or uncle whose PR differs between children: mark it at the child.
        if tie.parental_responsibility and len({t.parental_responsibility for t in self.ties_of[tie.person_ref]}) > 1:
            cx = self.x[tie.child_ref]
            self.marks.append((cx + HALF + 3, ("top", 2), -16, "start", tie.person_ref, tie.child_ref))

    def _port(self, child: str, person: str) -> float:
        """The point on the child's top edge for a dashed line: the centre if no line of descent
        arrives there, else beside it, on the side the person stands."""
        cx = self.x[child]
        if not self.parents_of[child] and child not in self.ports:
            self.ports[child] = {}
            return cx
        side = 1 if self.x[person] >= cx else -1
        used = self.ports.setdefault(child, {})
        i = used.get(side, 0)
        used[side] = i + 1
        return cx + side * PORT_OFFSETS[i % len(PORT_OFFSETS)]

    def _direct(self, tie: Tie) -> None:
        person, child = tie.person_ref, tie.child_ref
        row, px = self.row_of[person], self.x[person]
        key = ("direct", person, child)
        style = "wider" if tie.relationship in WIDER_NETWORK else "direct"
        attrs = {"data-person": person, "data-child": child}
        if row == 3:
            i = self.wider_ports.get(child, 0)
            self.wider_ports[child] = i + 1
            end = self.x[child] + (0, -8, 8, -14, 14)[i % 5]
            track = self.bar(2, key, px, end)
            points = [(px, ("top", 3)), (px, track), (end, track), (end, ("below", 2))]
            self.connectors.append(_Connector(style, points, attrs))
            self._mark_if_mixed(person, child, end + 4, ("below", 2), 12, "start")
            return
        end = self._port(child, person)
        if row == 2:
            track = self.bar(1, key, px, end)
            points = [(px, ("top", 2)), (px, track), (end, track), (end, ("top", 2))]
        elif row == 1:
            track = self.bar(1, key, px, end)
            points = [(px, ("below", 1)), (px, track), (end, track), (end, ("top", 2))]
        else:
            side = GRANDPARENT_SIDE.get(tie.relationship, "other")
            sx = self.x[("slot", child, side)]
            upper = self.bar(0, key, px, sx)
            lower = self.bar(1, key, sx, end)
            points = [(px, ("below", 0)), (px, upper), (sx, upper), (sx, lower), (end, lower), (end, ("top", 2))]
        self.connectors.append(_Connector(style, points, attrs))
        self._mark_if_mixed(person, child, end + (4 if end >= self.x[child] else -4), ("top", 2), -16,
                            "start" if end >= self.x[child] else "end")

    # -- vertical layout and SVG -------------------------------------------------------------

    def tracks(self) -> dict:
        """Heights for the horizontal runs in each gap: runs that overlap get different heights,
        and brackets joining partners come first (nearest the people they join)."""
        assigned: dict = {}
        self.track_count = {}
        for gap, bars in self.bars.items():
            used = 0
            for brackets in (True, False):
                ends: list[float] = []
                runs = sorted(((x0, x1, repr(key), key) for key, (x0, x1) in bars.items()
                               if (key[0] == "bracket") == brackets))
                for x0, x1, _, key in runs:
                    for i, end in enumerate(ends):
                        if end + 12 < x0:
                            ends[i] = x1
                            assigned[(gap, key)] = used + i
                            break
                    else:
                        assigned[(gap, key)] = used + len(ends)
                        ends.append(x1)
                used += len(ends)
            self.track_count[gap] = used
        return assigned

    def render(self) -> str:
        assigned = self.tracks()
        xs = list(self.x.values())
        lo, hi = (min(xs), max(xs)) if xs else (0.0, 0.0)
        content = hi - lo + PITCH
        width = max(MIN_WIDTH, content + 2 * MARGIN)
        shift = (width - content) / 2 + PITCH / 2 - lo

        y = MARGIN + 22  # below the visible title
        row_y: dict[int, float] = {}
        gap_y: dict[int, float] = {}
        present = [bool(self.rows[r]) for r in range(4)]
        for row in (0, 1, 2):
            if present[row]:
                row_y[row] = y
                y += ROW_HEIGHT
            if present[row] and any(present[row + 1:]) or self.bars[row]:
                gap_y[row] = y
                y += GAP_TOP + max(self.track_count.get(row, 0), 1) * TRACK + GAP_BOTTOM
        wider_box = None
        if present[3]:
            wider_box = y
            row_y[3] = y + 24
            y = row_y[3] + ROW_HEIGHT + 8
        legend_y = y + 16

        def resolve(point) -> tuple[float, float]:
            x, yy = point
            if isinstance(yy, tuple):
                if yy[0] == "track":
                    _, gap, key = yy
                    yy = gap_y[gap] + GAP_TOP + assigned[(gap, key)] * TRACK
                elif yy[0] == "centre":
                    yy = row_y[yy[1]] + 4 + HALF
                elif yy[0] == "top":
                    yy = row_y[yy[1]] + 4
                elif yy[0] == "below":
                    yy = row_y[yy[1]] + ROW_HEIGHT - 2
            return x + shift, yy

        legend, legend_height = self._legend(legend_y, width)
        height = legend_y + legend_height + MARGIN
        uid = "genogram-" + hashlib.sha1(repr((self.title, sorted(self.x.items(), key=repr),
                                                self.ties)).encode()).hexdigest()[:10]
        out: list[str] = []
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" width="100%" class="pathway-genogram" '
            f'style="max-width: {_n(width)}px; height: auto; font-family: inherit; background: #fff">')
        out.append(f'<title id="{uid}-title">{escape(self.title)}</title>')
        out.append(f'<desc id="{uid}-desc">{escape(self.description())}</desc>')
        out.append(f'<rect class="background" x="0" y="0" width="{_n(width)}" height="{_n(height)}" '
                   'fill="#fff" stroke="none"/>')
        out.append(f'<text class="heading" x="{MARGIN}" y="{MARGIN + 6}" font-size="16" font-weight="bold" '
                   f'fill="#000">{escape(_truncate(self.title, 80))}</text>')
        if not self.by_ref:
            out.append(f'<text x="{MARGIN}" y="{MARGIN + 40}" font-size="13" fill="#000">'
                       'No family members recorded.</text>')

        # Lines first, symbols over them.
        dash = {"partner": None, "descent": None, "sibling": None, "direct": "6 4", "wider": "1.5 3.5"}
        out.append('<g class="lines" fill="none" stroke="#000" stroke-width="1.5">')
        for conn in self.connectors:
            pts = [resolve(p) for p in conn.points]
            attrs = "".join(f' {k}="{escape(v)}"' for k, v in sorted(conn.attrs.items()))
            style = f' stroke-dasharray="{dash[conn.kind]}"' if dash[conn.kind] else ""
            if conn.kind == "wider":
                style += ' stroke-linecap="round" stroke-width="2"'
            if len(pts) == 2:
                (x1, y1), (x2, y2) = pts
                out.append(f'<line class="{conn.kind}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"'
                           f'{style}{attrs}/>')
            else:
                points = " ".join(f"{_n(px)},{_n(py)}" for px, py in _dedupe(pts))
                out.append(f'<polyline class="{conn.kind}" points="{points}"{style}{attrs}/>')
        out.append("</g>")
        for x, yy, dy, anchor, person, child in self.marks:
            mx, my = resolve((x, yy))
            who = self._(msg("%(person)s holds parental responsibility for %(child)s",
                             person=self.by_ref[person].label, child=self.by_ref[child].label))
            out.append(f'<text class="pr-mark" x="{_n(mx)}" y="{_n(my + dy)}" font-size="10" font-weight="bold" '
                       f'text-anchor="{anchor}" fill="#000" data-person="{escape(person)}" '
                       f'data-child="{escape(child)}"><title>{escape(who)}</title>{escape(self._(PR))}</text>')

        if wider_box is not None:
            xs3 = [self.x[r] + shift for r in self.rows[3]]
            bx0 = max(MARGIN / 2, min(xs3) - PITCH / 2)
            bx1 = min(width - MARGIN / 2, max(xs3) + PITCH / 2)
            out.append(f'<g class="wider-network"><rect x="{_n(bx0)}" y="{_n(wider_box)}" width="{_n(bx1 - bx0)}" '
                       f'height="{_n(ROW_HEIGHT + 28)}" rx="6" fill="none" stroke="#000" stroke-width="1"/>'
                       f'<text x="{_n(bx0 + 8)}" y="{_n(wider_box + 16)}" font-size="12" font-weight="bold" '
                       f'fill="#000">{escape(self._(N_("Wider network")))}</text></g>')

        for row in (0, 1, 2, 3):
            for ref in self.rows[row]:
                if isinstance(ref, str):
                    out.append(self._symbol(self.by_ref[ref], self.x[ref] + shift, row_y[row]))
        out.append(legend)
        out.append("</svg>")
        return "\n".join(out)

    def _captions(self, member: Member) -> tuple[str | None, str | None, bool]:
        """The relationship caption, the role or PR caption, and whether the member holds PR."""
        if member.is_child:
            return None, self._(N_("Child")), False
        ties = self.ties_of[member.ref]
        names: list[str] = []
        for tie in ties:
            label = self.relationship_label(tie.relationship)
            if label not in names:
                names.append(label)
        relation = " / ".join(names) if names else None
        flags = {t.parental_responsibility for t in ties}
        pr = None if True not in flags else self._(PR if flags == {True} else N_("PR for some"))
        return relation, pr, pr is not None

    def _symbol(self, member: Member, cx: float, top: float) -> str:
        cy = top + 4 + HALF
        relation, flag, holds_pr = self._captions(member)
        parts = [f'<g class="member{" child" if member.is_child else ""}{" pr" if holds_pr else ""}" '
                 f'data-ref="{escape(member.ref)}" data-sex="{escape(member.sex or "unknown")}">']
        full = member.label if not member.note else f"{member.label} ({member.note})"
        parts.append(f"<title>{escape(full)}</title>")
        stroke = 'fill="#fff" stroke="#000"'
        if holds_pr:
            parts.append(_shape(member.sex, cx, cy, HALF + 4, f'class="outline-pr" {stroke} stroke-width="2.5"'))
            parts.append(_shape(member.sex, cx, cy, HALF, f'class="symbol" {stroke} stroke-width="2.5"'))
        else:
            parts.append(_shape(member.sex, cx, cy, HALF, f'class="symbol" {stroke} stroke-width="1.5"'))
        if member.is_child:
            parts.append(_shape(member.sex, cx, cy, HALF - 6, 'class="outline-child" fill="none" stroke="#000" '
                                                             'stroke-width="1.5"'))
        ty = top + 4 + SIZE + 4 + 12
        label = escape(_truncate(member.label, LABEL_CHARS))
        parts.append(f'<text class="label" x="{_n(cx)}" y="{_n(ty)}" text-anchor="middle" font-size="12" '
                     f'font-weight="bold" fill="#000"><title>{escape(member.label)}</title>{label}</text>')
        for cls, text, style in (("relationship", relation, ""), ("note", member.note, ' font-style="italic"'),
                                 ("pr" if holds_pr else "role", flag, ' font-weight="bold"')):
            if not text:
                continue
            ty += LINE_HEIGHT
            parts.append(f'<text class="{cls}" x="{_n(cx)}" y="{_n(ty)}" text-anchor="middle" font-size="11"'
                         f'{style} fill="#000">{escape(_truncate(text, CAPTION_CHARS))}</text>')
        parts.append("</g>")
        return "".join(parts)

    def _legend(self, top: float, width: float) -> tuple[str, float]:
        entries = [(kind, self._(text)) for kind, text in (
            ("male", N_("Male")),
            ("female", N_("Female")),
            ("unknown", N_("Sex not recorded")),
            ("pr", N_("PR: holds parental responsibility")),
            ("child", N_("Child in the case")),
            ("solid", N_("Partners; line of descent")),
            ("dashed", N_("Linked straight to the child")),
            ("dotted", N_("Wider network")),
        )]
        column = 290
        columns = max(1, int((width - 2 * MARGIN) // column))
        step = 34
        lines = (len(entries) + columns - 1) // columns
        key = self._(N_("Key"))
        parts = [f'<g class="legend"><text x="{MARGIN}" y="{_n(top + 4)}" font-size="13" font-weight="bold" '
                 f'fill="#000">{escape(key)}</text>']
        stroke = 'fill="#fff" stroke="#000" stroke-width="1.5"'
        for i, (kind, text) in enumerate(entries):
            col, line = i // lines, i % lines
            x = MARGIN + col * column
            cy = top + 26 + line * step
            sx = x + 14
            if kind in ("male", "female", "unknown"):
                sex = {"male": "M", "female": "F", "unknown": None}[kind]
                parts.append(_shape(sex, sx, cy, 10, stroke))
            elif kind == "pr":
                parts.append(_shape("M", sx, cy, 13, 'fill="#fff" stroke="#000" stroke-width="2.5"'))
                parts.append(_shape("M", sx, cy, 9, 'fill="#fff" stroke="#000" stroke-width="2.5"'))
            elif kind == "child":
                parts.append(_shape("M", sx, cy, 10, stroke))
                parts.append(_shape("M", sx, cy, 5, 'fill="none" stroke="#000" stroke-width="1.5"'))
            else:
                dash = {"solid": ' stroke-width="1.5"', "dashed": ' stroke-dasharray="6 4" stroke-width="1.5"',
                        "dotted": ' stroke-dasharray="1.5 3.5" stroke-linecap="round" stroke-width="2"'}[kind]
                parts.append(f'<line x1="{_n(x)}" y1="{_n(cy)}" x2="{_n(x + 28)}" y2="{_n(cy)}" stroke="#000"{dash}/>')
            parts.append(f'<text x="{_n(x + 36)}" y="{_n(cy + 4)}" font-size="12" fill="#000">{escape(text)}</text>')
        parts.append("</g>")
        return "".join(parts), 26 + lines * step

    def relationship_label(self, code: str) -> str:
        return self._(self.labels.get(code) or RELATIONSHIPS[code])

    def description(self) -> str:
        adults = len(self.adults)
        children = len(self.children)
        holders = sum(1 for a in self.adults if any(t.parental_responsibility for t in self.ties_of[a.ref]))
        wider = sum(1 for a in self.adults if self.role[a.ref] == "wider")
        # Translators: a count of one and of more than one; in Welsh a form that needs no agreement with the number
        kids = msg("%(count)s child", count=children) if children == 1 else msg("%(count)s children", count=children)
        grown = msg("%(count)s adult", count=adults) if adults == 1 else msg("%(count)s adults", count=adults)
        pr = (msg("%(count)s person holds parental responsibility", count=holders) if holders == 1
              else msg("%(count)s people hold parental responsibility", count=holders))
        return self._(msg("%(children)s, %(adults)s; %(holders)s; %(wider)s in the wider network.",
                          children=kids, adults=grown, holders=pr, wider=wider))

    def text_rows(self) -> list[tuple[str, str, str, str]]:
        ordered = sorted(self.ties, key=lambda t: (self.child_order[t.child_ref], t.person_ref))
        return [(self.by_ref[t.person_ref].label, self.relationship_label(t.relationship),
                 self.by_ref[t.child_ref].label, self._(N_("Yes") if t.parental_responsibility else N_("No")))
                for t in ordered]


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        if not out or (round(out[-1][0], 1), round(out[-1][1], 1)) != (round(p[0], 1), round(p[1], 1)):
            out.append(p)
    return out if len(out) > 1 else out * 2


def _shape(sex: str | None, cx: float, cy: float, r: float, attrs: str) -> str:
    if sex == "M":
        return f'<rect x="{_n(cx - r)}" y="{_n(cy - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}" {attrs}/>'
    if sex == "F":
        return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" {attrs}/>'
    points = f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} {_n(cx - r)},{_n(cy)}"
    return f'<polygon points="{points}" {attrs}/>'


def draw(members: Sequence[Member], ties: Sequence[Tie], relationship_labels: Mapping[str, str],
         title: str = "Family genogram", translate: Callable[[str], str] = str) -> Genogram:
    """The family's genogram as SVG, with every tie as a row of its text alternative.

    Raises ValueError, naming the problem, when a tie names someone who is not a member (or a
    child who is not one of the family's children), or when a relationship is not known.
    `rows` are sorted by child (eldest first, then reference) then by person reference."""
    drawing = _Drawing(members, ties, relationship_labels, title, translate)
    drawing.layout()
    drawing.connect()
    return Genogram(svg=drawing.render(), rows=drawing.text_rows())
