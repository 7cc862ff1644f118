"""Code lists shared by forms, import, export and reports (see shared/domain.md, sections 7, 8, 11).

Each list is an ordered mapping from the code used in files and the database to the words a
social worker or board member reads.
"""
from __future__ import annotations

from .messages import N_

NATIONS = {"england": N_("England"), "wales": N_("Wales")}

SEXES = {"M": N_("Male"), "F": N_("Female")}

# SSDA903 / CIN census ethnicity codes.
ETHNICITIES = {
    "WBRI": N_("White British"),
    "WIRI": N_("White Irish"),
    "WOTH": N_("Any other White background"),
    "WIRT": N_("Traveller of Irish heritage"),
    "WROM": N_("Gypsy or Roma"),
    "MWBC": N_("White and Black Caribbean"),
    "MWBA": N_("White and Black African"),
    "MWAS": N_("White and Asian"),
    "MOTH": N_("Any other mixed background"),
    "AIND": N_("Indian"),
    "APKN": N_("Pakistani"),
    "ABAN": N_("Bangladeshi"),
    "AOTH": N_("Any other Asian background"),
    "BCRB": N_("Caribbean"),
    "BAFR": N_("African"),
    "BOTH": N_("Any other Black background"),
    "CHNE": N_("Chinese"),
    "OOTH": N_("Any other ethnic group"),
    "REFU": N_("Refused"),
    "NOBT": N_("Information not yet obtained"),
}

# Broad groups for board breakdowns (the census groups).
ETHNICITY_GROUPS = {
    "white": (N_("White"), {"WBRI", "WIRI", "WOTH", "WIRT", "WROM"}),
    "mixed": (N_("Mixed"), {"MWBC", "MWBA", "MWAS", "MOTH"}),
    "asian": (N_("Asian or Asian British"), {"AIND", "APKN", "ABAN", "AOTH"}),
    "black": (N_("Black or Black British"), {"BCRB", "BAFR", "BOTH"}),
    "other": (N_("Chinese or other ethnic group"), {"CHNE", "OOTH"}),
    "not_known": (N_("Refused or not yet obtained"), {"REFU", "NOBT"}),
}

CONSENT_BY = {
    "mother": N_("Mother"),
    "father": N_("Father"),
    "other_pr": N_("Another person with parental responsibility"),
    "child": N_("The child (16 or over)"),
}

EMERGENCY_TYPES = {
    # Translators: translator-check: section 46 police protection (diogelu gan yr heddlu)
    "police_protection": N_("Police protection (section 46, up to 72 hours)"),
    # Translators: translator-check: section 44 emergency protection order (gorchymyn diogelu brys)
    "epo": N_("Emergency protection order (section 44, up to 8 days)"),
}

EXTENSION_CATEGORIES = {
    "complexity": N_("Complexity of the case"),
    "non_compliance": N_("A party not keeping to the timetable"),
    "system": N_("System capacity"),
    "other": N_("Other"),
}

# code -> (label, category)
EXTENSION_REASONS = {
    "kinship_assessment": (N_("Assessment of family and friends carers"), "complexity"),
    "parenting_assessment": (N_("Parenting assessment"), "complexity"),
    "international": (N_("International element"), "complexity"),
    "parallel_criminal": (N_("Parallel criminal proceedings"), "complexity"),
    "new_child_or_party": (N_("A new child or party"), "complexity"),
    "la_non_compliance": (N_("Local authority did not keep to the timetable"), "non_compliance"),
    "parent_non_compliance": (N_("A parent did not keep to the timetable"), "non_compliance"),
    "other_party_non_compliance": (N_("Another party did not keep to the timetable"), "non_compliance"),
    "court_listing": (N_("Court listing"), "system"),
    "expert_availability": (N_("Expert availability"), "system"),
    "cafcass_availability": (N_("Children's guardian availability"), "system"),
    "other": (N_("Other reason"), "other"),
}

ORDER_TYPES = {
    # Translators: translator-check: gorchymyn gofal (care order)
    "care_order": N_("Care order"),
    "care_order_at_home": N_("Care order, child placed at home"),
    "supervision_order": N_("Supervision order"),
    # Translators: translator-check: gorchymyn gwarcheidiaeth arbennig
    "sgo": N_("Special guardianship order"),
    "sgo_with_supervision": N_("Special guardianship order with supervision order"),
    # Translators: translator-check: gorchymyn lleoli (placement order)
    "placement_order": N_("Placement order"),
    # Translators: translator-check: gorchymyn trefniadau plentyn (child arrangements order)
    "child_arrangements_order": N_("Child arrangements order (live with)"),
    "no_order": N_("No order"),
    "withdrawn": N_("Application withdrawn"),
}

REUNIFICATION_OUTCOMES = {
    "stable": N_("Stable at home"),
    "broke_down": N_("Return home broke down"),
}


def extension_category(reason: str) -> str:
    return EXTENSION_REASONS[reason][1]


def ethnicity_group(code: str) -> str:
    for group, (_label, codes) in ETHNICITY_GROUPS.items():
        if code in codes:
            return group
    return "not_known"


