"""threadline ↔ FollowTheMoney: the one table of schemata, properties and links, used by the
importer (inputs/ftm.py), the exporter (report/ftm_export.py), the API's entity bodies
(server/api/ftm.py) and `/match` queries (server/api/match.py).

Every property named here is a property of FtM's `LegalEntity` or `Person`, or a link schema's,
except the few in `NOT_FTM`: spellings earlier files and clients used, still read, never written
(tests/model/test_ftm_mapping.py checks both against followthemoney's own model).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from threadline.model.graph import RelationKind
from threadline.model.schemas import Schema
from threadline.normalise.identifiers import normalise_uscc

# A listing is written as, and read from, an FtM Sanction record naming its entity.
SANCTION_SCHEMA = "Sanction"


@dataclass(frozen=True, slots=True)
class SanctionProps:
    """The Sanction property that holds each field of a listing, for writing and reading."""

    entity: str = "entity"
    authority: str = "authority"  # the list's name
    entry_id: str = "authorityId"
    program: str = "program"
    listed: str = "listingDate"
    start: str = "startDate"
    end: str = "endDate"  # the date it was removed
    status: str = "status"
    effect: str = "provisions"  # threadline's own effect value, so its export reads back as it was
    # FtM has no product scope: `reason` holds it, read back as one only from threadline's own
    # export (elsewhere `reason` is free text on why the entity is listed).
    product_scope: str = "reason"


SANCTION = SanctionProps()

# FtM has no facility: an Organization stands in, its `classification` saying what it was.
_FTM_SCHEMA = {Schema.FACILITY.value: Schema.ORGANIZATION.value}

ALIAS_PROPS = ("alias", "weakAlias", "previousName")
NAME_PROPS = ("name", *ALIAS_PROPS)
COUNTRY_PROPS = (
    "country",
    "jurisdiction",
    "mainCountry",
    "nationality",
    "citizenship",
    "registrationCountry",
)
USCC_PROP = "uscCode"  # FtM's property for the Unified Social Credit Code
REGISTRATION_PROP = "registrationNumber"  # every other identifier is written here
# Read in this order: a query's first identifier is the one /match checks, so the USCC leads.
ID_PROPS = (
    USCC_PROP,
    REGISTRATION_PROP,
    "taxNumber",
    "innCode",
    "ogrnCode",
    "idNumber",
    "leiCode",
    "uniformSocialCreditCode",
    "uniqueIdentifier",
)
NOT_FTM = frozenset({"uniformSocialCreditCode", "uniqueIdentifier", "registrationCountry"})


def ftm_schema(schema: str) -> str:
    """The FtM schema an entity of this threadline schema is written as."""
    return _FTM_SCHEMA.get(schema, schema)


def classification(schema: str) -> list[str]:
    """What a schema FtM lacks is written as (`classification`), so a reader can tell."""
    return [schema.lower()] if ftm_schema(schema) != schema else []


def schema_read(ftm: str, classifications: Iterable[str]) -> str:
    """The threadline schema of an FtM entity: an Organization classified as a facility (as
    threadline writes one) is a Facility again."""
    stated = {c.casefold() for c in classifications}
    return next(
        (ours for ours, theirs in _FTM_SCHEMA.items() if theirs == ftm and ours.lower() in stated),
        ftm,
    )


def identifier_properties(identifiers: Iterable[str]) -> dict[str, list[str]]:
    """Identifiers by the FtM property that holds them: a USCC in `uscCode`, others in
    `registrationNumber`. Properties without values are left out."""
    values = list(dict.fromkeys(i for i in identifiers if i))
    uscc = [i for i in values if normalise_uscc(i)]
    others = [i for i in values if i not in uscc]
    return {prop: vals for prop, vals in ((USCC_PROP, uscc), (REGISTRATION_PROP, others)) if vals}


@dataclass(frozen=True, slots=True)
class FtmLink:
    """An FtM link schema: the properties naming its two ends, and the relation it reads as
    (None: the kind is in the link's `role`, as UnknownLink says it)."""

    schema: str
    source: str
    target: str
    kind: RelationKind | None


_LINK_SCHEMATA = (
    FtmLink("Ownership", "owner", "asset", RelationKind.OWNS),
    FtmLink("Directorship", "director", "organization", RelationKind.OPERATES),
    FtmLink("Control", "controller", "controlled", RelationKind.OPERATES),
    FtmLink("EconomicActivity", "sender", "receiver", RelationKind.SHIPPED_TO),
    FtmLink("UnknownLink", "subject", "object", None),
)
LINKS = {link.schema: link for link in _LINK_SCHEMATA}


@dataclass(frozen=True, slots=True)
class LinkWriting:
    """How a relation kind is written: its link schema, whether threadline's source is the
    link's target end (a subsidiary is the `asset` of its owner), and the `role` written."""

    link: FtmLink
    reversed: bool = False
    role: str = ""

    @property
    def source(self) -> str:
        return self.link.target if self.reversed else self.link.source

    @property
    def target(self) -> str:
        return self.link.source if self.reversed else self.link.target


# Each kind reads back as itself, except SUBSIDIARY_OF, which reads back as the owner OWNS it.
WRITTEN_AS: dict[RelationKind, LinkWriting] = {
    RelationKind.OWNS: LinkWriting(LINKS["Ownership"]),
    RelationKind.SUBSIDIARY_OF: LinkWriting(LINKS["Ownership"], True, "subsidiary of"),
    RelationKind.OPERATES: LinkWriting(LINKS["Control"], role="operates"),
    RelationKind.SUPPLIES: LinkWriting(LINKS["UnknownLink"], role="supplies"),
    RelationKind.LOCATED_AT: LinkWriting(LINKS["UnknownLink"], role="located at"),
    RelationKind.SHIPPED_TO: LinkWriting(LINKS["EconomicActivity"]),
}
