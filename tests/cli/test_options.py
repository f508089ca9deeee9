"""The CLI's choices are the library's vocabulary spelled for typing: each maps onto every member
of the Enum it stands for, and typer refuses anything else in one line with exit 2."""

from __future__ import annotations

from enum import Enum

import pytest
from cli_run import threadline

from threadline.batch import ENGINES
from threadline.cli.options import (
    DateOrderName,
    Engine,
    FailOn,
    ReliabilityName,
    RoleName,
    VerdictName,
)
from threadline.decide import Verdict
from threadline.inputs.dates import DATE_ORDERS
from threadline.model import Reliability, Tier
from threadline.server.security import Role


@pytest.mark.parametrize(
    ("choice", "mapped", "vocabulary"),
    [
        (FailOn, lambda c: c.tier, set(Tier) - {Tier.NO_SIGNAL}),
        (ReliabilityName, lambda c: c.reliability, set(Reliability)),
        (DateOrderName, lambda c: c.order, set(DATE_ORDERS)),
        (VerdictName, lambda c: c.verdict, set(Verdict)),
        (RoleName, lambda c: c.role, set(Role)),
        (Engine, lambda c: c.value, set(ENGINES)),
    ],
)
def test_each_choice_maps_onto_the_whole_vocabulary(
    choice: type[Enum], mapped: object, vocabulary: set[object]
) -> None:
    assert {mapped(c) for c in choice} == vocabulary  # type: ignore[operator]


def test_a_choice_is_matched_whatever_its_case_and_others_are_refused_in_one_line() -> None:
    shown = threadline("review", "--link", "nope", "--verdict", "NOT-SAME")
    assert shown.returncode == 2 and shown.stderr == "error: --link: no candidate link 'nope'\n"
    refused = threadline("review", "--link", "nope", "--verdict", "maybe")
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: Invalid value for '--verdict'")
    assert "'maybe' is not one of 'same', 'not-same', 'unsure'" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
