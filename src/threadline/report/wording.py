"""Fixed wording every report carries. Kept in one place so JSON and HTML say the same thing.

What each tier means and the legal basis of each list are kept with the tier rules
(data/rules/tiers.yaml), so a tier and its wording cannot disagree; they summarise the product
spec (docs/PRODUCT.md, "Signals and what they mean"), not advice on a particular shipment.
"""

from __future__ import annotations

from collections.abc import Mapping

from threadline.data.rules import load_tier_wording
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


def tier_meanings() -> Mapping[Tier, str]:
    """What each tier means, as data/rules/tiers.yaml states it beside the rules that give it."""
    return load_tier_wording().meanings


def legal_basis() -> tuple[tuple[str, str], ...]:
    """What each kind of list means in US law (name, text), from data/rules/tiers.yaml."""
    return load_tier_wording().legal_basis


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
