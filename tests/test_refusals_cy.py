"""Cymraeg: the refusal of every gate of the pathway, in Welsh (issue 15).

Each gate is called as the machines call it, on a family built for the refusal, and its Problem
is rendered with the Welsh catalogue (pathway/translations/cy, compiled here from the .po so the
test needs no build step). The gates are enumerated from workflow.py itself: the machines'
conditions and every `gate_*` function. A gate with no Welsh case here fails
`test_every_gate_has_a_welsh_refusal`; a new sentence in a gate without a case fails
`test_every_sentence_of_every_gate_is_tested_in_welsh`.
"""
from __future__ import annotations

import ast
import inspect
import io
import textwrap
from datetime import date as D

import pytest
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from pathway import timescales as ts
from pathway import workflow as wf
from pathway.i18n import TRANSLATIONS
from pathway.messages import Message

PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def cymraeg():
    buffer = io.BytesIO()
    with PO.open("rb") as po:
        write_mo(buffer, read_po(po, locale="cy"))
    buffer.seek(0)
    return Translations(buffer)


def welsh(message: Message, catalogue) -> str:
    return message.render(catalogue.gettext, lambda day: format_date(day, "d MMMM y", locale="cy"))


# --- The family each refusal is built on ---------------------------------------------------------

OPENED = D(2026, 1, 5)
TODAY = D(2026, 12, 3)


def child(**kw) -> wf.ChildCase:
    return wf.ChildCase("C1", kw.pop("dob", D(2015, 5, 1)), "F", "WBRI", OPENED, **kw)


def family(*children: wf.ChildCase, nation="england", people=("P1", "P2"), **kw) -> wf.FamilyCase:
    fam = wf.FamilyCase("E09000999", nation, "FAM1", OPENED, **kw)
    for c in children or (child(),):
        fam.children[c.ref] = c
    for ref in people:
        fam.people[ref] = wf.PersonCase(ref, OPENED)
    return fam


def ev(event: str, day: D = D(2026, 3, 2), **fields) -> wf.PathwayEvent:
    return wf.PathwayEvent(event=event, date=day, family_ref="FAM1", child_ref=fields.pop("child_ref", "C1"),
                           **fields)


def mother(ref="P1", pr=True) -> dict:
    return {ref: wf.Relation("mother", pr, OPENED)}


def ctx(**kw) -> wf.Context:
    return wf.Context(today=TODAY, **kw)


def proceedings(ref="ZW26C00123", issued=D(2026, 3, 2), **kw) -> wf.ProceedingsCase:
    return wf.ProceedingsCase(ref, issued, **kw)


def running(**kw) -> wf.PreProceedingsPeriod:
    return wf.PreProceedingsPeriod(kw.pop("started_on", D(2026, 2, 1)), ("C1",), **kw)


def call(gate, step, fam, model=None, context=None):
    """The gate's problems as a list, called as `_check` calls it (model: the child, conference or
    proceedings the step is for)."""
    if model is None:
        model = next(iter(fam.children.values()))
    found = gate(step, fam, model, context or ctx())
    return found if isinstance(found, list) else [found] if found else []


# --- Every refusal, with the Welsh sentence it must read ------------------------------------------
# (gate, a function returning its problems, the Welsh sentences in order)

