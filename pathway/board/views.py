"""The board page: timeliness figures for a period and an area, suppressed; and its CSV."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forms.board import BoardReportForm
from forms.fields import options

from .. import codes, reports
from ..workflow import fmt as wf_fmt
from ..clock import current_clock
from ..csv_safety import SafeWriter
from ..extensions import db
from ..models import LocalAuthority
from ..permissions import ADMIN, FJB_VIEWER, requires
from . import bp
from .charts import bar_chart

# --------------------------------------------------------------------------------------------
# Areas a user may choose
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    key: str  # "all", "nation:wales", "dfj:<area>" or "la:<code>"
    label: str
    scope: reports.Scope
    nations: frozenset[str]
    dfj_area: str | None = None  # the designated family judge area of a "dfj:" or "la:" choice


def areas_for(user) -> list[Area]:
    """Board members: their designated family judge area, or one authority in it.
    Administrators: England and Wales, a nation, any area or any authority."""
    authorities = db.session.execute(
        select(LocalAuthority.code, LocalAuthority.name, LocalAuthority.nation, LocalAuthority.dfj_area)
        .order_by(LocalAuthority.dfj_area, LocalAuthority.name)
    ).all()
    if user.role == FJB_VIEWER:
        authorities = [a for a in authorities if a.dfj_area == user.dfj_area]
        if not authorities:
            return []
        dfj_areas = [user.dfj_area]
        areas = []
    else:
        dfj_areas = sorted({a.dfj_area for a in authorities})
        nations = sorted({a.nation for a in authorities})
        areas = [Area("all", "All authorities", reports.Scope(), frozenset(nations))]
        areas += [Area(f"nation:{n}", codes.NATIONS[n], reports.Scope(nation=n), frozenset([n])) for n in nations]
    for name in dfj_areas:
        members = [a for a in authorities if a.dfj_area == name]
        areas.append(Area(f"dfj:{name}", f"{name} (whole designated family judge area)", reports.Scope(dfj_area=name),
                          frozenset(a.nation for a in members), name))  # fmt: skip
    areas += [Area(f"la:{a.code}", a.name, reports.Scope(la_code=a.code), frozenset([a.nation]), a.dfj_area)
              for a in authorities]  # fmt: skip
    return areas


def board_label(nations: frozenset[str]) -> str:
    """Who reads the page: local family justice boards; in Wales, within the Family Justice Network."""
    if nations == {"wales"}:
        return "Local family justice board, Family Justice Network (Wales)"
    if "wales" in nations:
        return "Family justice boards (England) and the Family Justice Network (Wales)"
    return "Family justice board"


def section_20_label(nations: frozenset[str]) -> str:
    if nations == {"wales"}:
        return "Section 76"
    if "wales" in nations:
        return "Section 20 (England) or section 76 (Wales)"
    return "Section 20"


# --------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------

ORDER_LABELS = codes.ORDER_TYPES
GROUP_LABELS = {group: label for group, (label, _codes) in codes.ETHNICITY_GROUPS.items()}
SHORT_CATEGORY_LABELS = {"complexity": "Complexity", "non_compliance": "Non-compliance", "system": "System capacity",
                         "other": "Other"}  # fmt: skip
REASON_LABELS = {reason: label for reason, (label, _category) in codes.EXTENSION_REASONS.items()}


def _choose():
    """The form, the chosen period and area (None if the choice is not valid), and the areas."""
    today = current_clock().today()
    periods = reports.period_choices(today)
    areas = areas_for(current_user)
    form = BoardReportForm(formdata=request.args if request.args else None)
    form.period.choices = options((p.key, f"{'Quarter' if '-q' in p.key else 'Year'}: {p.label}") for p in periods)
    form.area.choices = options((a.key, a.label) for a in areas)
    if not request.args:
        form.period.data = reports.latest_complete_period(today).key
        form.area.data = areas[0].key if areas else None
    elif not form.validate():
        return form, None, None, areas
    if not areas:
        return form, None, None, areas
    period = next(p for p in periods if p.key == form.period.data)
    area = next(a for a in areas if a.key == form.area.data)
    return form, period, area, areas


def _compute(period: reports.Period, area: Area):
    """The figures as shown. An area or an authority: with the decisions of the area's blocks
    (reports.suppress_in_area), so that no sum across the pages a board member can open
    undoes a suppression. The administrator's wider choices (everywhere, a nation) are
    suppressed page by page."""
    figures = reports.figures(db.session, period.start, period.end, area.scope)
    trend = reports.quarterly_trend(db.session, reports.trend_quarters(period), area.scope)
    if area.dfj_area is not None:
        blocks = current_app.extensions.setdefault("pathway_suppression_blocks", {})
        return reports.suppress_in_area(db.session, area.dfj_area, area.key, period, figures, trend, blocks)
    in_period = [q.key for q in reports.quarters_in(period)]
    return reports.suppress(figures, trend, in_period)


def _short(q: reports.Period) -> str:
    return q.label.replace("April to June", "Apr to Jun").replace("July to September", "Jul to Sep").replace(
        "October to December", "Oct to Dec").replace("January to March", "Jan to Mar")  # fmt: skip


def _charts(shown: dict, trend: list[dict]) -> dict:
    duration = bar_chart(
        "duration-chart", "Mean and median weeks from issue to conclusion, by quarter",
        ["Mean weeks", "Median weeks"],
        [(_short(r["period"]), [r["mean_weeks"], r["median_weeks"]]) for r in trend],
        axis_label="Weeks",
    )
    share = bar_chart(
        "share-chart", "Share concluded within 26 weeks, by quarter: all proceedings and without complexity extensions",
        ["All proceedings", "Without a complexity extension"],
        [(_short(r["period"]), [r["within_26_weeks_pct"], r["adjusted_within_26_weeks_pct"]]) for r in trend],
        unit="%", maximum=100, axis_label="Per cent",
    )
    categories = bar_chart(
        "extensions-chart", "Extensions by category",
        ["Extensions"],
        [(SHORT_CATEGORY_LABELS[c], [v]) for c, v in shown["extensions_by_category"].items()],
        axis_label="Extensions",
    )
    return {"duration": duration, "share": share, "categories": categories}


# The figures compared on the page (every figure is compared in the data set CSV).
COMPARISON_ROWS = (
    ("Proceedings concluded", "proceedings_concluded", ""),
    ("Mean weeks from issue to conclusion", "mean_weeks", ""),
    ("Median weeks", "median_weeks", ""),
    ("Share concluded within 26 weeks", "within_26_weeks_pct", "%"),
    ("Share within 26 weeks without a complexity extension", "adjusted_within_26_weeks_pct", "%"),
    ("Ministry of Justice: mean weeks per child", "moj_mean_weeks", ""),
    ("Cafcass: mean whole weeks per application", "cafcass_mean_weeks", ""),
    ("Average hearings per concluded proceedings", "hearings_per_concluded_proceedings", ""),
    ("Children entering care", "children_entering_care", ""),
    ("Share offered a family group conference first", "fgc_offered_before_care_pct", "%"),
    ("Children subject of a care application", "children_entering_proceedings", ""),
)


def _comparison(period, area) -> list[tuple] | None:
    """The area beside each of its authorities, its nation and England and Wales (an area's page)."""
    if area.dfj_area is None:
        return None
    blocks = current_app.extensions.setdefault("pathway_suppression_blocks", {})
    return reports.comparison(db.session, area.dfj_area, period, blocks)


@bp.get("")
@requires(FJB_VIEWER, ADMIN)
def timeliness():
    form, period, area, areas = _choose()
    context = {"form": form, "period": period, "area": area, "has_areas": bool(areas),
               "rule": reports.SUPPRESSION_RULE}  # fmt: skip
    if period is not None and area is not None:
        shown, trend = _compute(period, area)
        context.update(
            shown=shown, trend=trend, charts=_charts(shown, trend), s20_label=section_20_label(area.nations),
            fgc_answers=codes.FGC_AT_ISSUE, hearing_parties=codes.HEARING_PARTIES, today=current_clock().today(),
            board_label=board_label(area.nations),
            order_labels=ORDER_LABELS, group_labels=GROUP_LABELS, band_labels=reports.AGE_BANDS,
            reason_labels=REASON_LABELS, category_labels=codes.EXTENSION_CATEGORIES,
            reasons_by_category={c: [r for r, (_l, cat) in codes.EXTENSION_REASONS.items() if cat == c]
                                 for c in codes.EXTENSION_CATEGORIES},
            csv_url=url_for("board.timeliness_csv", period=period.key, area=area.key),
            pack_url=url_for("board.pack_csv", period=period.key, area=area.key) if area.dfj_area else None,
            pack_page_url=url_for("board.pack", period=period.key, area=area.key) if area.key.startswith("dfj:") else None,
            comparison=_comparison(period, area), comparison_rows=COMPARISON_ROWS,
            in_period={q.key for q in reports.quarters_in(period)},
        )  # fmt: skip
    return render_template("board/timeliness.html", **context)


@bp.get("/timeliness.csv")
@requires(FJB_VIEWER, ADMIN)
def timeliness_csv():
    form, period, area, _areas = _choose()
    if period is None or area is None or not request.args:
        # Only the form's own parameters travel on (an unknown one, such as `endpoint`, is ignored).
        known = {k: request.args[k] for k in ("period", "area") if k in request.args}
        return redirect(url_for("board.timeliness", **known))
    shown, trend = _compute(period, area)
    out = io.StringIO()
    writer = SafeWriter(out)  # the area's name was typed by an administrator
    writer.writerow(["area", "period", "figure", "value"])
    for name, value in reports.flat_rows({k: shown[k] for k in reports.KEYS}):
        writer.writerow([area.label, period.label, name, "" if value is None else value])
    today = current_clock().today()
    for row in trend:
        label = row["period"].label + (f" (partial: to {wf_fmt(today)})" if row["period"].is_partial(today) else "")
        for key in reports.TREND_KEYS:
            value = row[key]
            writer.writerow([area.label, label, f"quarter.{key}", "" if value is None else value])
    slug = re.sub(r"[^a-z0-9]+", "-", f"{area.key}-{period.key}".lower()).strip("-")
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="timeliness-{slug}.csv"'})



@bp.get("/pack.csv")
@requires(FJB_VIEWER, ADMIN)
def pack_csv():
    """The agreed data set: one row per measure per authority of the area (and the area itself),
    for the period, with the same suppression as the pages (the area's blocks)."""
    form, period, area, _areas = _choose()
    if period is None or area is None or area.dfj_area is None or not request.args:
        known = {k: request.args[k] for k in ("period", "area") if k in request.args}
        return redirect(url_for("board.timeliness", **known))
    blocks = current_app.extensions.setdefault("pathway_suppression_blocks", {})
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["period", "scope", "measure", "value"])
    for scope_key, _label, shown in reports.comparison(db.session, area.dfj_area, period, blocks):
        for name, value in reports.flat_rows({k: shown[k] for k in reports.KEYS}):
            writer.writerow([period.label, scope_key, name, "" if value is None else value])
    slug = re.sub(r"[^a-z0-9]+", "-", f"pack-{area.key}-{period.key}".lower()).strip("-")
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.csv"'})


