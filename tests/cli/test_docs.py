"""docs/cli.md documents every command and option, and says what --help says."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from typer.main import get_command

from threadline.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "cli.md"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "tools" / "gen_cli_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sections(text: str) -> dict[str, str]:
    """Each command's section of the reference, by command path."""
    parts = re.split(r"^## `([^`]+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_option_is_in_its_section() -> None:
    gen = generator()
    documented = sections(DOC.read_text(encoding="utf-8"))
    missing = []
    for command, ctx in gen.commands(
        get_command(app), gen.Context(get_command(app), info_name="threadline")
    ):
        section = documented.get(ctx.command_path)
        if section is None:
            missing.append(ctx.command_path)
            continue
        for param in command.get_params(ctx):
            for name in [*param.opts, *param.secondary_opts]:
                if name.startswith("-") and not re.search(rf"[`, /]{re.escape(name)}\b", section):
                    missing.append(f"{ctx.command_path} {name}")
    assert missing == [], "undocumented in docs/cli.md (run python tools/gen_cli_docs.py)"


def test_the_reference_is_what_the_help_says() -> None:
    assert DOC.read_text(encoding="utf-8") == generator().render(), (
        "docs/cli.md is stale: run python tools/gen_cli_docs.py"
    )
