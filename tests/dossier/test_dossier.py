"""A supplier's dossier: gathered from the store and a fresh screening, drawn and rendered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from threadline.dossier import build_dossier, dossier_context
from threadline.importing import import_relations
from threadline.model import DispositionDecision
from threadline.report.dossier import render_dossier
from threadline.store import Store
from threadline.store.dispositions import Dispositions

HOSTILE = "<b>Quill</b> Example Holdings Ltd"
RELATIONS = f"""\
from,to,relation,source
"{HOSTILE}",Redpoplar Example Spinning Co,owns,https://example.org/registry/1
Redpoplar Example Spinning Co,"Aksu, Xinjiang",located_at,https://example.org/report/2
"""


def test_dossier_draws_the_paths_and_follows_cbp_categories(tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    links.write_text(RELATIONS, encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        import_relations(store, links)
        Dispositions(store).record(
            supplier=HOSTILE,
            code="OWNERSHIP_LINK",
            decision=DispositionDecision.CONFIRMED,
            user="ana",
            comment="registry extract checked",
        )
        dossier = build_dossier(store, HOSTILE, as_of=dt.date(2026, 1, 1))
    html = render_dossier(dossier_context(dossier))
    for heading in (
        "1. Identity",
        "2. Listings and flags",
        "3. Supply-chain tracing",
        "4. Due diligence",
        "5. Origin: where the goods are made",
        "6. Data and method",
    ):
        assert heading in html
    assert "<svg" in html and html.count("<rect") == 2  # the holding and its XUAR subsidiary
    assert "<b>Quill</b>" not in html and "&lt;b&gt;Quill&lt;/b&gt;" in html
    assert "located in: <strong>Aksu, Xinjiang</strong>" in html
    assert "OWNERSHIP_LINK: <strong>confirmed</strong> by ana" in html
    assert "not designed to detect state-imposed forced labour" in html