# --------------------------------------------------------------------------------------------
# The board pack (issue 14): the agreed quarterly data set, one printable A4 page per area
# --------------------------------------------------------------------------------------------

# (heading, rows): a row is (label, report key, sub-key of a breakdown or None, unit). The first
# section is the pack's headline.
PACK_SECTIONS = (
    ("Headline figures", (
        ("Care proceedings concluded", "proceedings_concluded", None, ""),
        ("Mean weeks from issue to conclusion", "mean_weeks", None, ""),
        ("Median weeks", "median_weeks", None, ""),
        ("Share concluded within 26 weeks", "within_26_weeks_pct", None, "%"),
        ("Share within 26 weeks without a complexity extension", "adjusted_within_26_weeks_pct", None, "%"),
        ("Children entering care", "children_entering_care", None, ""),
        ("Share offered a family group conference first", "fgc_offered_before_care_pct", None, "%"),
        ("Children subject of a care application", "children_entering_proceedings", None, ""),
    )),
    ("Extensions and the national definitions", (
        ("Proceedings with at least one extension", "extended", None, ""),
        ("Extensions for complexity", "extensions_by_category", "complexity", ""),
        ("Extensions for non-compliance", "extensions_by_category", "non_compliance", ""),
        ("Extensions for system capacity", "extensions_by_category", "system", ""),
        ("Ministry of Justice: children with a final order", "moj_children_disposed", None, ""),
        ("Ministry of Justice: mean weeks per child", "moj_mean_weeks", None, ""),
        ("Cafcass: mean whole weeks per application", "cafcass_mean_weeks", None, ""),
        ("Cafcass: 26 weeks or less", "cafcass_weeks_bands", "26_or_less", ""),
        ("Cafcass: 27 to 29 weeks", "cafcass_weeks_bands", "27_to_29", ""),
        ("Cafcass: 30 weeks or more", "cafcass_weeks_bands", "30_or_more", ""),
    )),
    ("Accommodation, return to court, and after care", (
        ("{s20}: children accommodated", "section_20_accommodated", None, ""),
        ("{s20}: median days accommodated", "section_20_median_days", None, ""),
        ("Returning to proceedings within 3 years of a final order", "children_returning_to_proceedings", None, ""),
        ("Children who returned home", "children_returned_home", None, ""),
        ("Returns home that broke down (six-month reviews)", "returns_broke_down", None, ""),
        ("Children back in care after a return home", "reentered_care_after_return", None, ""),
    )),
)
PACK_TREND = (
    ("Concluded", "proceedings_concluded", ""),
    ("Mean weeks", "mean_weeks", ""),
    ("Within 26 weeks", "within_26_weeks_pct", "%"),
    ("Without complexity: within 26 weeks", "adjusted_within_26_weeks_pct", "%"),
)


