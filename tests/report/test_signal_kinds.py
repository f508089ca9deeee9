"""A new kind of signal is one class and its rule's entry in tiers.yaml `reasons`: defined here, in
the test, it words its own reason, cites its own evidence and reaches the row's tier, the CSV and
the JSON without any module knowing it."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import ClassVar

from threadline.data import parse_yaml
from threadline.evidence import assess
from threadline.exposure import PlaceHit, PlaceSignal, Signal, TierRules
from threadline.exposure.signals import rule_names
from threadline.model import (
    Evidence,
    InputRecord,
    Reliability,
    RunMetadata,
    ScreenedRow,
    Source,
    Tier,
)
from threadline.report import results_csv_rows
from threadline.report.jsonout import results_document

AS_OF = dt.date(2026, 3, 1)
AUDIT_URL = "https://example.org/audits/42"


@dataclass(frozen=True, slots=True)
class AuditSignal(Signal):
    """Test-only kind: an on-site audit that found workers transferred from the XUAR."""

    RULES: ClassVar[tuple[str, ...]] = ("audit_transfer",)

    auditor: str
    visited: dt.date

    def fields(self) -> Mapping[str, str]:
        return {"auditor": self.auditor, "visited": self.visited.isoformat()}

    def evidence(self) -> tuple[Evidence, ...]:
        source = Source(AUDIT_URL, "Audit 42", reliability=Reliability.INVESTIGATIVE_RESEARCH)
        return (Evidence.from_source(source, fact=f"visit of {self.visited.isoformat()}"),)


def _rules() -> TierRules:
    """The packaged tier rules with the new kind's one entry added, as a data edit would."""
    text = resources.files("threadline.data").joinpath("rules/tiers.yaml").read_text("utf-8")
    data = copy.deepcopy(parse_yaml(text))
    data["reasons"]["audit_transfer"] = {
        "code": "AUDIT_TRANSFER",
        "tier": "high",
        "text": "An audit by {auditor} on {visited} found transferred workers (screened {as_of}).",
        "legal_source": "uflpa",
    }
    rules = TierRules.from_mapping(data)
    rules.check_names({**rule_names(), "AuditSignal": AuditSignal.RULES})  # as loading does
    return rules


RULES = _rules()
LAW = RULES.reason("audit_transfer").legal_source  # the law its entry cites
assert LAW is not None


def _signals() -> list[Signal]:
    place = PlaceHit(region="XUAR", in_name=True, places=("Kashgar",), why="named")
    return [
        PlaceSignal(PlaceSignal.rule_in(RULES, "xuar_name"), place),
        AuditSignal(
            AuditSignal.rule_in(RULES), auditor="Example Audits", visited=dt.date(2025, 11, 3)
        ),
    ]


def test_a_kind_defined_outside_the_package_words_and_cites_its_own_reason() -> None:
    risk = assess(_signals(), AS_OF)
    assert risk.tier is Tier.HIGH  # the worst of high (audit) and elevated (name in the XUAR)
    audit, place = risk.reasons
    assert [audit.code, place.code] == ["AUDIT_TRANSFER", "XUAR_IN_NAME"]
    assert audit.text == (
        "An audit by Example Audits on 2025-11-03 found transferred workers (screened 2026-03-01)."
    )
    assert [(e.source_url, e.fact) for e in audit.evidence] == [
        (AUDIT_URL, "visit of 2025-11-03"),
        (LAW.url, "legal basis"),
    ]
    assert "(Kashgar)" in place.text


def test_the_same_reason_found_twice_is_shown_once() -> None:
    twice = [*_signals(), _signals()[1]]
    assert [r.code for r in assess(twice, AS_OF).reasons] == ["AUDIT_TRANSFER", "XUAR_IN_NAME"]


def test_the_new_kind_reaches_the_csv_and_the_json(meta: RunMetadata) -> None:
    record = InputRecord(file="suppliers.csv", row=2, name="Kashgar Example Mill", country="CN")
    row = ScreenedRow(record=record, matches=(), risk=assess(_signals(), AS_OF))
    header, line = results_csv_rows([row])
    cells = dict(zip(header, line, strict=True))
    assert cells["tier"] == "high"
    assert cells["reason_codes"].split("; ")[0] == "AUDIT_TRANSFER"
    assert "An audit by Example Audits" in cells["reasons"]
    assert AUDIT_URL in cells["evidence_urls"]
    (result,) = results_document(meta, [row])["results"]
    reason = result["risk"]["reasons"][0]
    assert reason["code"] == "AUDIT_TRANSFER" and reason["tier"] == "high"
    assert {e["source_url"] for e in reason["evidence"]} == {AUDIT_URL, LAW.url}
