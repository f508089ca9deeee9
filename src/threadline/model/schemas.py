"""The kinds of entity threadline names, and which of them screening matches suppliers against.

Values are FollowTheMoney schema names, except `Facility`, which FtM lacks (see model/ftm.py for
how it is written there). Entities read from other sources may carry further FtM schemata
(`Airplane`, …): `ReferenceEntity.schema` stays text, and this enum names the ones rules use.
"""

from __future__ import annotations

from enum import StrEnum


class Schema(StrEnum):
    COMPANY = "Company"
    ORGANIZATION = "Organization"
    LEGAL_ENTITY = "LegalEntity"
    PUBLIC_BODY = "PublicBody"
    PERSON = "Person"
    FACILITY = "Facility"
    VESSEL = "Vessel"


# Suppliers are companies and sites. Persons on the lists are officials: never screened, never
# shippers, never matched by /match.
SCREENED_SCHEMAS = frozenset(
    {
        Schema.COMPANY,
        Schema.ORGANIZATION,
        Schema.LEGAL_ENTITY,
        Schema.PUBLIC_BODY,
        Schema.FACILITY,
    }
)
# Parties a FollowTheMoney file may hold (persons included: a sanctioned official can own a firm).
FTM_PARTY_SCHEMAS = frozenset(
    {Schema.COMPANY, Schema.ORGANIZATION, Schema.LEGAL_ENTITY, Schema.PUBLIC_BODY, Schema.PERSON}
)
# Kinds a user's restricted-party list may give in its `kind` column.
LIST_SCHEMAS = (
    Schema.COMPANY,
    Schema.ORGANIZATION,
    Schema.PERSON,
    Schema.FACILITY,
    Schema.LEGAL_ENTITY,
)
