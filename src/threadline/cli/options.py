"""Options declared once and shared by the commands: the database, dates, the options `screen`
and `batch screen` share, and the choices a command takes as Enum types (typer checks them and
lists them in --help). Opening the store a command works on, and closing it after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from threadline.errors import InputError
from threadline.model import Reliability, Tier

if TYPE_CHECKING:
    from threadline.decide import Verdict
    from threadline.inputs.dates import DateOrder
    from threadline.model import DatasetInfo, ReferenceEntity
    from threadline.server.security import Role
    from threadline.store import Store

DB = typer.Option(
    None,
    "--db",
    help="Database URL (default: THREADLINE_DB or a SQLite file in the user data directory).",
)
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
MAX_AGE = typer.Option(
    None,
    "--max-age",
    min=0,
    help="Warn about lists older than this many days (default: THREADLINE_MAX_DATA_AGE_DAYS or 45).",
)


# The choices below are spelled as a user types them; each maps onto the library's own vocabulary,
# imported only when a command runs (--help must not load the decide step or the server).
# tests/cli/test_options.py checks each against the vocabulary it stands for.


class FailOn(StrEnum):
    """The tiers an exit status can be tied to: every tier but 'no signal found'."""

    PROHIBITED = Tier.PROHIBITED.value
    HIGH = Tier.HIGH.value
    ELEVATED = Tier.ELEVATED.value

    @property
    def tier(self) -> Tier:
        return Tier(self.value)


class ReliabilityName(StrEnum):
    OFFICIAL_LIST = "official_list"
    GOVERNMENT_DOCUMENT = "government_document"
    INVESTIGATIVE_RESEARCH = "investigative_research"
    MEDIA = "media"
    INFERRED = "inferred"
    USER_SUPPLIED = "user_supplied"

    @property
    def reliability(self) -> Reliability:
        return Reliability[self.name]


class DateOrderName(StrEnum):
    MDY = "mdy"
    DMY = "dmy"

    @property
    def order(self) -> DateOrder:
        from threadline.inputs.dates import DATE_ORDERS

        return next(order for order in DATE_ORDERS if order == self.value)


class VerdictName(StrEnum):
    SAME = "same"
    NOT_SAME = "not-same"
    UNSURE = "unsure"

    @property
    def verdict(self) -> Verdict:
        from threadline.decide import Verdict

        return Verdict[self.name]


class RoleName(StrEnum):
    VIEWER = "viewer"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def role(self) -> Role:
        from threadline.server.security import Role

        return Role(self.value)


class Engine(StrEnum):
    LOCAL = "local"
    SPARK = "spark"


def date_option(value: str | None, flag: str) -> dt.date | None:
    """A YYYY-MM-DD option's date; None when the option is not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag}: '{value}' is not a date (YYYY-MM-DD)") from None


@contextmanager
def open_store(db: str | None, *, reference_data: bool = True) -> Iterator[Store]:
    """The store `--db` names (else THREADLINE_DB or the user's file), with the bundled lists
    loaded unless `reference_data` is false; closed when the command is done with it."""
    from threadline.pipeline import ensure_reference_data
    from threadline.settings import Settings
    from threadline.store import Store

    with Store.open(Settings.from_env(db).db_url) as store:
        if reference_data:
            ensure_reference_data(store)
        yield store


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