EPO_ENDS = D(2026, 3, 9)
CASES = [
    # G1
    (wf.gate_fgc_before_care, lambda g: call(g, ev("accommodate_s20"), family()), [
        "Nid oes cynhadledd grŵp teulu wedi'i chynnig i'r teulu hwn ar neu cyn 2 Mawrth 2026. Cynigiwch un "
        "cyn darparu llety i blentyn C1. Os na allai'r plentyn aros, cofnodwch fel eithriad y rheswm na ellid "
        "cynnig un i'r teulu yn gyntaf."]),
    (wf.gate_fgc_before_care, lambda g: call(g, ev("issue_proceedings"), family()), [
        "Nid oes cynhadledd grŵp teulu wedi'i chynnig i'r teulu hwn ar neu cyn 2 Mawrth 2026. Cynigiwch un "
        "cyn gwneud cais gofal ynghylch plentyn C1. Os na allai'r plentyn aros, cofnodwch fel eithriad y rheswm "
        "na ellid cynnig un i'r teulu yn gyntaf."]),
    # G1s
    (wf.gate_fgdm_offered_to_everyone_with_pr, lambda g: call(g, ev("issue_proceedings", D(2026, 5, 4)), family()), [
        "Yn Lloegr rhaid cynnig cyfarfod gwneud penderfyniadau grŵp teulu i rieni'r plentyn a phawb sydd â "
        "chyfrifoldeb rhiant cyn dechrau achos (adran 31ZA Deddf Plant 1989), ar neu cyn 4 Mai 2026. Cofnodwch "
        "y cynnig (yn y llythyr cyn achos neu fel cynnig FGC), neu, os na fyddai cynnig un er lles pennaf y "
        "plentyn, cofnodwch y penderfyniad hwnnw, pwy a'i gwnaeth a pham, fel eithriad."]),
    (wf.gate_fgdm_offered_to_everyone_with_pr,
     lambda g: call(g, ev("issue_proceedings", D(2026, 5, 4)), family(child(relations=mother()))), [
        "Yn Lloegr rhaid cynnig cyfarfod gwneud penderfyniadau grŵp teulu i bawb sydd â chyfrifoldeb rhiant am "
        "blentyn C1: ni chynigiwyd un i P1 cyn dechrau achos (adran 31ZA Deddf Plant 1989), ar neu cyn 4 Mai "
        "2026. Cofnodwch y cynnig (yn y llythyr cyn achos neu fel cynnig FGC), neu, os na fyddai cynnig un er "
        "lles pennaf y plentyn, cofnodwch y penderfyniad hwnnw, pwy a'i gwnaeth a pham, fel eithriad."]),
    # G1e
    (wf.gate_accepted_fgc_held, lambda g: call(g, ev("issue_proceedings", D(2026, 5, 4)), family(
        fgcs=[wf.FgcCase(D(2026, 4, 1), status="accepted", accepted_on=D(2026, 4, 2))])), [
        "Derbyniodd y teulu'r gynhadledd grŵp teulu a gynigiwyd ar 1 Ebrill 2026, ond nid yw wedi'i chynnal. "
        "Yn Lloegr rhaid ei chynnal cyn dechrau achos (adran 31ZA Deddf Plant 1989). Cofnodwch fod y gynhadledd "
        "wedi'i chynnal, neu, os na fyddai ei chynnal er lles pennaf y plentyn, cofnodwch fel eithriad pwy a "
        "benderfynodd hynny, pryd a pham."]),
    # G2
    (wf.gate_consent, lambda g: call(g, ev("accommodate_s20", consent_by="mother"), family(child(relations=mother()))), [
        "Mae perthnasoedd wedi'u cofnodi ar gyfer plentyn C1: enwch y person â chyfrifoldeb rhiant a gytunodd, "
        "wrth ei gyfeirnod (pobl sydd â chyfrifoldeb rhiant: P1)."]),
    (wf.gate_consent, lambda g: call(g, ev("accommodate_s20", consent_by="mother"),
                                     family(child(relations=mother(pr=False)))), [
        "Mae perthnasoedd wedi'u cofnodi ar gyfer plentyn C1: enwch y person â chyfrifoldeb rhiant a gytunodd, "
        "wrth ei gyfeirnod. Nid oes neb wedi'i gofnodi eto â chyfrifoldeb rhiant am y plentyn."]),
    (wf.gate_consent, lambda g: call(g, ev("accommodate_s20", consent_by="P9"), family()), [
        "Nid yw P9 wedi'i gofnodi fel perthynas i blentyn C1. Cofnodwch sut mae'n perthyn i'r plentyn yn "
        "gyntaf, neu enwch y person â chyfrifoldeb rhiant a gytunodd."]),
    (wf.gate_consent, lambda g: call(g, ev("accommodate_s20", consent_by="P1"),
                                     family(child(relations=mother(pr=False)))), [
        "Nid oes gan P1 gyfrifoldeb rhiant am blentyn C1 ar 2 Mawrth 2026, felly ni all gytuno i ddarparu "
        "llety i'r plentyn. Cofnodwch gydsyniad person sydd â chyfrifoldeb rhiant, neu gydsyniad y plentyn ei "
        "hun os yw'n 16 oed neu'n hŷn."]),
    (wf.gate_consent, lambda g: call(g, ev("accommodate_s20"), family()), [
        "Cofnodwch pwy a gytunodd i'r llety: person sydd â chyfrifoldeb rhiant (ei gyfeirnod; ar gyfer plentyn "
        "heb berthnasoedd wedi'u cofnodi, mother, father neu other_pr), neu'r plentyn os yw'n 16 oed neu'n hŷn."]),
    (wf.gate_consent, lambda g: call(g, ev("accommodate_s20", consent_by="child"), family()), [
        "Mae plentyn C1 o dan 16 oed ar 2 Mawrth 2026 ac ni all gydsynio ar ei ben ei hun (bydd yn 16 oed ar "
        "1 Mai 2031). Cofnodwch gydsyniad person sydd â chyfrifoldeb rhiant."]),
    # G2o
    (wf.gate_no_standing_objection, lambda g: call(g, ev("accommodate_s20", consent_by="P1"), family(
        child(relations=mother(), objections={"P1": D(2026, 2, 1)}))), [
        "Ni ellir darparu llety i blentyn C1 dan adran 20: mae gan P1 (ers 1 Chwefror 2026) gyfrifoldeb rhiant "
        "ac mae'n gwrthwynebu. Nid yw'r gyfraith yn caniatáu llety drwy gytundeb yn erbyn y gwrthwynebiad "
        "hwnnw oni bai bod y plentyn yn 16 oed neu'n hŷn ac yn cytuno. Cofnodwch fod y gwrthwynebiad wedi'i "
        "dynnu'n ôl os felly, neu gofynnwch am orchymyn (diogelu brys neu achos gofal)."]),
    (wf.gate_power_to_accommodate_ended, lambda g: call(g, ev("close_case"), family(
        child(stage="section_20", relations=mother(), objections={"P1": D(2026, 2, 1)}))), [
        "Gwrthwynebodd P1 ar 1 Chwefror 2026 i ddarparu llety i blentyn C1, sy'n dod â phŵer yr awdurdod i "
        "gadw'r plentyn i ben. Cofnodwch fod y plentyn wedi'i symud o'r llety, neu ddiogelu brys, neu ddechrau "
        "achos gofal."]),
    # The family network
    (wf.gate_relationship, lambda g: call(g, ev("relate_person", person_ref="P1", relationship="aunt",
                                                 parental_responsibility="maybe"), family()), [
        "Dewiswch sut mae'r person yn perthyn i'r plentyn.",
        "Dywedwch a oes gan P1 gyfrifoldeb rhiant am y plentyn: yes neu no."]),
    (wf.gate_relationship, lambda g: call(g, ev("relate_person", relationship="other"), family()), [
        "Rhowch gyfeirnod y person.",
        "Dywedwch a oes gan y person gyfrifoldeb rhiant am y plentyn: yes neu no."]),
    (wf.gate_relationship, lambda g: call(g, ev("relate_person", person_ref="P1", relationship="mother",
                                                 parental_responsibility="yes"),
                                          family(child(relations=mother("P2")))), [
        "Mae P2 wedi'i chofnodi eisoes fel mam plentyn C1. Un fam sydd wedi'i chofnodi ar gyfer plentyn; "
        "cofnodwch P1 fel llys-riant neu berthynas arall, neu cywirwch berthynas P2 yn gyntaf."]),
    (wf.gate_relationship, lambda g: call(g, ev("relate_person", person_ref="P1", relationship="father",
                                                 parental_responsibility="yes"),
                                          family(child(relations={"P2": wf.Relation("father", True, OPENED)}))), [
        "Mae P2 wedi'i gofnodi eisoes fel tad plentyn C1. Un tad sydd wedi'i gofnodi ar gyfer plentyn; "
        "cofnodwch P1 fel llys-riant neu berthynas arall, neu cywirwch berthynas P2 yn gyntaf."]),
    (wf.gate_relationship, lambda g: call(g, ev("relate_person", person_ref="C1", relationship="other",
                                                 parental_responsibility="no"), family(people=("C1",))), [
        "Ni all plentyn fod yn perthyn iddo'i hun."]),
    (wf.gate_objector_has_pr, lambda g: call(g, ev("object_to_accommodation", person_ref="P1"),
                                             family(child(relations=mother(pr=False)))), [
        "Nid oes gan P1 gyfrifoldeb rhiant am blentyn C1 ar 2 Mawrth 2026. Dim ond person sydd â chyfrifoldeb "
        "rhiant a all wrthwynebu'r llety neu symud y plentyn ohono."]),
    (wf.gate_objector_has_pr, lambda g: call(g, ev("object_to_accommodation", person_ref="P7"), family()), [
        "Nid yw P7 yn rhwydwaith teulu FAM1 ar 2 Mawrth 2026. Ychwanegwch y person at rwydwaith y teulu yn "
        "gyntaf."]),
    (wf.gate_objection_to_withdraw, lambda g: call(g, ev("withdraw_objection", person_ref="P1"), family()), [
        "Nid oes gwrthwynebiad wedi'i gofnodi gan P1 ar gyfer plentyn C1 i'w dynnu'n ôl."]),
    (wf.gate_objection_to_withdraw, lambda g: call(g, ev("withdraw_objection"), family()), [
        "Nid oes gwrthwynebiad wedi'i gofnodi gan y person hwn ar gyfer plentyn C1 i'w dynnu'n ôl."]),
    # G3
    (wf.gate_letter_before_proceedings, lambda g: call(g, ev("issue_proceedings"), family()), [
        "Nid oes llythyr cyn achos wedi'i anfon at y teulu hwn ar neu cyn 2 Mawrth 2026. Anfonwch y llythyr yn "
        "gyntaf, neu, os bu'n rhaid dechrau achos heb un, cofnodwch y rheswm fel eithriad."]),
    # The court's case number
    (wf.gate_proceedings_ref, lambda g: call(g, ev("issue_proceedings"), family()), [
        "Rhowch rif achos y llys ar gyfer yr achos hwn."]),
    (wf.gate_proceedings_ref, lambda g: call(g, ev("issue_proceedings", proceedings_ref="ZW26C00999"), family(),
                                             context=ctx(proceedings_ref_owner=lambda ref: "FAM2")), [
        "Mae achos ZW26C00999 yn perthyn i deulu arall yn yr awdurdod hwn. Gwiriwch rif yr achos."]),
    (wf.gate_proceedings_ref, lambda g: call(g, ev("issue_proceedings", proceedings_ref="ZW26C00123"), family(
        proceedings={"ZW26C00123": proceedings(status="concluded", concluded_on=D(2026, 9, 1))})), [
        "Daeth achos ZW26C00123 i ben ar 1 Medi 2026. Mae angen rhif achos newydd ar gyfer cais newydd."]),
    # Emergency protection
    (wf.gate_emergency_type, lambda g: call(g, ev("emergency_protection", emergency_type="other"), family()), [
        "Dewiswch y math o ddiogelu brys: diogelu gan yr heddlu neu orchymyn diogelu brys."]),
    (wf.gate_emergency_type, lambda g: call(g, ev("emergency_protection", emergency_type="police_protection",
                                                  end_date=D(2026, 3, 4)), family()), [
        "Mae diogelu gan yr heddlu yn para hyd at 72 awr: gadewch y dyddiad gorffen yn wag (mae'n dod i ben ar "
        "y trydydd diwrnod ar ôl iddo ddechrau, 5 Mawrth 2026)."]),
    (wf.gate_emergency_type, lambda g: call(g, ev("emergency_protection", emergency_type="epo",
                                                  end_date=D(2026, 3, 20)), family()), [
        "Mae gorchymyn diogelu brys a wnaed ar 2 Mawrth 2026 yn para 8 diwrnod ar y mwyaf, gyda'r diwrnod y'i "
        "gwnaed yn cyfrif fel diwrnod 1: mae'n dod i ben ar neu cyn 9 Mawrth 2026, ac nid cyn iddo gael ei "
        "wneud."]),
    (wf.gate_epo_extension, lambda g: call(g, ev("extend_epo", D(2026, 3, 3)), family(
        child(stage="emergency_protection", emergency_type="police_protection", emergency_ends_on=D(2026, 3, 5)))), [
        "Mae plentyn C1 dan ddiogelwch yr heddlu, nid dan orchymyn diogelu brys: dim ond gorchymyn y gellir ei "
        "estyn."]),
    (wf.gate_epo_extension, lambda g: call(g, ev("extend_epo", D(2026, 3, 3)), family(
        child(stage="emergency_protection", emergency_type="epo", emergency_ends_on=EPO_ENDS, epo_extended=True))), [
        "Mae gorchymyn diogelu brys plentyn C1 wedi'i estyn eisoes (i 9 Mawrth 2026). Dim ond unwaith y gellir "
        "ei estyn; gwnewch gais am orchymyn interim yn lle hynny."]),
    (wf.gate_epo_extension, lambda g: call(g, ev("extend_epo", D(2026, 3, 10)), family(
        child(stage="emergency_protection", emergency_type="epo", emergency_ends_on=EPO_ENDS))), [
        "Daeth y gorchymyn diogelu brys i ben ar 9 Mawrth 2026: ni ellir ei estyn ar ôl iddo ddod i ben."]),
    (wf.gate_epo_extension, lambda g: call(g, ev("extend_epo", D(2026, 3, 3)), family(
        child(stage="emergency_protection", emergency_type="epo", emergency_ends_on=EPO_ENDS))), [
        "Rhowch y dyddiad gorffen newydd: ar ôl 9 Mawrth 2026 a dim mwy na 7 diwrnod ar ei ôl (16 Mawrth 2026 "
        "fan bellaf)."]),
    # Interim and final orders
    (wf.gate_interim_order, lambda g: call(g, ev("interim_order", order_type="care_order"), family()), [
        "Dewiswch y gorchymyn interim: gorchymyn gofal interim neu orchymyn goruchwylio interim."]),
    (wf.gate_interim_order, lambda g: call(g, ev("interim_order", order_type="interim_care_order",
                                                 proceedings_ref="ZW26C00999"),
                                           family(child(proceedings_ref="ZW26C00123"))), [
        "Nid yw plentyn C1 yn barti i achos agored ZW26C00999. Mae'n barti i achos ZW26C00123."]),
    (wf.gate_interim_order, lambda g: call(g, ev("interim_order", order_type="interim_care_order"), family()), [
        "Nid yw plentyn C1 yn barti i achos agored (dim rhif achos wedi'i roi)."]),
    (wf.gate_interim_order, lambda g: call(g, ev("interim_order", D(2026, 3, 1), order_type="interim_care_order",
                                                 proceedings_ref="ZW26C00123"),
                                           family(child(proceedings_ref="ZW26C00123"),
                                                  proceedings={"ZW26C00123": proceedings()})), [
        "Ni ellir dyddio gorchymyn interim cyn i'r achos gael ei ddechrau ar 2 Mawrth 2026."]),
    (wf.gate_conference_outcome, lambda g: call(g, ev("initial_cp_conference", outcome="maybe"), family()), [
        "Cofnodwch a wnaeth y gynhadledd gynllun amddiffyn plant: plan neu no_plan."]),
    (wf.gate_conference_outcome, lambda g: call(g, ev("initial_cp_conference", outcome="plan"), family(
        child(on_cp_plan=True, cp_plan_since=D(2026, 1, 10)))), [
        "Mae gan blentyn C1 gynllun amddiffyn plant eisoes (ers 10 Ionawr 2026). Cofnodwch gynhadledd adolygu "
        "yn lle hynny."]),
    # G5
    (wf.gate_final_order, lambda g: call(g, ev("final_order", order_type="banishment"), family()), [
        "Dewiswch y gorchymyn terfynol a wnaeth y llys."]),
    (wf.gate_final_order, lambda g: call(g, ev("final_order", order_type="care_order", person_ref="P1"), family()), [
        "Enwch y person y bydd y plentyn yn byw gydag ef dim ond ar gyfer gorchymyn gwarcheidiaeth arbennig neu "
        "orchymyn trefniadau plentyn."]),
    (wf.gate_final_order, lambda g: call(g, ev("final_order", order_type="care_order", proceedings_ref="ZW26C00999"),
                                         family(child(proceedings_ref="ZW26C00123"))), [
        "Nid yw plentyn C1 yn barti i achos ZW26C00999. Mae'n barti i achos ZW26C00123."]),
    (wf.gate_final_order, lambda g: call(g, ev("final_order", order_type="care_order"), family()), [
        "Nid yw plentyn C1 yn barti i achos (dim wedi'i roi)."]),
    (wf.gate_reunification_outcome, lambda g: call(g, ev("reunification_review", reason="fine"), family()), [
        "Cofnodwch a yw'r plentyn yn sefydlog gartref neu a yw'r dychwelyd adref wedi methu."]),
    # G7
    (wf.gate_close, lambda g: call(g, ev("close_case", reason="Moved away"), family(
        child(stage="proceedings", proceedings_ref="ZW26C00123"))), [
        "Mae plentyn C1 yn barti i achos ZW26C00123, sy'n dal ar agor. Cofnodwch y gorchymyn terfynol cyn cau'r "
        "achos."]),
    (wf.gate_close, lambda g: call(g, ev("close_case", reason="  "), family()), [
        "Rhowch y rheswm dros gau'r achos."]),
    (wf.gate_cp_plan_to_end, lambda g: call(g, ev("end_cp_plan"), family(nation="wales")), [
        "Nid yw plentyn C1 ar gynllun amddiffyn gofal a chymorth, felly nid oes cynllun i'w ddod i ben."]),
    (wf.gate_cp_plan_to_end, lambda g: call(g, ev("end_cp_plan"), family()), [
        "Nid yw plentyn C1 ar gynllun amddiffyn plant, felly nid oes cynllun i'w ddod i ben."]),
    (wf.gate_cp_plan_to_review, lambda g: call(g, ev("cp_review_conference"), family()), [
        "Nid oes gan blentyn C1 gynllun amddiffyn plant i'w adolygu."]),
    # G4
    (wf.gate_extension, lambda g: call(g, ev("extend_timetable", child_ref=None, weeks=9, reason="holiday"),
                                       family(), model=proceedings()), [
        "Mae estyniad yn nifer cyfan o wythnosau rhwng 1 ac 8.",
        "Dewiswch y rheswm a roddodd y llys dros yr estyniad."]),
    (wf.gate_extension, lambda g: call(g, ev("extend_timetable", child_ref="C2", weeks=4, reason="court_listing"),
                                       family(), model=proceedings()), [
        "Nid yw plentyn C2 yn barti i achos ZW26C00123. Enwch blentyn yn yr achos hwn, neu gadewch y plentyn yn "
        "wag i estyn yr amserlen ar gyfer pob plentyn."]),
    (wf.gate_extension, lambda g: call(g, ev("extend_timetable", child_ref="C1", weeks=4, reason="court_listing"),
                                       family(), model=proceedings(parties={"C1": wf.Party(
                                           D(2026, 3, 2), order_type="care_order", order_on=D(2026, 8, 3))})), [
        "Gwnaed gorchymyn terfynol plentyn C1 ar 3 Awst 2026: ni ellir estyn ei amserlen."]),
    # G8: the FGC service
    (wf.gate_fgc_referral, lambda g: call(g, ev("refer_fgc", child_ref=None), family(),
                                          model=wf.FgcCase(D(2026, 2, 1), status="accepted")), [
        "Rhowch y pryderon a arweiniodd at yr atgyfeiriad: mae eu hangen ar y cydlynydd i baratoi'r gynhadledd "
        "gyda'r teulu."]),
    (wf.gate_fgc_coordinator, lambda g: call(g, ev("allocate_fgc_coordinator", child_ref=None), family(),
                                             model=wf.FgcCase(D(2026, 2, 1), status="referred")), [
        "Dewiswch y cydlynydd FGC i'w ddyrannu."]),
    (wf.gate_fgc_coordinator, lambda g: call(g, ev("allocate_fgc_coordinator", child_ref=None,
                                                   coordinator="fgc@example.gov.uk"), family(),
                                             model=wf.FgcCase(D(2026, 2, 1), status="coordinator_allocated",
                                                              coordinator="fgc@example.gov.uk")), [
        "fgc@example.gov.uk yw cydlynydd y gynhadledd hon eisoes."]),
    (wf.gate_fgc_attendance, lambda g: call(g, ev("hold_fgc", child_ref=None, invited=("P1", "P8")), family(),
                                            model=wf.FgcCase(D(2026, 2, 1))), [
        "Nid yw P8 yn rhwydwaith teulu FAM1 ar 2 Mawrth 2026. Ychwanegwch bob person at rwydwaith y teulu yn "
        "gyntaf."]),
    (wf.gate_fgc_attendance, lambda g: call(g, ev("hold_fgc", child_ref=None, invited=("P8", "P9")), family(),
                                            model=wf.FgcCase(D(2026, 2, 1))), [
        "Nid yw P8, P9 yn rhwydwaith teulu FAM1 ar 2 Mawrth 2026. Ychwanegwch bob person at rwydwaith y teulu "
        "yn gyntaf."]),
    (wf.gate_fgc_attendance, lambda g: call(g, ev("hold_fgc", child_ref=None, invited=("P1",), attended=("P2",)),
                                            family(), model=wf.FgcCase(D(2026, 2, 1))), [
        "Daeth P2 i'r gynhadledd ond nid yw ymhlith y bobl a wahoddwyd. Ychwanegwch nhw at y bobl a wahoddwyd."]),
    (wf.gate_fgc_attendance, lambda g: call(g, ev("hold_fgc", child_ref=None, invited=("P3",), attended=("P1", "P2")),
                                            family(people=("P1", "P2", "P3")), model=wf.FgcCase(D(2026, 2, 1))), [
        "Daeth P1, P2 i'r gynhadledd ond nid ydynt ymhlith y bobl a wahoddwyd. Ychwanegwch nhw at y bobl a "
        "wahoddwyd."]),
    (wf.gate_fgc_attendance, lambda g: call(g, ev("hold_fgc", child_ref=None, attended=("P1",),
                                                  private_family_time="maybe"),
                                            family(), model=wf.FgcCase(D(2026, 2, 1))), [
        "Dywedwch pwy a wahoddwyd yn ogystal â phwy a ddaeth.",
        "Dywedwch a gynhaliwyd amser teulu preifat: yes neu no."]),
    (wf.gate_fgc_plan_decision, lambda g: call(g, ev("decide_fgc_plan", child_ref=None, outcome="perhaps"), family(),
                                               model=wf.FgcCase(D(2026, 2, 1), status="held")), [
        "Dewiswch a yw'r awdurdod yn derbyn cynllun y teulu: accepted neu not_accepted."]),
    (wf.gate_fgc_plan_decision, lambda g: call(g, ev("decide_fgc_plan", child_ref=None, outcome="not_accepted"),
                                               family(), model=wf.FgcCase(D(2026, 2, 1), status="held")), [
        "Dywedwch pam na dderbynnir cynllun y teulu: beth sy'n gadael y plentyn yn anniogel."]),
    (wf.gate_fgc_plan_decision, lambda g: call(g, ev("decide_fgc_plan", child_ref=None, outcome="accepted",
                                                     reason="Good plan"),
                                               family(), model=wf.FgcCase(D(2026, 2, 1), status="held")), [
        "Dim ond pan na dderbynnir y cynllun y rhoddir rheswm; gadewch ef yn wag."]),
    (wf.gate_fgc_close_reason, lambda g: call(g, ev("close_fgc", child_ref=None, reason="bored"), family(),
                                              model=wf.FgcCase(D(2026, 2, 1), status="held")), [
        "Dewiswch pam mae'r gynhadledd yn cau: family_withdrew, circumstances_changed, other."]),
    # Children in Need census module 5: pre-proceedings
    (wf.gate_pre_proceedings_can_start, lambda g: call(g, ev("decide_pre_proceedings", child_ref=None),
                                                       family(child(stage="proceedings"))), [
        "Nid oes plentyn yn nheulu FAM1 ar gam lle gall y cyfnod cyn achos ddechrau."]),
    (wf.gate_pre_proceedings_can_start, lambda g: call(g, ev("decide_pre_proceedings", child_ref=None),
                                                       family(pre_proceedings=[running()])), [
        "Dechreuodd y cyfnod cyn achos ar gyfer teulu FAM1 eisoes ar 1 Chwefror 2026. Cofnodwch y penderfyniad "
        "cyn achos (dechrau achos neu gamu i lawr) cyn dechrau eto."]),
    (wf.gate_pre_proceedings_can_start, lambda g: call(g, ev("decide_pre_proceedings", child_ref=None),
                                                       family(pre_proceedings=[running(started_on=None,
                                                                                       letter_on=D(2026, 2, 1))])), [
        "Anfonwyd y llythyr cyn achos ar 1 Chwefror 2026, cyn 2 Mawrth 2026. Daw'r penderfyniad i ddechrau'r "
        "cyfnod cyn achos ar neu cyn y llythyr: gwiriwch y dyddiad."]),
    (wf.gate_pre_proceedings_meeting, lambda g: call(g, ev("pre_proceedings_meeting", child_ref=None, outcome="initial"),
                                                     family()), [
        "Nid oes penderfyniad i ddechrau'r cyfnod cyn achos wedi'i gofnodi ar gyfer teulu FAM1. Cofnodwch "
        "benderfyniad y cyfarfod cynllunio cyfreithiol i ddechrau'r cyfnod cyn achos yn gyntaf."]),
    (wf.gate_pre_proceedings_meeting, lambda g: call(g, ev("pre_proceedings_meeting", child_ref=None, outcome="review"),
                                                     family(pre_proceedings=[running(decided_on=D(2026, 2, 20))])), [
        "Gwnaed y penderfyniad cyn achos ar 20 Chwefror 2026: ni ellir cofnodi rhagor o gyfarfodydd cyn achos "
        "yn y cyfnod hwn."]),
    (wf.gate_pre_proceedings_meeting, lambda g: call(g, ev("pre_proceedings_meeting", child_ref=None, outcome="chat"),
                                                     family(pre_proceedings=[running()])), [
        "Dywedwch pa gyfarfod oedd hwn: initial neu review."]),
    (wf.gate_pre_proceedings_meeting, lambda g: call(g, ev("pre_proceedings_meeting", child_ref=None, outcome="initial"),
                                                     family(pre_proceedings=[running(
                                                         letter_on=D(2026, 2, 2), initial_meeting_on=D(2026, 2, 9))])), [
        "Cynhaliwyd y cyfarfod cychwynnol cyn achos ar 9 Chwefror 2026. Cofnodwch yr un hwn fel adolygiad."]),
    (wf.gate_pre_proceedings_meeting, lambda g: call(g, ev("pre_proceedings_meeting", child_ref=None, outcome="initial"),
                                                     family(pre_proceedings=[running()])), [
        "Nid oes llythyr cyn achos wedi'i anfon ers i'r cyfnod cyn achos ddechrau ar 1 Chwefror 2026. Mae'r "
        "llythyr yn gwahodd y rhieni i'r cyfarfod: anfonwch ef yn gyntaf."]),
    (wf.gate_pre_proceedings_meeting, lambda g: call(g, ev("pre_proceedings_meeting", child_ref=None, outcome="review"),
                                                     family(pre_proceedings=[running(letter_on=D(2026, 2, 2))])), [
        "Nid oes cyfarfod cychwynnol cyn achos wedi'i gofnodi. Cofnodwch y cyfarfod cychwynnol cyn adolygiad."]),
    (wf.gate_pre_proceedings_decision, lambda g: call(g, ev("pre_proceedings_decision", child_ref=None,
                                                            outcome="issue"),
                                                      family(pre_proceedings=[running(decided_on=D(2026, 2, 20))])), [
        "Cofnodwyd y penderfyniad cyn achos eisoes ar 20 Chwefror 2026."]),
    (wf.gate_pre_proceedings_decision, lambda g: call(g, ev("pre_proceedings_decision", child_ref=None,
                                                            outcome="wait"), family(pre_proceedings=[running()])), [
        "Dewiswch y penderfyniad: issue (camu i fyny i achos gofal) neu step_down."]),
    (wf.gate_letter_to_issue, lambda g: call(g, ev("send_letter_to_issue", child_ref=None), family()), [
        "Nid oes penderfyniad cyn achos i ddechrau achos wedi'i gofnodi ar gyfer teulu FAM1. Cofnodwch y "
        "penderfyniad i ddechrau achos yn gyntaf."]),
    (wf.gate_letter_to_issue, lambda g: call(g, ev("send_letter_to_issue", child_ref=None), family(
        pre_proceedings=[running(decided_on=D(2026, 2, 20), outcome="issue", letter_to_issue_on=D(2026, 2, 21))])), [
        "Anfonwyd y llythyr i ddechrau achos eisoes ar 21 Chwefror 2026."]),
]


