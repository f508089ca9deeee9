"""Dispositions of flags: stored with their files' hashes, applied by the next screening — the
flag stays, marked with who/when/why, and a cleared one no longer sets the tier."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import pytest

from threadline.data.rules import load_tier_rules
from threadline.errors import InputError
from threadline.inputs import read_records
from threadline.model import DispositionDecision, Tier
from threadline.pipeline import build_screener, ensure_reference_data, screen
from threadline.report.csvout import results_csv_rows
from threadline.store import Store
from threadline.store.dispositions import DispositionContext, Dispositions, FiledDocument

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from erp_export import write_erp_export

AS_OF = dt.date(2026, 3, 1)
TRACE = b"%PDF-1.4 mill certificate: cotton from Brazil, lot 77\n"


def _ningbo(store: Store, erp: Path) -> tuple[Tier, list[str], object]:
    records = [r for r in read_records(erp) if r.key == "V10008"]
    (row,) = screen(records, reference=build_screener(store), as_of=AS_OF)
    return row.risk.tier, [r.code for r in row.risk.reasons], row


def test_a_cleared_sector_flag_carries_into_the_next_screening(tmp_path: Path) -> None:
    erp = write_erp_export(tmp_path / "master.xlsx")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        ensure_reference_data(store)
        tier, codes, _ = _ningbo(store, erp)
        assert (tier, codes) == (Tier.ELEVATED, ["HIGH_PRIORITY_SECTOR"])
        Dispositions(store).record(
            supplier="ningbo example  COTTON weaving co.",  # as cased or spaced elsewhere
            code="HIGH_PRIORITY_SECTOR",
            decision=DispositionDecision.CLEARED,
            user="ana",
            comment="Brazilian cotton; mill certificate and invoices on file",
            files=[FiledDocument("mill-cert.pdf", TRACE, "mill certificate, lot 77")],
            context=DispositionContext(screening_id="s1", row=12, user_key="V10008"),
        )
        tier, codes, row = _ningbo(store, erp)
        (entry,) = Dispositions(store).log()
        assert Dispositions(store).file(hashlib.sha256(TRACE).hexdigest()) == (
            "mill-cert.pdf",
            TRACE,
        )
    # The flag is still there, marked; it no longer sets the tier.
    assert (tier, codes) == (Tier.NO_SIGNAL, ["HIGH_PRIORITY_SECTOR"])
    (reason,) = row.risk.reasons  # type: ignore[attr-defined]
    assert reason.disposition.user == "ana"
    assert reason.disposition.attachments[0].sha256 == hashlib.sha256(TRACE).hexdigest()
    assert (entry.context.screening_id, entry.context.row, entry.context.user_key) == (
        "s1",
        12,
        "V10008",
    )
    header, line = results_csv_rows([row])  # type: ignore[list-item]
    reasons = dict(zip(header, line, strict=True))["reasons"]
    assert "[Dispositioned cleared by ana on " in reasons
    assert "(1 document(s) filed)" in reasons


@pytest.mark.parametrize(
    ("key", "code", "before", "after"),
    [
        ("V10003", "XUAR_LOCATION", Tier.PROHIBITED, Tier.NO_SIGNAL),  # Kashgar in the City column
        ("V10005", "TIBET_LOCATION", Tier.ELEVATED, Tier.NO_SIGNAL),  # Lhasa
    ],
)
def test_an_address_or_tibet_flag_cleared_carries_into_the_next_screening(
    tmp_path: Path, key: str, code: str, before: Tier, after: Tier
) -> None:
    erp = write_erp_export(tmp_path / "master.xlsx")
    records = [r for r in read_records(erp) if r.key == key]
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        ensure_reference_data(store)
        (row,) = screen(records, reference=build_screener(store), as_of=AS_OF)
        assert (row.risk.tier, [r.code for r in row.risk.reasons]) == (before, [code])
        Dispositions(store).record(
            supplier=row.record.name,
            code=code,
            decision=DispositionDecision.CLEARED,
            user="ana",
            comment="production at the Ningbo site; site audit and invoices on file",
        )
        (again,) = screen(records, reference=build_screener(store), as_of=AS_OF)
    (reason,) = again.risk.reasons
    assert again.risk.tier is after
    assert reason.disposition is not None and reason.disposition.user == "ana"


def test_a_name_match_flag_is_decided_on_the_match_not_dispositioned(tmp_path: Path) -> None:
    with (
        Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store,
        pytest.raises(InputError, match="decide on the candidate"),
    ):
        Dispositions(store).record(
            supplier="Hoshine", code="LISTED_UFLPA", decision=DispositionDecision.CLEARED, user="a"
        )


def test_the_name_match_flags_are_the_tier_rules_listing_match_and_delisting_reasons() -> None:
    rules = load_tier_rules()
    codes = rules.name_match_codes
    assert {rule.code for rule in rules.listing.values()} <= codes
    named = ("possible_match", "delisted", "wro_unconfirmed")
    assert {rules.reason(name).code for name in named} <= codes
    # Flags that rest on an address, a link, a facility or a sector can be dispositioned.
    others = ("xuar_address", "tibet_address", "sector_china_origin", "link_control")
    assert codes.isdisjoint(rules.reason(name).code for name in others)
