"""The `threadline` command. Each command calls library functions; errors are translated here."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import typer

from threadline import __version__, limits
from threadline.cli import (
    batch,
    commands,
    data,
    documents,
    dossier,
    imports,
    monitoring,
    review,
    serve,
)
from threadline.cli.console import stderr
from threadline.cli.exit_codes import exit_code
from threadline.errors import ThreadlineError

app = typer.Typer(
    name="threadline",
    help="Screen suppliers and shipments for ties to forced labour in Xinjiang (XUAR) and Tibet, "
    "with the evidence behind every flag.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"threadline {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """threadline: which listed or documented entity is this supplier, how is it connected to us,
    where were the goods made, and what is the proof?"""


# Every command and group, registered here and nowhere else (tests/cli/test_registration.py). The
# command modules import what a command runs only when it runs, so registering them all stays
# cheap (tests/cli/test_lazy_imports.py).
app.command("screen")(commands.screen)
app.command("match")(commands.match)
app.command("algorithms")(commands.algorithms)
app.add_typer(batch.batch_app, name="batch")
imports.import_app.command("documents")(documents.import_documents_command)
app.add_typer(imports.import_app, name="import")
app.add_typer(imports.export_app, name="export")
app.command("entity")(imports.entity_command)
app.add_typer(documents.documents_app, name="documents")
app.command("dossier")(dossier.dossier_command)
app.command("review")(review.review_command)
app.command("disposition")(review.disposition_command)
app.add_typer(monitoring.screenings_app, name="screenings")
app.add_typer(monitoring.monitor_app, name="monitor")
app.add_typer(data.data_app, name="data")
app.command("serve")(serve.serve)
app.add_typer(serve.user_app, name="user")


def main() -> None:
    """The console script."""
    sys.exit(run())


def run(args: Sequence[str] | None = None) -> int:
    """Run one command line (default: this process's arguments) and return its exit code, every
    error translated to one line on stderr. Tests call it in-process."""
    try:
        with limits.use(limits.Limits.from_env()):
            code = app(
                args=None if args is None else list(args),
                prog_name="threadline",
                standalone_mode=False,
            )
    except ThreadlineError as exc:
        stderr().print(f"error: {exc}", markup=False)
        code = exit_code(exc)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        stderr().print("aborted", markup=False)
        code = 130
    except typer.TyperException as exc:  # a bad option or argument (typer bundles its own click)
        stderr().print(f"error: {exc.format_message()}", markup=False)
        code = 2
    except BrokenPipeError:
        # A reader closed the pipe (`threadline screen --json | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except OSError as exc:  # the file system refused (disk full, permissions): not a bug
        where = f"{exc.filename}: " if exc.filename else ""
        stderr().print(f"error: {where}{exc.strerror or exc}", markup=False)
        code = exit_code(exc)
    except Exception as exc:  # the promise is one line, never a traceback
        if os.environ.get("THREADLINE_DEBUG"):
            raise
        stderr().print(
            f"internal error: {type(exc).__name__}: {exc} (set THREADLINE_DEBUG=1 for details)",
            markup=False,
        )
        code = exit_code(exc)
    return code if isinstance(code, int) else 0
