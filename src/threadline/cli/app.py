"""The `threadline` command. Each command calls library functions; errors are translated here."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from threadline import __version__, limits
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
err = Console(stderr=True, highlight=False, soft_wrap=True)


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


def main() -> None:
    from threadline.cli import (  # noqa: F401  (registers the commands)
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

    try:
        with limits.use(limits.Limits.from_env()):
            code = app(standalone_mode=False)
    except ThreadlineError as exc:
        err.print(f"error: {exc}", markup=False)
        code = exit_code(exc)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err.print("aborted", markup=False)
        code = 130
    except typer.TyperException as exc:  # a bad option or argument (typer bundles its own click)
        err.print(f"error: {exc.format_message()}", markup=False)
        code = 2
    except BrokenPipeError:
        # A reader closed the pipe (`threadline screen --json | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except OSError as exc:  # the file system refused (disk full, permissions): not a bug
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"error: {where}{exc.strerror or exc}", markup=False)
        code = exit_code(exc)
    except Exception as exc:  # the promise is one line, never a traceback
        if os.environ.get("THREADLINE_DEBUG"):
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (set THREADLINE_DEBUG=1 for details)",
            markup=False,
        )
        code = exit_code(exc)
    sys.exit(code if isinstance(code, int) else 0)
