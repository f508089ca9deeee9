"""`threadline review` (candidate links from imports) and `threadline disposition` (a decision on
an address, Tibet, sector or link flag, with traceability files)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from threadline.cli.console import stderr
from threadline.cli.options import DB, VerdictName, open_store
from threadline.data.rules import DEFAULT_ALGORITHM
from threadline.errors import InputError, NotFound
from threadline.model import DispositionDecision

if TYPE_CHECKING:  # each command imports what it runs (see cli/commands.py)
    from threadline.store.link_queue import CandidateLinkItem


def _user(value: str | None) -> str:
    return value or getpass.getuser()


def review_command(
    link: str | None = typer.Option(
        None, "--link", help="Candidate link id to decide on (see the list without options)."
    ),
    verdict: VerdictName | None = typer.Option(
        None, "--verdict", case_sensitive=False, help="Your decision on --link."
    ),
    comment: str = typer.Option("", "--comment", help="Why (kept with the decision)."),
    user: str | None = typer.Option(None, "--user", help="Who decides (default: login name)."),
    all_links: bool = typer.Option(False, "--all", help="List decided links too."),
    db: str | None = DB,
    as_json: bool = typer.Option(False, "--json", help="Print the queue as JSON."),
) -> None:
    """Candidate links an import left for review: list them, or decide on one."""
    from threadline.data.lists import data_version
    from threadline.decide import ReviewDecision
    from threadline.store.link_queue import candidate_link_queue

    with open_store(db, reference_data=False) as store:
        queue = candidate_link_queue(store, include_decided=all_links or link is not None)
        if link is None:
            _print_queue(queue, as_json)
            return
        found = next((item for item in queue if item.id.startswith(link)), None)
        if found is None:
            raise NotFound(f"--link: no candidate link '{link}'")
        if verdict is None:
            raise InputError("--verdict: say same, not-same or unsure")
        decided = verdict.verdict
        store.add_decision(
            ReviewDecision(
                query_name=found.name,
                entity_id=found.candidate_id,
                verdict=decided,
                user=_user(user),
                decided_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                comment=comment.strip(),
            ),
            data_version=data_version(),
            algorithm=DEFAULT_ALGORITHM,
        )
    stderr().print(
        f"'{found.name}' ~ {found.candidate_name}: {decided.value} (by {_user(user)})",
        markup=False,
    )


def _print_queue(queue: list[CandidateLinkItem], as_json: bool) -> None:
    from rich.table import Table

    rows = [
        {
            "id": item.id,
            "name": item.name,
            "candidate_id": item.candidate_id,
            "candidate_name": item.candidate_name,
            "score": round(item.score, 3),
            "dataset": item.dataset_id,
            "decision": item.decision.verdict.value if item.decision else None,
        }
        for item in queue
    ]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=f"candidate links to review ({len(rows)})")
    for heading in ("id", "name in the import", "may be", "score", "from", "decision"):
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["id"])[:12],
            str(row["name"]),
            f"{row['candidate_name']} ({row['candidate_id']})",
            f"{row['score']:.3f}",
            str(row["dataset"]),
            str(row["decision"] or "—"),
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    if rows:
        stderr().print("decide with: threadline review --link ID --verdict same|not-same|unsure")


def disposition_command(
    supplier: str = typer.Argument(..., help="The supplier name as screened."),
    code: str = typer.Argument(
        ..., help="The flag's code, e.g. HIGH_PRIORITY_SECTOR, XUAR_LOCATION, SUPPLY_LINK."
    ),
    decision: DispositionDecision = typer.Option(
        ...,
        "--decision",
        case_sensitive=False,
        help="cleared (rebutted: the flag stays shown but no longer sets the tier), confirmed or unsure.",
    ),
    comment: str = typer.Option("", "--comment", help="Why: kept with the decision."),
    files: list[Path] = typer.Option(
        [], "--file", help="A traceability document to file (stored with its SHA-256). Repeatable."
    ),
    description: list[str] = typer.Option(
        [], "--description", help="What each --file is, in the same order."
    ),
    user: str | None = typer.Option(None, "--user", help="Who decides (default: login name)."),
    key: str = typer.Option("", "--key", help="Your key for the supplier (e.g. Vendor No.)."),
    db: str | None = DB,
) -> None:
    """Record a decision on an address, Tibet, sector or link flag; later screenings apply it."""
    from threadline.data.lists import data_version
    from threadline.store.dispositions import DispositionContext, Dispositions, FiledDocument

    documents = []
    for index, path in enumerate(files):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot be read: {exc.strerror or exc}", file=str(path)) from exc
        note = description[index] if index < len(description) else ""
        documents.append(FiledDocument(path.name, content, note))
    with open_store(db, reference_data=False) as store:
        recorded = Dispositions(store).record(
            supplier=supplier,
            code=code.strip().upper(),
            decision=decision,
            user=_user(user),
            comment=comment,
            files=documents,
            context=DispositionContext(
                user_key=key, data_version=data_version(), algorithm=DEFAULT_ALGORITHM
            ),
        )
    filed = "".join(f"; filed {a.filename} sha256 {a.sha256[:12]}…" for a in recorded.attachments)
    stderr().print(
        f"{recorded.code} for '{recorded.supplier}': {recorded.decision.value} by "
        f"{recorded.user}{filed}",
        markup=False,
    )
