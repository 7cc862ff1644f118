"""Code lists shared by forms, import, export and reports (see shared/domain.md, sections 7, 8, 11).

Each list is an ordered mapping from the code used in files and the database to the words a
social worker or board member reads.
"""
from __future__ import annotations

NATIONS = {"england": "England", "wales": "Wales"}

SEXES = {"M": "Male", "F": "Female"}

# SSDA903 / CIN census ethnicity codes.
ETHNICITIES = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy or Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

# Broad groups for board breakdowns (the census groups).
ETHNICITY_GROUPS = {
    "white": ("White", {"WBRI", "WIRI", "WOTH", "WIRT", "WROM"}),
    "mixed": ("Mixed", {"MWBC", "MWBA", "MWAS", "MOTH"}),
    "asian": ("Asian or Asian British", {"AIND", "APKN", "ABAN", "AOTH"}),
    "black": ("Black or Black British", {"BCRB", "BAFR", "BOTH"}),
    "other": ("Chinese or other ethnic group", {"CHNE", "OOTH"}),
    "not_known": ("Refused or not yet obtained", {"REFU", "NOBT"}),
}

CONSENT_BY = {
    "mother": "Mother",
    "father": "Father",
    "other_pr": "Another person with parental responsibility",
    "child": "The child (16 or over)",
}

EMERGENCY_TYPES = {
    "police_protection": "Police protection (section 46, up to 72 hours)",
    "epo": "Emergency protection order (section 44, up to 8 days)",
}

EXTENSION_CATEGORIES = {
    "complexity": "Complexity of the case",
    "non_compliance": "A party not keeping to the timetable",
    "system": "System capacity",
    "other": "Other",
}

# code -> (label, category)
EXTENSION_REASONS = {
    "kinship_assessment": ("Assessment of family and friends carers", "complexity"),
    "parenting_assessment": ("Parenting assessment", "complexity"),
    "international": ("International element", "complexity"),
    "parallel_criminal": ("Parallel criminal proceedings", "complexity"),
    "new_child_or_party": ("A new child or party", "complexity"),
    "la_non_compliance": ("Local authority did not keep to the timetable", "non_compliance"),
    "parent_non_compliance": ("A parent did not keep to the timetable", "non_compliance"),
    "other_party_non_compliance": ("Another party did not keep to the timetable", "non_compliance"),
    "court_listing": ("Court listing", "system"),
    "expert_availability": ("Expert availability", "system"),
    "cafcass_availability": ("Children's guardian availability", "system"),
    "other": ("Other reason", "other"),
}

ORDER_TYPES = {
    "care_order": "Care order",
    "care_order_at_home": "Care order, child placed at home",
    "supervision_order": "Supervision order",
    "sgo": "Special guardianship order",
    "sgo_with_supervision": "Special guardianship order with supervision order",
    "placement_order": "Placement order",
    "child_arrangements_order": "Child arrangements order (live with)",
    "no_order": "No order",
    "withdrawn": "Application withdrawn",
}

REUNIFICATION_OUTCOMES = {
    "stable": "Stable at home",
    "broke_down": "Return home broke down",
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
    "mother": "Mother",
    "father": "Father",
    "step_parent": "Step-parent",
    "maternal_grandparent": "Maternal grandparent",
    "paternal_grandparent": "Paternal grandparent",
    "maternal_aunt_or_uncle": "Maternal aunt or uncle",
    "paternal_aunt_or_uncle": "Paternal aunt or uncle",
    "adult_sibling": "Adult sibling",
    "other_relative": "Other relative",
    "family_friend": "Family friend",
    "other": "Other",
}
PARENTS = ("mother", "father")

YES_NO = {"yes": "Yes", "no": "No"}

# Special category data: recorded only where it matters to the plan and to boards' questions.
CHARACTERISTICS = {
    "learning_disability": "Learning disability",
    "care_experienced": "Care-experienced (was in care as a child)",
    "physical_disability": "Physical disability",
    "mental_health": "Mental health needs",
    "substance_misuse": "Substance misuse",
    "domestic_abuse": "Affected by domestic abuse",
}

CARER_ASSESSMENT_OUTCOMES = {
    "viability_positive": "Viability assessment: positive",
    "viability_negative": "Viability assessment: negative",
    "full_positive": "Full assessment: positive",
    "full_negative": "Full assessment: negative",
    "withdrawn": "Assessment withdrawn",
}

POST_REMOVAL_SUPPORT_OUTCOMES = {
    "referred": "Referred",
    "accepted": "Accepted",
    "declined": "Declined",
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
    "held": "Held",
    "declined": "Offered and declined",
    "accepted_not_held": "Accepted, not held",
    "offered_no_answer": "Offered, no answer yet",
    "not_offered_exception": "Not offered: exception recorded",
    "not_offered": "Not offered",
}

