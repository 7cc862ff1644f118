"""Cymraeg on the board page, the board pack and its CSVs, and the queue pages: the queue, the
family network lists and the census module 5 list (issue 15)."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from conftest import opened, record, step
from test_reports_pages import Q2, board_history  # noqa: F401 (fixture)
from web_helpers import make_team, make_user, reading_in, sign_in, soup, web, web_app  # noqa: F401

from pathway.board import pdf as board_pdf

AREA = {**Q2, "area": "dfj:Testshire"}


def main_text(response) -> str:
    assert response.status_code == 200, response.status_code
    # The main content only: the header's navigation (base.html) is marked separately.
    return soup(response).find("main").get_text(" ", strip=True)


@pytest.fixture
def welsh_board_member(session, web, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    reading_in(web, "cy")


def test_the_board_page_reads_in_welsh(welsh_board_member, web):
    text = main_text(web.get("/board", query_string=AREA))
    for welsh in ("Bwrdd Cyfiawnder Teuluol", "Amseroldeb achosion gofal", "Gorffennaf i Fedi 2025",
                  "Testshire (ardal Barnwr Teulu Dynodedig gyfan)", "Achosion a ddaeth i ben",
                  "Cyfran a ddaeth i ben o fewn 26 wythnos", "Sut y cyfrifir y ffigurau hyn", "Tuedd chwarterol",
                  "Cynadleddau grŵp teulu", "Llety Adran 20: plant y darparwyd llety iddynt", "wedi'i atal",
                  "Dangosir cyfrifon o 1 i 4 fel “llai na 5”, fel na ellir adnabod"):  # fmt: skip
        assert welsh in text, welsh
    for english in ("Care proceedings timeliness", "Family justice board", "Proceedings concluded",
                    "How these figures are worked out", "Quarterly trend", "within 26 weeks", "withheld",
                    "whole designated family judge area", "July to September"):  # fmt: skip
        assert english not in text, english


def test_the_board_charts_read_in_welsh(welsh_board_member, web):
    html = soup(web.get("/board", query_string=AREA))
    chart = html.find(id="duration-chart-title").find_parent("svg")
    words = chart.get_text(" ", strip=True)
    assert "Wythnosau cymedrig a chanolrif" in words and "Gorff–Medi 2025" in words
    assert "Siart bar" in html.find(id="duration-chart-desc").get_text()
    assert "Mean and median weeks" not in words and "Jul to Sep" not in words


def test_the_board_csv_keeps_its_codes_and_gives_its_labels_in_welsh(session, web, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    english = list(csv.reader(io.StringIO(web.get("/board/timeliness.csv", query_string=AREA).get_data(as_text=True))))
    reading_in(web, "cy")
    welsh = list(csv.reader(io.StringIO(web.get("/board/timeliness.csv", query_string=AREA).get_data(as_text=True))))
    assert welsh[0] == english[0] == ["area", "period", "figure", "value"]
    assert [row[2:] for row in welsh] == [row[2:] for row in english]  # the figures' codes and values
    assert welsh[1][:2] == ["Testshire (ardal Barnwr Teulu Dynodedig gyfan)", "Gorffennaf i Fedi 2025"]
    assert english[1][:2] == ["Testshire (whole designated family judge area)", "July to September 2025"]
    pack = list(csv.reader(io.StringIO(web.get("/board/pack.csv", query_string=AREA).get_data(as_text=True))))
    assert pack[0] == ["period", "scope", "measure", "value"]
    assert pack[1][:2] == ["Gorffennaf i Fedi 2025", "dfj:Testshire"]


def test_the_board_pack_reads_in_welsh(welsh_board_member, web):
    response = web.get("/board/pack", query_string=AREA)
    html = soup(response)
    headers = [th.get_text(" ", strip=True) for th in html.find(id="pack-headline").thead.find_all("th")]
    assert headers == ["Mesur", "Testshire", "Test authority E09000999", "Lloegr", "Cymru a Lloegr"]
    text = main_text(response)
    for welsh in ("Pecyn y bwrdd: Testshire (ardal Barnwr Teulu Dynodedig gyfan), Gorffennaf i Fedi 2025",
                  "Achosion gofal a ddaeth i ben", "Prif ffigurau", "Cafcass: 30 wythnos neu fwy",
                  "Wyth chwarter ar gyfer Testshire", "Yn ôl i dudalen y bwrdd"):
        assert welsh in text or welsh in response.get_data(as_text=True), welsh
    for english in ("Board pack", "Measure", "Care proceedings concluded", "Headline figures", "Eight quarters"):
        assert english not in text, english


def test_a_quarter_not_yet_over_is_marked_partial_in_welsh(welsh_board_member, web):
    page = web.get("/board/pack", query_string={"period": "fy2026-q3", "area": "dfj:Testshire"})
    title = soup(page).h1.get_text(" ", strip=True)
    assert "Hydref i Ragfyr 2026" in title and "(rhannol: hyd at 20 Tachwedd 2026)" in title  # the tests' today
    assert "partial" not in title


def test_the_pdf_unavailable_page_reads_in_welsh(welsh_board_member, web, monkeypatch):
    monkeypatch.setattr(board_pdf, "render_pdf", lambda html: None)
    response = web.get("/board/pack.pdf", query_string=AREA)
    assert response.status_code == 503
    text = soup(response).find("main").get_text(" ", strip=True)
    assert "Nid yw'r PDF ar gael ar y gweinydd hwn" in text and "Ni all y gweinydd hwn wneud ffeiliau PDF" in text
    assert soup(response).find("main").find("a", string="becyn y bwrdd")["href"].startswith("/board/pack?")
    assert "This server cannot make PDF files" not in text


def test_a_welsh_areas_board_page_uses_section_76_and_the_family_justice_network(session, web, wales):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area=wales.dfj_area))
    reading_in(web, "cy")
    text = main_text(web.get("/board"))
    assert "Bwrdd Cyfiawnder Teuluol lleol, Rhwydwaith Cyfiawnder Teuluol (Cymru)" in text
    assert "Llety Adran 76: plant y darparwyd llety iddynt" in text and "Mae llety Adran 76 yn cyfrif" in text
    assert "Section 76" not in text and "Family Justice Network" not in text


@pytest.fixture
def welsh_manager(session, wales, web):
    assert record(session, wales, [
        opened("C1", date(2026, 5, 1), "FAM1"), step("offer_fgc", date(2026, 5, 2), "FAM1"),
        step("send_letter_before_proceedings", date(2026, 5, 10), "FAM1"),
        step("issue_proceedings", date(2026, 6, 1), "FAM1", "C1", proceedings_ref="PR1"),
    ]).ok  # fmt: skip
    user = make_user(session, "team_manager", wales, team=make_team(session, wales), name="Rhian Rheolwr")
    sign_in(web, user)
    reading_in(web, "cy")
    return user


def test_the_queue_reads_in_welsh(welsh_manager, wales, web):
    text = main_text(web.get(f"/queues/{wales.code}"))
    for welsh in ("Ciwiau", "Plant agored yn ôl cam", "Pob plentyn agored", "Angen sylw", "Achos gofal: 1 plentyn",
                  "1 plentyn, y mwyaf brys yn gyntaf.", "Wythnos", "o 26", "PR1, dechreuwyd 1 Mehefin 2026",
                  "Lawrlwytho'r rhestr hon (CSV)", "Rhestrau rhwydwaith y teulu"):
        assert welsh in text, welsh
    for english in ("Open children by stage", "All open children", "most urgent first", "Week ", "issued",
                    "Download this list", "Family network lists", "Children in Need census"):
        assert english not in text, english


def test_the_queues_filters_due_column_and_its_dates_read_in_welsh(welsh_manager, wales, web):
    page = soup(web.get(f"/queues/{wales.code}"))
    options = {o.get_text(strip=True) for o in page.select("select option")}
    assert {"Pob tîm", "Pob gweithiwr cymdeithasol", "Pob cam"} <= options
    assert not options & {"All teams", "All social workers", "All stages"}
    headers = [th.get_text(strip=True) for th in page.select("main table th")]
    assert "Terfyn amser" in headers and "Deadline" not in headers
    deadline = date(2026, 6, 1) + timedelta(days=181)  # the day of issue is day 1 of 182
    cells = page.select("main table td")
    assert any(f"{deadline.day} Tachwedd {deadline.year}" in td.get_text(" ", strip=True) for td in cells)
    assert not any("November" in td.get_text() for td in cells)
    looked_after = soup(web.get(f"/queues/{wales.code}", query_string={"list": "care_without_fgc"}))
    assert not {"Entered care", "Due by"} & {th.get_text(strip=True) for th in looked_after.select("main table th")}


def test_an_empty_list_reads_in_welsh(welsh_manager, wales, web):
    text = main_text(web.get(f"/queues/{wales.code}", query_string={"list": "reunification"}))
    assert "Dim plant yn y rhestr hon." in text and "No children in this list" not in text


def test_the_family_network_lists_read_in_welsh(welsh_manager, wales, web):
    response = web.get(f"/queues/{wales.code}/family-network")
    text = main_text(response)
    assert "Rhestrau rhwydwaith y teulu" in text and "Cynnig cymorth ar ôl symud plentyn (Reflect) (0 rhieni)" in text
    assert "Mae pob eithriad yn cofnodi pwy benderfynodd." in text
    assert "Yn ôl i'r ciwiau" in soup(response).get_text(" ", strip=True)
    assert "Offer post-removal support" not in text and "Every exception records who decided" not in text


def test_the_census_page_reads_in_welsh(welsh_manager, wales, web):
    text = main_text(web.get(f"/queues/{wales.code}/census-module-5"))
    assert "Cyfrifiad Plant Mewn Angen modiwl 5: cyn achos" in text
    assert "Mae gan Gymru ei chyfrifiad ei hun" in text and "Wales has its own census" not in text