# --- The family network (issue 9) -------------------------------------------------------------

# How a person in the family network relates to one child.
RELATIONSHIPS = {
    "mother": N_("Mother"),
    "father": N_("Father"),
    "step_parent": N_("Step-parent"),
    "maternal_grandparent": N_("Maternal grandparent"),
    "paternal_grandparent": N_("Paternal grandparent"),
    "maternal_aunt_or_uncle": N_("Maternal aunt or uncle"),
    "paternal_aunt_or_uncle": N_("Paternal aunt or uncle"),
    "adult_sibling": N_("Adult sibling"),
    "other_relative": N_("Other relative"),
    "family_friend": N_("Family friend"),
    "other": N_("Other"),
}
PARENTS = ("mother", "father")

YES_NO = {"yes": N_("Yes"), "no": N_("No")}

# Special category data: recorded only where it matters to the plan and to boards' questions.
CHARACTERISTICS = {
    "learning_disability": N_("Learning disability"),
    "care_experienced": N_("Care-experienced (was in care as a child)"),
    "physical_disability": N_("Physical disability"),
    "mental_health": N_("Mental health needs"),
    "substance_misuse": N_("Substance misuse"),
    "domestic_abuse": N_("Affected by domestic abuse"),
}

CARER_ASSESSMENT_OUTCOMES = {
    "viability_positive": N_("Viability assessment: positive"),
    "viability_negative": N_("Viability assessment: negative"),
    "full_positive": N_("Full assessment: positive"),
    "full_negative": N_("Full assessment: negative"),
    "withdrawn": N_("Assessment withdrawn"),
}

