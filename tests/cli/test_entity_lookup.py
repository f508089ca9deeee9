"""`threadline entity NAME`: a name in any script finds the entity, or lists the best matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_a_name_lists_the_entities_it_matches(runner: CliRunner) -> None:
    """Once "no entity with id": the name now lists its listings, UFLPA's and BIS's."""
    shown = runner.invoke(app, ["entity", "Changji Esquel", "--json"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.stdout)["candidates"]
    assert {c["id"] for c in found[:2]} == {
        "uflpa-changji-esquel-textile",
        "bis-changji-esquel-textile",
    }
    assert all(c["score"] > 0.9 for c in found[:2])


def test_a_name_with_one_confident_match_shows_that_entity(
    runner: CliRunner, tmp_path: Path
) -> None:
    listed = tmp_path / "watch.csv"
    listed.write_text("id,name,country\nw1,Quillfeather Example Spinning Co,CN\n")
    assert runner.invoke(app, ["import", "lists", str(listed)]).exit_code == 0
    shown = runner.invoke(app, ["entity", "quillfeather spinning", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["caption"] == "Quillfeather Example Spinning Co"


def test_a_vague_name_lists_the_best_matches(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["entity", "Xinjiang", "--json"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.stdout)
    assert found["query"] == "Xinjiang" and len(found["candidates"]) >= 3
    assert all("xinjiang" in c["name"].casefold() or c["score"] for c in found["candidates"])


def test_the_relations_table_is_not_cut_when_piped(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["entity", "uflpa-changji-esquel-textile"])
    assert shown.exit_code == 0, shown.output
    assert "uflpa-changji-esquel-textile" in shown.stdout
    assert "…" not in shown.stdout  # nothing truncated with an ellipsis


def test_json_help_says_what_it_prints(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["entity", "--help"], env={"COLUMNS": "200"})
    assert "Print the entity as one JSON object" in shown.stdout