# Post-removal support services for parents who have lost children to proceedings.
POST_REMOVAL_SERVICE = {"england": "Pause", "wales": "Reflect"}


# --- Every clock a child is on (issue 11) ---------------------------------------------------------

INTERIM_ORDER_TYPES = {
    "interim_care_order": "Interim care order",
    "interim_supervision_order": "Interim supervision order",
}
CP_CONFERENCE_OUTCOMES = {"plan": "Child protection plan made", "no_plan": "No plan"}

# The court's own codes (shared/court-codes.md).
HEARING_OUTCOMES = {"held": "Held", "adjourned": "Adjourned", "vacated": "Vacated"}
HEARING_PARTIES = {
    "local_authority": "Local authority",
    "cafcass": "Cafcass",
    "experts": "Experts and disclosure",
    "court": "Court (HMCTS and judiciary)",
    "lawyers": "Lawyers and parties",
    "legal_aid": "Legal aid",
    "other": "Other",
}
# Why a hearing was adjourned or vacated, by the party responsible: code -> (label, party).
ADJOURNMENT_REASONS = {
    "LA1": ("No or poor pre-proceedings preparation", "local_authority"),
    "LA2": ("No friends or family identified before the hearing", "local_authority"),
    "LA3": ("No or poor kinship assessments", "local_authority"),
    "LA4": ("No expert instructed", "local_authority"),
    "LA5": ("No, poor or late core social work assessment", "local_authority"),
    "LA6": ("New assessment after a change of circumstances", "local_authority"),
    "LA7": ("No timetable for the child", "local_authority"),
    "LA8": ("New or alternative care plan", "local_authority"),
    "LA9": ("Placement order proceedings delay", "local_authority"),
    "LA10": ("No or poor placement evidence", "local_authority"),
    "LA11": ("No threshold document", "local_authority"),
    "CA1": ("Guardian not allocated or not present", "cafcass"),
    "CA2": ("No or poor analysis", "cafcass"),
    "EX1": ("Late or poor expert report", "experts"),
    "EX2": ("New expert report after a change", "experts"),
    "HE1": ("Medical records", "experts"),
    "CR1": ("Police disclosure", "experts"),
    "HM1": ("No courtroom", "court"),
    "HM2": ("No special measures", "court"),
    "HM3": ("No interpreter", "court"),
    "JU1": ("No judicial continuity", "court"),
    "JU2": ("Insufficient time", "court"),
    "JU3": ("No judge", "court"),
    "LW1": ("Lawyer not instructed or ready, or party or witness absent", "lawyers"),
    "LW2": ("No key issue analysis", "lawyers"),
    "LW3": ("No or poor parental evidence", "lawyers"),
    "LW4": ("Party unavailable", "lawyers"),
    "LW5": ("Intermediary unavailable", "lawyers"),
    "OS1": ("Official Solicitor not ready", "lawyers"),
    "LS1": ("Legal aid not in place", "legal_aid"),
    "LS2": ("Legal aid not in place (other)", "legal_aid"),
    "OT1": ("Case transferred", "other"),
    "OT2": ("Interim contested hearing needed", "other"),
    "OT3": ("Other non-compliance", "other"),
    "OT4": ("Consolidation", "other"),
    "OT5": ("Parallel proceedings", "other"),
    "OT6": ("New baby or pregnancy", "other"),
    "OT7": ("New party", "other"),
    "IN1": ("Immigration or international", "other"),
    "OT8": ("Severe weather", "other"),
    "OT9": ("Industrial action", "other"),
}

# The court's four extension codes (FPL), and Pathway's mapping (Pathway's own: the court
# publishes none; shared/court-codes.md).
FPL_EXTENSION_CODES = {
    "TimetableForProceedings": "Timetable for proceedings",
    "TimetableForChild": "Timetable for child",
    "DelayInCaseOrImpactOnChild": "Delay in case/impact on child",
    "InternationalAspect": "International aspect",
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
    "initial": "The first pre-proceedings meeting",
    "review": "A pre-proceedings review meeting",
}
PRE_PROCEEDINGS_DECISIONS = {
    "issue": "Step up: issue care proceedings",
    "step_down": "Step down: end pre-proceedings",
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
    "offered": "Offered", "accepted": "Accepted", "declined": "Declined",
    "referred": "Referred to the FGC service", "coordinator_allocated": "Coordinator allocated",
    "held": "Held", "plan_decided": "Plan decided", "review_held": "Review held", "closed": "Closed",
}
# Where a child was living six months after the family's plan was decided, from the history.
FGC_OUTCOMES_AT_6_MONTHS = {
    "with_parents": "Living with parents",
    "with_relatives_or_friends": "Living with relatives or friends",
    "in_care": "In care",
    "proceedings": "Subject of care proceedings",
}
