"""The closed vocabularies every stage speaks, so a typo is an error and not a new category.

The values are those of the gold schema (`shared/gold/SCHEMA.md`), which is also what
exports and the API emit.
"""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    NEW = "new"
    CUMULATIVE = "cumulative"


class Status(StrEnum):
    EXPECTED = "expected"
    ANNOUNCED = "announced"
    PLEDGED = "pledged"
    ALLOCATED = "allocated"
    PROVIDED = "provided"


class Instrument(StrEnum):
    GRANT = "grant"
    LOAN = "loan"
    GUARANTEE = "guarantee"
    IN_KIND = "in_kind"
    UNSPECIFIED = "unspecified"


class Kind(StrEnum):
    FINANCIAL = "financial"
    HUMANITARIAN = "humanitarian"
    MILITARY = "military"
    RECONSTRUCTION = "reconstruction"
    MIXED = "mixed"
    UNSPECIFIED = "unspecified"


class Sector(StrEnum):
    DEMINING = "demining"
    HUMANITARIAN = "humanitarian"
    HEALTH = "health"
    EDUCATION = "education"
    FOOD_SECURITY = "food_security"
    AGRICULTURE = "agriculture"
    INDUSTRY = "industry"
    DIGITAL = "digital"
    ENERGY = "energy"
    TRANSPORT = "transport"
    INFRASTRUCTURE = "infrastructure"
    GOVERNANCE = "governance"
    SECURITY = "security"
    BUDGET_SUPPORT = "budget_support"
    PRIVATE_SECTOR = "private_sector"


class AgreementType(StrEnum):
    MEMORANDUM = "memorandum"
    COOPERATION_DEAL = "cooperation_deal"
    JOINT_STUDY = "joint_study"
    JOINT_DEVELOPMENT = "joint_development"
    TREATY = "treaty"
    CONVENTION = "convention"
    MECHANISM = "mechanism"
    OFFICE = "office"
    POLICY = "policy"


class AgreementStatus(StrEnum):
    SIGNED = "signed"
    ANNOUNCED = "announced"
    PLANNED = "planned"
    UNDER_REVIEW = "under_review"
    EXPECTED = "expected"


class EventType(StrEnum):
    CONFERENCE = "conference"
    VISIT = "visit"
    MEETING = "meeting"
    CEREMONY = "ceremony"
    OTHER = "other"


class ActorType(StrEnum):
    COUNTRY = "country"
    GOVERNMENT_BODY = "government_body"
    INTERGOVERNMENTAL = "intergovernmental"
    COMPANY = "company"
    FUND = "fund"
    PERSON = "person"
    COALITION = "coalition"  # donors counted together and not named one by one: "international partners"
    OTHER = "other"


class DateSource(StrEnum):
    """How a document's publication date was found; kept so a user can judge it."""

    METADATA = "metadata"  # HTML meta tags or a JSONL/manifest field
    DATELINE = "dateline"  # a date line near the top of the text
    NONE = "none"