def pack_value(shown: dict, key: str, part: str | None):
    value = shown[key]
    return value[part] if part is not None else value


def _pack_context():
    """The pack's figures for the chosen period and area, or None when the choice is not an
    area's (the pack is per designated family judge area)."""
    form, period, area, _areas = _choose()
    if period is None or area is None or not area.key.startswith("dfj:"):
        return None
    shown, trend = _compute(period, area)
    today = current_clock().today()
    s20 = section_20_label(area.nations)
    sections = [(heading, [(label.replace("{s20}", s20), key, part, unit) for label, key, part, unit in rows])
                for heading, rows in PACK_SECTIONS]  # fmt: skip
    return {
        "period": period, "area": area, "today": today, "board_label": board_label(area.nations),
        "comparison": _comparison(period, area), "sections": sections, "pack_value": pack_value,
        "trend": trend, "trend_rows": PACK_TREND, "rule": reports.SUPPRESSION_RULE,
        "partial": period.is_partial(today),
        "page_url": url_for("board.pack", period=period.key, area=area.key),
        "pdf_url": url_for("board.pack_pdf", period=period.key, area=area.key),
        "csv_url": url_for("board.pack_csv", period=period.key, area=area.key),
        "board_url": url_for("board.timeliness", period=period.key, area=area.key),
    }  # fmt: skip


def _back_to_board():
    known = {k: request.args[k] for k in ("period", "area") if k in request.args}
    return redirect(url_for("board.timeliness", **known))


@bp.get("/pack")
@requires(FJB_VIEWER, ADMIN)
def pack():
    """The board pack for an area and a period, laid out to print on one A4 page."""
    context = _pack_context() if request.args else None
    if context is None:
        return _back_to_board()
    return render_template("board/pack.html", **context)


@bp.get("/pack.pdf")
@requires(FJB_VIEWER, ADMIN)
def pack_pdf():
    """The same page as a PDF (WeasyPrint, from the page's own print style sheet)."""
    context = _pack_context() if request.args else None
    if context is None:
        return _back_to_board()
    from .pdf import render_pdf

    html = render_template("board/pack.html", **context)
    pdf = render_pdf(html)
    if pdf is None:
        return render_template("board/pdf-unavailable.html", page_url=context["page_url"]), 503
    slug = re.sub(r"[^a-z0-9]+", "-", f"pack-{context['area'].key}-{context['period'].key}".lower()).strip("-")
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.pdf"'})
