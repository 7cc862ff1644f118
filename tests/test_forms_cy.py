"""Cymraeg on the step forms (issue 15): labels, the GOV.UK date boxes (Diwrnod, Mis, Blwyddyn),
choices, validation messages and the pathway's refusals shown against their fields in Welsh."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import opened, record
from pathway.models import Child, Family
from web_helpers import (  # noqa: F401
    date_fields,
    error_summary,
    field_error,
    make_team,
    make_user,
    reading_in,
    sign_in,
    soup,
    submit,
    text_of,
    web,
    web_app,
)


@pytest.fixture
def welsh_worker(session, wales, web):
    user = make_user(session, "social_worker", wales, team=make_team(session, wales), name="Siân Gweithiwr")
    sign_in(web, user)
    reading_in(web, "cy")
    return user


def accommodation_page(session, la) -> str:
    assert record(session, la, [opened("C1", date(2026, 1, 5), family_ref="FAM1")]).ok
    family = session.scalar(select(Family).where(Family.reference == "FAM1"))
    child = session.scalar(select(Child).where(Child.reference == "C1"))
    return f"/families/{family.id}/children/{child.id}/steps/accommodate-s20"


def test_a_step_form_reads_in_welsh_with_the_terms_of_wales(session, wales, welsh_worker, web):
    page = soup(web.get(accommodation_page(session, wales)))
    labels = [label.get_text(" ", strip=True) for label in page.select("label")]
    assert {"Diwrnod", "Mis", "Blwyddyn"} <= set(labels)
    assert "Day" not in labels and "Month" not in labels and "Year" not in labels
    text = page.get_text(" ", strip=True)
    assert "Pwy a gytunodd i'r llety?" in text and "Y plentyn (16 oed neu'n hŷn)" in text
    assert "Dan adran 76 gall person sydd â chyfrifoldeb rhiant symud y plentyn ar unrhyw adeg." in text
    assert "Who agreed to the accommodation?" not in text
    assert "Cadw" in [b.get_text(strip=True) for b in page.select("main button, main input[type=submit]")]


def test_a_refusal_and_a_date_error_are_shown_in_welsh(session, wales, welsh_worker, web):
    url = accommodation_page(session, wales)
    refused = submit(web, url, {**date_fields("date", date(2026, 2, 1)), "consent_by": "mother"})
    assert field_error(refused, "exception").endswith(
        "Nid oes cynhadledd grŵp teulu wedi'i chynnig i'r teulu hwn ar neu cyn 1 Chwefror 2026. Cynigiwch un "
        "cyn darparu llety i blentyn C1. Os na allai'r plentyn aros, cofnodwch fel eithriad y rheswm na ellid "
        "cynnig un i'r teulu yn gyntaf.")
    partial = submit(web, url, {"date": ["3", "", "2026"], "consent_by": "mother"})
    messages = [message for _href, message in error_summary(partial)]
    assert any(m.endswith("rhaid iddo gynnwys mis") for m in messages), messages
    blank = submit(web, url, {"consent_by": "mother"})
    assert "Rhowch y dyddiad y darparwyd llety i'r plentyn" in [m for _h, m in error_summary(blank)]


def test_english_is_unchanged_for_an_english_reader(session, wales, welsh_worker, web):
    reading_in(web, "en")
    page = soup(web.get(accommodation_page(session, wales)))
    labels = [label.get_text(" ", strip=True) for label in page.select("label")]
    assert {"Day", "Month", "Year"} <= set(labels)
    assert "Who agreed to the accommodation?" in page.get_text(" ", strip=True)
