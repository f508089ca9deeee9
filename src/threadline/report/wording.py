"""Fixed wording every report carries. Kept in one place so JSON and HTML say the same thing.

The legal statements summarise the product spec (docs/PRODUCT.md, "Signals and what they mean");
they describe what each list means in US law, not advice on a particular shipment.
"""

from __future__ import annotations

from threadline.model import Band, Tier

DISCLAIMER = (
    "This screening reports what the reference data available to threadline shows at the as-of "
    "date stated. 'no signal found' means no signal was found in that data; it is not a "
    "clearance and does not show that goods were made without forced labour. Every flag cites "
    "its sources: check them before acting. This is not legal advice."
)

NO_SIGNAL_MEANING = (
    "A row marked “no signal found” had no match to a listed entity and no other signal in the "
    "data available to this run, at the as-of date above. It is not a finding that the supplier "
    "or its goods are free of forced labour: the lists are incomplete, names and addresses vary, "
    "and supply chains reach beyond what a supplier file shows."
)

LIMITATIONS = (
    "Results depend on the reference data bundled or imported for this run and on the data "
    "as-of dates listed above; entities added to or removed from official lists after those "
    "dates are not reflected. Name matching is approximate: a “match” is a confident "
    "identification, a “possible match” needs a person to review it, and an entity may go "
    "unrecognised under a name or transliteration the data does not hold. Ownership, supply "
    "and location links are only as complete as the sources cited. Tiers rank where to look "
    "first; they do not replace the due diligence, traceability documents or legal judgement an "
    "importer needs to rebut the UFLPA presumption or answer a detention."
)

TIER_MEANINGS: dict[Tier, str] = {
    Tier.PROHIBITED: (
        "Confident match to an entity with an active UFLPA Entity List, CBP Withhold Release "
        "Order / Finding (product in scope) or OFAC SDN listing at the as-of date, or "
        "production located in the Xinjiang Uyghur Autonomous Region (XUAR)."
    ),
    Tier.HIGH: (
        "Owned by or owner of a prohibited entity, a direct shipment or supply link to one, a "
        "site at or near a documented detention facility or camp-attached industrial park, or a "
        "BIS Entity List listing on Xinjiang human-rights grounds."
    ),
    Tier.ELEVATED: (
        "China origin in a UFLPA high-priority sector without traceability, an indirect link "
        "(two or more hops), or a possible match awaiting review."
    ),
    Tier.NO_SIGNAL: "None of the above in the data available to this run.",
}

LEGAL_BASIS: tuple[tuple[str, str], ...] = (
    (
        "UFLPA",
        "Goods mined, produced or manufactured wholly or in part in the XUAR, or by an entity on "
        "the UFLPA Entity List, are presumed made with forced labour and barred from US entry "
        "unless the importer rebuts the presumption.",
    ),
    (
        "CBP Withhold Release Orders and Findings",
        "Goods within the named entity's product scope are detained at the US border.",
    ),
    (
        "OFAC SDN (e.g. Global Magnitsky)",
        "US persons may not deal with the entity at all; the Xinjiang Production and "
        "Construction Corps (XPCC) has been designated since July 2020.",
    ),
    (
        "BIS Entity List (Xinjiang human-rights grounds)",
        "Export restrictions; a strong signal of involvement, not an import ban.",
    ),
)

BAND_LABELS: dict[Band, str] = {
    Band.MATCH: "match",
    Band.REVIEW: "possible match — needs review",
    Band.NO_MATCH: "no match",
}

CERTIFICATION_CAVEAT = (
    "Social-compliance certificates (WRAP, amfori BSCI, SA8000, SMETA, BCI and the like) are "
    "claims, recorded as the supplier or the importer stated them. Such audits are not designed "
    "to detect state-imposed forced labour, and have certified factories that used it: in 2018 a "
    "certified apparel maker in Hotan was shown on state television employing former camp "
    "inmates. A certificate never lowers a tier and never dispositions a flag by itself."
)
