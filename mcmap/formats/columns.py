"""The provider submission template: its columns, what each one means, and the values a cell
may take. The CSV and XLSX readers and the XLSX template writer share these."""
from __future__ import annotations

from .. import namespaces as ns

COLUMNS = (
    "id", "title", "provider", "provider_regulator", "jurisdiction", "level_framework", "level",
    "credits", "credit_system", "hours", "learning_outcomes", "assessment", "delivery_mode",
    "location", "cost", "currency", "prerequisites", "credit_recognition", "industry_recognition",
    "nzsced", "developer", "review_period_years", "evidence_of_need", "purpose", "qa_statement",
    "status", "approved_on", "language", "url",
    # Australian VET: what kind of micro-credential (AU-KIND), the skill set's or unit's national
    # code, its units (|-separated codes) and the provider's RTO code. Files without them still load.
    "kind", "national_code", "units", "rto_code",
)

# What each column holds: shown in the .xlsx template (header notes and its Columns sheet) and docs.
COLUMN_HELP = {
    "id": "The provider's own code for the micro-credential; unique in the file (e.g. NZ-001).",
    "title": "The micro-credential's title.",
    "provider": "The organisation that offers it.",
    "provider_regulator": "The provider's regulator: TEQSA, ASQA, VRQA, TAC, NZQA, Universities NZ, SQA, EQAP, "
                          "or none (an unregulated provider).",
    "jurisdiction": "Where it is offered: an ISO 3166 country code (AU, NZ, WS, ...), PACIFIC or EU.",
    "level_framework": "The qualifications framework its level belongs to: AQF, NZQCF, SQF, PQF or EQF.",
    "level": "Its level in that framework (a number; SQF also takes I-X).",
    "credits": "Its credit value, in the credit system below (a number).",
    "credit_system": "NZ (NZQCF credits), PQF or ECTS; blank where only hours are known.",
    "hours": "Notional learning hours: all the learning a typical learner needs (a number).",
    "learning_outcomes": "What a learner can do on completion; separate several with |.",
    "assessment": "How the outcomes are assessed; separate several with |.",
    "delivery_mode": "online, onsite or blended.",
    "location": "Where it is delivered (town, campus).",
    "cost": "The price to the learner (a number; 0 or free when free).",
    "currency": "The currency of the cost (ISO 4217: AUD, NZD, WST, EUR, ...).",
    "prerequisites": "Entry requirements, in words.",
    "credit_recognition": "Credit it earns towards other qualifications, in words.",
    "industry_recognition": "Recognition by industry or professional bodies, in words.",
    "nzsced": "Field of study as a six-digit NZSCED code.",
    "developer": "Who developed it (e.g. a Workforce Development Council).",
    "review_period_years": "Years between reviews (a whole number).",
    "evidence_of_need": "Evidence of demand from employers, industry or community.",
    "purpose": "Its purpose and who it is for.",
    "qa_statement": "The provider's quality-assurance statement.",
    "status": "current, expiring or discontinued.",
    "approved_on": "The date it was approved (YYYY-MM-DD).",
    "language": "The language of instruction (ISO 639-1: en, mi, sm, ...).",
    "url": "A web page about it (https://...).",
    "kind": "Australian VET: what kind of micro-credential it is: skill set, unit of competency, "
            "higher education module, industry assessed learning or other assessed learning.",
    "national_code": "The skill set's or unit's code on training.gov.au (e.g. HLTSS00066).",
    "units": "The units of competency it comprises, as national codes; separate several with |.",
    "rto_code": "The provider's code as a registered training organisation (training.gov.au).",
}

# Controlled columns: the values the .xlsx template offers as drop-down lists.
CHOICES = {
    "jurisdiction": ("AU", "NZ", "WS", "PACIFIC", "EU"),
    "level_framework": ("AQF", "NZQCF", "SQF", "PQF", "EQF"),
    "credit_system": ("NZ", "PQF", "ECTS"),
    "delivery_mode": ("online", "onsite", "blended"),
    "provider_regulator": ("TEQSA", "ASQA", "VRQA", "TAC", "NZQA", "Universities NZ", "SQA", "EQAP", "none"),
    "status": ("current", "expiring", "discontinued"),
    "kind": ("skill set", "unit of competency", "higher education module", "industry assessed learning",
             "other assessed learning"),
}

LEVEL_FRAMEWORKS = {"AQF": "aqf", "NZQCF": "nzqcf", "NZQF": "nzqcf", "SQF": "sqf", "PQF": "pqf", "EQF": "eqf"}
CREDIT_SYSTEMS = {"NZ": "nz", "NZQCF": "nz", "PQF": "pqf", "ECTS": "ects"}
REGULATORS = {"TEQSA": "TEQSA", "ASQA": "ASQA", "VRQA": "VRQA", "TAC": "TAC", "NZQA": "NZQA", "SQA": "SQA", "EQAP": "EQAP",
              "UNIVERSITIES NZ": "UNIVERSITIESNZ", "UNIVERSITIESNZ": "UNIVERSITIESNZ", "UNZ": "UNIVERSITIESNZ",
              "NONE": "NONE", "UNREGULATED": "NONE"}
JURISDICTION_NAMES = {"AUSTRALIA": "AU", "NEW ZEALAND": "NZ", "AOTEAROA": "NZ", "SAMOA": "WS",
                      "PACIFIC": "PACIFIC", "EUROPEAN UNION": "EU"}
DELIVERY_MODES = {"online": "online", "onsite": "onsite", "on-site": "onsite", "on site": "onsite",
                  "face-to-face": "onsite", "in person": "onsite", "blended": "blended",
                  "hybrid": "blended", "both": "blended", "mixed": "blended"}
STATUSES = {"current", "expiring", "discontinued"}
# AU-KIND (MicroCred Seeker's typology): cell text -> concept in the core vocabulary.
KINDS = {k: v for v, keys in {
    "VetSkillSet": ("vetskillset", "skill set", "skillset", "skill-set", "vet skill set"),
    "VetUnitOfCompetency": ("vetunitofcompetency", "unit", "unit of competency", "vet unit",
                            "vet unit of competency", "uoc"),
    "HigherEducationModule": ("hemodule", "he module", "higher education module", "higher-education module",
                              "module", "micro-subject"),
    "IndustryAssessedLearning": ("industryassessedlearning", "industry", "industry assessed learning",
                                 "industry learning", "vendor certification"),
    "OtherAssessedLearning": ("otherassessedlearning", "other", "other assessed learning"),
}.items() for k in keys}

# Plain text columns: column -> property
TEXT = {
    "title": ns.DCT + "title", "location": ns.MC + "location", "prerequisites": ns.MC + "prerequisites",
    "credit_recognition": ns.MC + "creditRecognition", "industry_recognition": ns.MC + "industryRecognition",
    "nzsced": ns.MC + "nzscedCode", "developer": ns.MC + "developer",
    "evidence_of_need": ns.MC + "evidenceOfNeed", "purpose": ns.MC + "purposeStatement",
    "qa_statement": ns.MC + "qaStatement", "language": ns.DCT + "language",
}
MULTI = {"learning_outcomes": ns.MC + "learningOutcome", "assessment": ns.MC + "assessment"}
DECIMALS = {"credits": ns.MC + "creditValue", "hours": ns.MC + "volumeOfLearningHours", "cost": ns.MC + "cost"}
