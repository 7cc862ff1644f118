"""The board page: timeliness figures for a period and an area, suppressed; and its CSV."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forms.board import BoardReportForm
from forms.fields import options

from .. import codes, reports
from ..clock import current_clock
from ..csv_safety import SafeWriter
from ..extensions import db
from ..i18n import long_date, render
from ..messages import N_
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
        areas = [Area("all", _("All authorities"), reports.Scope(), frozenset(nations))]
        areas += [Area(f"nation:{n}", render(codes.NATIONS[n]), reports.Scope(nation=n), frozenset([n]))
                  for n in nations]  # fmt: skip
    for name in dfj_areas:
        members = [a for a in authorities if a.dfj_area == name]
        areas.append(Area(f"dfj:{name}", _("%(area)s (whole designated family judge area)", area=name),
                          reports.Scope(dfj_area=name), frozenset(a.nation for a in members), name))  # fmt: skip
    areas += [Area(f"la:{a.code}", a.name, reports.Scope(la_code=a.code), frozenset([a.nation]), a.dfj_area)
              for a in authorities]  # fmt: skip
    return areas


def board_label(nations: frozenset[str]) -> str:
    """Who reads the page: local family justice boards; in Wales, within the Family Justice Network."""
    if nations == {"wales"}:
        return _("Local family justice board, Family Justice Network (Wales)")
    if "wales" in nations:
        return _("Family justice boards (England) and the Family Justice Network (Wales)")
    return _("Family justice board")


def section_20_label(nations: frozenset[str]) -> str:
    """The accommodation's section, in the reader's language, as it starts a label ("Section 20")."""
    if nations == {"wales"}:
        # Translators: translator-check: starts labels ("Llety %(section)s: …"), so written "Adran 76"
        return _("Section 76")
    if "wales" in nations:
        return _("Section 20 (England) or section 76 (Wales)")
    return _("Section 20")


# --------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------

ORDER_LABELS = codes.ORDER_TYPES
GROUP_LABELS = {group: label for group, (label, _codes) in codes.ETHNICITY_GROUPS.items()}
SHORT_CATEGORY_LABELS = {"complexity": N_("Complexity"), "non_compliance": N_("Non-compliance"),
                         "system": N_("System capacity"), "other": N_("Other")}  # fmt: skip
REASON_LABELS = {reason: label for reason, (label, _category) in codes.EXTENSION_REASONS.items()}


def _choose():
    """The form, the chosen period and area (None if the choice is not valid), and the areas."""
    today = current_clock().today()
    periods = reports.period_choices(today)
    areas = areas_for(current_user)
    form = BoardReportForm(formdata=request.args if request.args else None)
    form.period.choices = options((p.key, _("Quarter: %(period)s", period=render(p.label)) if "-q" in p.key
                                   else _("Year: %(period)s", period=render(p.label))) for p in periods)  # fmt: skip
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


def _kept() -> tuple[dict, dict]:
    """What this worker keeps between requests: the areas' blocks of decisions and figures, and
    the comparisons' national figures that every area's blocks share."""
    kept = current_app.extensions
    return kept.setdefault("pathway_suppression_blocks", {}), kept.setdefault("pathway_compared_figures", {})


def _compute(period: reports.Period, area: Area):
    """The figures as shown. An area or an authority: with the decisions of the area's blocks
    (reports.suppress_in_area), so that no sum across the pages a board member can open
    undoes a suppression; the blocks hold the figures too, so a later view runs no report query.
    The administrator's wider choices (everywhere, a nation) are suppressed page by page."""
    if area.dfj_area is not None:
        return reports.area_page(db.session, area.dfj_area, area.key, period, reports.trend_quarters(period),
                                 *_kept())
    figures = reports.figures(db.session, period.start, period.end, area.scope)
    trend = reports.quarterly_trend(db.session, reports.trend_quarters(period), area.scope)
    in_period = [q.key for q in reports.quarters_in(period)]
    return reports.suppress(figures, trend, in_period)


# A quarter's months, short, for the charts' labels (by the quarter's first month).
# Translators: translator-check: the four short quarter names of the charts (Ebr–Meh, Gorff–Medi, Hyd–Rhag, Ion–Maw)
SHORT_QUARTER_MONTHS = {4: N_("Apr to Jun"), 7: N_("Jul to Sep"), 10: N_("Oct to Dec"), 1: N_("Jan to Mar")}


def _short(q: reports.Period) -> str:
    """A quarter's name, short ("Apr to Jun 2026"), in the reader's language."""
    if "-q" not in q.key or q.start.month not in SHORT_QUARTER_MONTHS:
        return render(q.label)
    return _("%(months)s %(year)s", months=_(SHORT_QUARTER_MONTHS[q.start.month]), year=str(q.start.year))


def _charts(shown: dict, trend: list[dict]) -> dict:
    duration = bar_chart(
        "duration-chart", _("Mean and median weeks from issue to conclusion, by quarter"),
        [_("Mean weeks"), _("Median weeks")],
        [(_short(r["period"]), [r["mean_weeks"], r["median_weeks"]]) for r in trend],
        axis_label=_("Weeks"),
    )
    share = bar_chart(
        "share-chart",
        _("Share concluded within 26 weeks, by quarter: all proceedings and without complexity extensions"),
        [_("All proceedings"), _("Without a complexity extension")],
        [(_short(r["period"]), [r["within_26_weeks_pct"], r["adjusted_within_26_weeks_pct"]]) for r in trend],
        unit="%", maximum=100, axis_label=_("Per cent"),
    )
    categories = bar_chart(
        "extensions-chart", _("Extensions by category"),
        [_("Extensions")],
        [(_(SHORT_CATEGORY_LABELS[c]), [v]) for c, v in shown["extensions_by_category"].items()],
        axis_label=_("Extensions"),
    )
    return {"duration": duration, "share": share, "categories": categories}