POST_REMOVAL_SUPPORT_OUTCOMES = {
    "referred": N_("Referred"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
}

# The words that `consent_by` accepted before people were recorded; still valid for a child
# with no relationships recorded, so that old tracker files import unchanged.
CONSENT_WORDS = ("mother", "father", "other_pr")

# Final orders after which a child lives away from their parents (a care order not at home, a
# placement order, special guardianship; a child arrangements order unless made to that parent).
ORDERS_AWAY_FROM_PARENTS = ("care_order", "placement_order", "sgo", "sgo_with_supervision", "child_arrangements_order")
# Orders that name the person the child is to live with (optional `person_ref` on final_order).
ORDERS_NAMING_A_CARER = ("sgo", "sgo_with_supervision", "child_arrangements_order")

# The answer to "Has a family group conference been convened? If not, why not?", at issue.
FGC_AT_ISSUE = {
    "held": N_("Held"),
    "declined": N_("Offered and declined"),
    "accepted_not_held": N_("Accepted, not held"),
    "offered_no_answer": N_("Offered, no answer yet"),
    "not_offered_exception": N_("Not offered: exception recorded"),
    "not_offered": N_("Not offered"),
}

# Post-removal support services for parents who have lost children to proceedings.
POST_REMOVAL_SERVICE = {"england": "Pause", "wales": "Reflect"}


# --- Every clock a child is on (issue 11) ---------------------------------------------------------

INTERIM_ORDER_TYPES = {
    "interim_care_order": N_("Interim care order"),
    "interim_supervision_order": N_("Interim supervision order"),
}
CP_CONFERENCE_OUTCOMES = {"plan": N_("Child protection plan made"), "no_plan": N_("No plan")}

# The court's own codes (shared/court-codes.md).
HEARING_OUTCOMES = {"held": N_("Held"), "adjourned": N_("Adjourned"), "vacated": N_("Vacated")}
HEARING_PARTIES = {
    "local_authority": N_("Local authority"),
    # Translators: translator-check: in Wales the service is Cafcass Cymru
    "cafcass": N_("Cafcass"),
    "experts": N_("Experts and disclosure"),
    # Translators: translator-check: HMCTS in Welsh: GLlTEF
    "court": N_("Court (HMCTS and judiciary)"),
    "lawyers": N_("Lawyers and parties"),
    "legal_aid": N_("Legal aid"),
    "other": N_("Other"),
}
# Why a hearing was adjourned or vacated, by the party responsible: code -> (label, party).
ADJOURNMENT_REASONS = {
    "LA1": (N_("No or poor pre-proceedings preparation"), "local_authority"),
    "LA2": (N_("No friends or family identified before the hearing"), "local_authority"),
    "LA3": (N_("No or poor kinship assessments"), "local_authority"),
    "LA4": (N_("No expert instructed"), "local_authority"),
    "LA5": (N_("No, poor or late core social work assessment"), "local_authority"),
    "LA6": (N_("New assessment after a change of circumstances"), "local_authority"),
    "LA7": (N_("No timetable for the child"), "local_authority"),
    "LA8": (N_("New or alternative care plan"), "local_authority"),
    "LA9": (N_("Placement order proceedings delay"), "local_authority"),
    "LA10": (N_("No or poor placement evidence"), "local_authority"),
    "LA11": (N_("No threshold document"), "local_authority"),
    "CA1": (N_("Guardian not allocated or not present"), "cafcass"),
    "CA2": (N_("No or poor analysis"), "cafcass"),
    "EX1": (N_("Late or poor expert report"), "experts"),
    "EX2": (N_("New expert report after a change"), "experts"),
    "HE1": (N_("Medical records"), "experts"),
    "CR1": (N_("Police disclosure"), "experts"),
    "HM1": (N_("No courtroom"), "court"),
    "HM2": (N_("No special measures"), "court"),
    "HM3": (N_("No interpreter"), "court"),
    "JU1": (N_("No judicial continuity"), "court"),
    "JU2": (N_("Insufficient time"), "court"),
    "JU3": (N_("No judge"), "court"),
    "LW1": (N_("Lawyer not instructed or ready, or party or witness absent"), "lawyers"),
    "LW2": (N_("No key issue analysis"), "lawyers"),
    "LW3": (N_("No or poor parental evidence"), "lawyers"),
    "LW4": (N_("Party unavailable"), "lawyers"),
    "LW5": (N_("Intermediary unavailable"), "lawyers"),
    "OS1": (N_("Official Solicitor not ready"), "lawyers"),
    "LS1": (N_("Legal aid not in place"), "legal_aid"),
    "LS2": (N_("Legal aid not in place (other)"), "legal_aid"),
    "OT1": (N_("Case transferred"), "other"),
    "OT2": (N_("Interim contested hearing needed"), "other"),
    "OT3": (N_("Other non-compliance"), "other"),
    "OT4": (N_("Consolidation"), "other"),
    "OT5": (N_("Parallel proceedings"), "other"),
    "OT6": (N_("New baby or pregnancy"), "other"),
    "OT7": (N_("New party"), "other"),
    "IN1": (N_("Immigration or international"), "other"),
    "OT8": (N_("Severe weather"), "other"),
    "OT9": (N_("Industrial action"), "other"),
}

# The court's four extension codes (FPL), and Pathway's mapping (Pathway's own: the court
# publishes none; shared/court-codes.md).
FPL_EXTENSION_CODES = {
    "TimetableForProceedings": N_("Timetable for proceedings"),
    "TimetableForChild": N_("Timetable for child"),
    "DelayInCaseOrImpactOnChild": N_("Delay in case/impact on child"),
    "InternationalAspect": N_("International aspect"),
}
FPL_CODE_OF_REASON = {
    "international": "InternationalAspect",
    "kinship_assessment": "TimetableForChild",
    "parenting_assessment": "TimetableForChild",
    "new_child_or_party": "TimetableForChild",
    "parallel_criminal": "TimetableForProceedings",
    "court_listing": "TimetableForProceedings",
    "expert_availability": "TimetableForProceedings",
    "cafcass_availability": "TimetableForProceedings",
    "la_non_compliance": "TimetableForProceedings",
    "parent_non_compliance": "TimetableForProceedings",
    "other_party_non_compliance": "TimetableForProceedings",
    "other": "DelayInCaseOrImpactOnChild",
}


# --------------------------------------------------------------------------------------------
# Children in Need census module 5: pre-proceedings and FGDM (issue 16)
# --------------------------------------------------------------------------------------------

PRE_PROCEEDINGS_MEETING_OUTCOMES = {
    "initial": N_("The first pre-proceedings meeting"),
    "review": N_("A pre-proceedings review meeting"),
}
PRE_PROCEEDINGS_DECISIONS = {
    "issue": N_("Step up: issue care proceedings"),
    "step_down": N_("Step down: end pre-proceedings"),
}
# The DfE code set CS131 (PPOutcome) holds the codes A, B and C. Their meanings could NOT be
# confirmed from the DfE specification when this was written (README, "Children in Need census
# module 5"): the mapping below is Pathway's working reading and must be checked against the
# 2026-27 specification before a return is submitted. C is accepted as a valid code but no
# Pathway step produces it.
CS131_PP_OUTCOMES = ("A", "B", "C")
PP_OUTCOME_CODE = {"issue": "A", "step_down": "B"}  # unconfirmed: see above
# FGC service (issue 13).
FGC_PLAN_OUTCOMES = {"accepted": "Accepted", "not_accepted": "Not accepted: the plan leaves the child unsafe"}
FGC_CLOSE_REASONS = {
    "family_withdrew": "The family withdrew",
    "circumstances_changed": "The child's circumstances changed",
    "other": "Other",
}
FGC_STATUSES = {
    "offered": N_("Offered"), "accepted": N_("Accepted"), "declined": N_("Declined"),
    "referred": N_("Referred to the FGC service"), "coordinator_allocated": N_("Coordinator allocated"),
    "held": N_("Held"), "plan_decided": N_("Plan decided"), "review_held": N_("Review held"), "closed": N_("Closed"),
}
# Where a child was living six months after the family's plan was decided, from the history.
FGC_OUTCOMES_AT_6_MONTHS = {
    "with_parents": N_("Living with parents"),
    "with_relatives_or_friends": N_("Living with relatives or friends"),
    "in_care": N_("In care"),
    "proceedings": N_("Subject of care proceedings"),
}