def gates_of_the_pathway() -> set:
    """Every gate: those the machines' transitions run, and every `gate_*` function of workflow.py
    taking (event, family, record, context) (the pre-proceedings gates are run outside the machines)."""
    found = {g for _name, machine in wf.MACHINES for event in machine.events.values()
             for transitions in event.transitions.values() for t in transitions
             for c in t.conditions for g in getattr(c.func, "gates", ())}
    for name, fn in vars(wf).items():
        if name.startswith("gate_") and inspect.isfunction(fn) and len(inspect.signature(fn).parameters) == 4:
            found.add(fn)
    return found


def _msgids(message) -> set[str]:
    """A Message's id and those of the Messages among its parameters."""
    if not isinstance(message, Message):
        return set()
    return {message.msgid} | {i for value in message.params.values() for i in _msgids(value)}


def _sentences_in(gate) -> set[str]:
    """The msgids of every `msg(...)` in the gate's own source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(gate)))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg"
            and node.args and isinstance(node.args[0], ast.Constant)}


@pytest.mark.parametrize("gate, refuse, expected", CASES,
                         ids=[f"{g.__name__}-{i}" for i, (g, _r, _e) in enumerate(CASES)])
def test_the_refusal_reads_in_welsh(cymraeg, gate, refuse, expected):
    problems = refuse(gate)
    assert [welsh(p.message, cymraeg) for p in problems] == expected
    for p in problems:  # and the English is what it always was
        assert str(p.message) == p.message.render() and str(p.message) != welsh(p.message, cymraeg)


def test_every_gate_has_a_welsh_refusal():
    tested = {gate for gate, _refuse, _expected in CASES}
    missing = sorted(g.__name__ for g in gates_of_the_pathway() - tested)
    assert not missing, f"gates without a Welsh refusal test: {missing}"
    assert len(gates_of_the_pathway()) >= 30


def test_every_sentence_of_every_gate_is_tested_in_welsh():
    seen: dict = {}
    for gate, refuse, _expected in CASES:
        for problem in refuse(gate):
            seen.setdefault(gate, set()).update(_msgids(problem.message))
    untested = {g.__name__: sorted(_sentences_in(g) - seen.get(g, set())) for g in gates_of_the_pathway()}
    assert not {name: ids for name, ids in untested.items() if ids}


def test_every_sentence_of_the_gates_has_a_welsh_translation(cymraeg):
    for gate in gates_of_the_pathway():
        for msgid in _sentences_in(gate):
            assert cymraeg.gettext(msgid) != msgid, (gate.__name__, msgid)


def test_a_refusal_on_a_welsh_page_is_in_welsh(app):
    """The display layer (pathway.i18n.render) gives the same Welsh, with Welsh month names."""
    from flask_babel import refresh

    from pathway.i18n import render

    [problem] = call(wf.gate_letter_before_proceedings, ev("issue_proceedings"), family())
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        refresh()  # the locale is chosen once per context: this test asks twice
        assert render(problem.message).startswith(
            "Nid oes llythyr cyn achos wedi'i anfon at y teulu hwn ar neu cyn 2 Mawrth 2026.")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert render(problem.message) == str(problem.message) == (
            "No letter before proceedings has been sent to this family on or before 2 March 2026. Send the letter "
            "first, or, if proceedings had to be issued without one, record the reason as an exception.")


def test_a_refusal_from_apply_names_the_stage_and_steps_in_welsh(cymraeg):
    """The wrong-stage refusal nests the step's and the stage's labels and the steps allowed."""
    fam = family(child(stage="closed", closed_on=D(2026, 6, 1)))
    with pytest.raises(wf.Refused) as closed:
        wf.apply(fam, ev("start_cp_plan", D(2026, 7, 1)), ctx())
    assert welsh(closed.value.problems[0].message, cymraeg) == "Cafodd achos plentyn C1 ei gau ar 1 Mehefin 2026."
    fam = family(child(stage="care_order"), nation="wales")
    with pytest.raises(wf.Refused) as wrong:
        wf.apply(fam, ev("accommodate_s20", consent_by="mother"), ctx())
    text = welsh(wrong.value.problems[0].message, cymraeg)
    assert text.startswith("Ni ellir cofnodi 'Darparu llety drwy gytundeb (adran 76)' ar gyfer plentyn C1, sydd ar "
                           "y cam 'Yn derbyn gofal dan orchymyn gofal'. Ar y cam hwn gallwch gofnodi: ")
    assert "Plentyn yn dychwelyd adref" in text and "Accommodate" not in text