# The figures compared on the page (every figure is compared in the data set CSV).
COMPARISON_ROWS = (
    (N_("Proceedings concluded"), "proceedings_concluded", ""),
    (N_("Mean weeks from issue to conclusion"), "mean_weeks", ""),
    (N_("Median weeks"), "median_weeks", ""),
    (N_("Share concluded within 26 weeks"), "within_26_weeks_pct", "%"),
    (N_("Share within 26 weeks without a complexity extension"), "adjusted_within_26_weeks_pct", "%"),
    (N_("Ministry of Justice: mean weeks per child"), "moj_mean_weeks", ""),
    (N_("Cafcass: mean whole weeks per application"), "cafcass_mean_weeks", ""),
    (N_("Average hearings per concluded proceedings"), "hearings_per_concluded_proceedings", ""),
    (N_("Children entering care"), "children_entering_care", ""),
    (N_("Share offered a family group conference first"), "fgc_offered_before_care_pct", "%"),
    (N_("Children subject of a care application"), "children_entering_proceedings", ""),
)


def _comparison(period, area) -> list[tuple] | None:
    """The area beside each of its authorities, its nation and England and Wales (an area's page)."""
    if area.dfj_area is None:
        return None
    return reports.comparison(db.session, area.dfj_area, period, *_kept())


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
        writer.writerow([area.label, render(period.label), name, "" if value is None else value])
    today = current_clock().today()
    for row in trend:
        label = render(row["period"].label)  # the label columns in the reader's language; the codes stay codes
        if row["period"].is_partial(today):
            label = _("%(period)s (partial: to %(day)s)", period=label, day=long_date(today))
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
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["period", "scope", "measure", "value"])
    for scope_key, _label, shown in reports.comparison(db.session, area.dfj_area, period, *_kept()):
        for name, value in reports.flat_rows({k: shown[k] for k in reports.KEYS}):
            writer.writerow([render(period.label), scope_key, name, "" if value is None else value])
    slug = re.sub(r"[^a-z0-9]+", "-", f"pack-{area.key}-{period.key}".lower()).strip("-")
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.csv"'})


# --------------------------------------------------------------------------------------------
# The board pack (issue 14): the agreed quarterly data set, one printable A4 page per area
# --------------------------------------------------------------------------------------------

# (heading, rows): a row is (label, report key, sub-key of a breakdown or None, unit); labels are
# N_-marked, translated with the section's name ("Section 20") as %(section)s. The first
# section is the pack's headline.
PACK_SECTIONS = (
    (N_("Headline figures"), (
        (N_("Care proceedings concluded"), "proceedings_concluded", None, ""),
        (N_("Mean weeks from issue to conclusion"), "mean_weeks", None, ""),
        (N_("Median weeks"), "median_weeks", None, ""),
        (N_("Share concluded within 26 weeks"), "within_26_weeks_pct", None, "%"),
        (N_("Share within 26 weeks without a complexity extension"), "adjusted_within_26_weeks_pct", None, "%"),
        (N_("Children entering care"), "children_entering_care", None, ""),
        (N_("Share offered a family group conference first"), "fgc_offered_before_care_pct", None, "%"),
        (N_("Children subject of a care application"), "children_entering_proceedings", None, ""),
    )),
    (N_("Extensions and the national definitions"), (
        (N_("Proceedings with at least one extension"), "extended", None, ""),
        (N_("Extensions for complexity"), "extensions_by_category", "complexity", ""),
        (N_("Extensions for non-compliance"), "extensions_by_category", "non_compliance", ""),
        (N_("Extensions for system capacity"), "extensions_by_category", "system", ""),
        (N_("Ministry of Justice: children with a final order"), "moj_children_disposed", None, ""),
        (N_("Ministry of Justice: mean weeks per child"), "moj_mean_weeks", None, ""),
        (N_("Cafcass: mean whole weeks per application"), "cafcass_mean_weeks", None, ""),
        (N_("Cafcass: 26 weeks or less"), "cafcass_weeks_bands", "26_or_less", ""),
        (N_("Cafcass: 27 to 29 weeks"), "cafcass_weeks_bands", "27_to_29", ""),
        (N_("Cafcass: 30 weeks or more"), "cafcass_weeks_bands", "30_or_more", ""),
    )),
    (N_("Accommodation, return to court, and after care"), (
        (N_("%(section)s: children accommodated"), "section_20_accommodated", None, ""),
        (N_("%(section)s: median days accommodated"), "section_20_median_days", None, ""),
        (N_("Returning to proceedings within 3 years of a final order"), "children_returning_to_proceedings", None, ""),
        (N_("Children who returned home"), "children_returned_home", None, ""),
        (N_("Returns home that broke down (six-month reviews)"), "returns_broke_down", None, ""),
        (N_("Children back in care after a return home"), "reentered_care_after_return", None, ""),
    )),
)
PACK_TREND = (
    (N_("Concluded"), "proceedings_concluded", ""),
    (N_("Mean weeks"), "mean_weeks", ""),
    (N_("Within 26 weeks"), "within_26_weeks_pct", "%"),
    (N_("Without complexity: within 26 weeks"), "adjusted_within_26_weeks_pct", "%"),
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
    sections = [(_(heading), [(_(label, section=s20), key, part, unit) for label, key, part, unit in rows])
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
