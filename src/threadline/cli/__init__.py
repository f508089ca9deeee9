"""Command line: Typer commands; the one place errors become a line and an exit code."""

from threadline.cli.app import app, main

__all__ = ["app", "main"]
