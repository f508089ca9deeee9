"""`GET /audit.csv`: every review decision and flag disposition ever made, with who, when, on
which data, and where (screening, row, the user's key for the row, the flag and its score)."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from threadline.report import safe_cell
from threadline.server.auth import User, current_user
from threadline.server.errors import ERROR_RESPONSES
from threadline.server.services import get_services
from threadline.store.dispositions import Dispositions

router = APIRouter(tags=["Review"], responses=ERROR_RESPONSES)
AUDIT_COLUMNS = (
    "decision_id",
    "decided_at",
    "user",
    "verdict",
    "supplier_name",
    "entity_id",
    "entity_name",
    "comment",
    "data_version",
    "algorithm",
    "kind",
    "screening_id",
    "row",
    "user_key",
    "flag",
    "score",
    "attachments",
)


@router.get(
    "/audit.csv",
    name="audit_csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
    summary="Every review decision as CSV, oldest first",
)
def audit_csv(request: Request, _user: User = Depends(current_user)) -> Response:
    """Append-only log: superseded decisions stay. Cells are safe to open in a spreadsheet."""
    services = get_services(request)
    names = {e.id: e.name for e in services.screener().entities}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for entry in services.screenings.decision_log():
        writer.writerow(
            [
                entry.id,
                entry.decided_at.isoformat(),
                safe_cell(entry.user),
                entry.verdict,
                safe_cell(entry.query_name),
                safe_cell(entry.entity_id),
                safe_cell(names.get(entry.entity_id, "")),
                safe_cell(entry.comment),
                entry.data_version,
                entry.algorithm,
                "name match",
                entry.screening_id,
                "" if entry.row is None else entry.row,
                safe_cell(entry.user_key),
                "POSSIBLE_MATCH",
                "" if entry.score is None else f"{entry.score:.4f}",
                "",
            ]
        )
    for logged in Dispositions(services.store).log():
        found, where = logged.disposition, logged.context
        writer.writerow(
            [
                f"d{logged.id}",
                found.decided_at,
                safe_cell(found.user),
                found.decision.value,
                safe_cell(found.supplier),
                "",
                "",
                safe_cell(found.comment),
                where.data_version,
                where.algorithm,
                "flag",
                where.screening_id,
                "" if where.row is None else where.row,
                safe_cell(where.user_key),
                found.code,
                "" if where.score is None else f"{where.score:.4f}",
                safe_cell("; ".join(f"{a.filename} sha256:{a.sha256}" for a in found.attachments)),
            ]
        )
    return Response(
        out.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="threadline-audit.csv"'},
    )
