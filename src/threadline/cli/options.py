"""Options that `screen` and `batch screen` share, and reading the extra lists they name, so
both commands take them, and screen against them, alike."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from threadline.model import DatasetInfo, ReferenceEntity

REFERENCE = typer.Option(
    [],
    "--reference",
    "-r",
    help="Extra list to screen against (CSV like the bundled lists, or FtM JSON lines). Repeatable.",
)
AS_OF = typer.Option(
    None,
    "--as-of",
    help="Screen as of this date (YYYY-MM-DD): listings made later or removed by then do not count. Default: today.",
)
HOPS = typer.Option(
    None,
    "--hops",
    min=0,
    help="How many links (ownership, supply, shipments) to follow from a supplier; 0 turns link exposure off. Default: 2 (data/rules/tiers.yaml).",
)


def extra_references(
    paths: Sequence[Path],
) -> tuple[list[ReferenceEntity], list[DatasetInfo]]:
    """The entities of each `--reference` file, and a user-supplied dataset for each, with its
    row count (reports list it beside the bundled lists)."""
    from threadline.inputs import read_reference
    from threadline.model import DatasetInfo

    entities: list[ReferenceEntity] = []
    infos: list[DatasetInfo] = []
    for path in paths:
        read = read_reference(path)
        entities.extend(read)
        infos.append(
            DatasetInfo(
                id=path.stem,
                title=path.name,
                publisher="user-supplied",
                as_of="",
                licence="",
                rows=len(read),
            )
        )
    return entities, infos
