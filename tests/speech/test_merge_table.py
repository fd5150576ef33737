"""The merge's rules, one case per rule and per edge (``merge_cases_table.py``), checked
over HTTP through ``POST /api/speech/merge``, as an app running its own ASR would; and
the held-out slice (``merge_cases_holdout.py``), kept as a regression test once its
pass count had been taken."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.speech.merge_cases import problems
from tests.speech.merge_cases_holdout import CASES as HELD_OUT
from tests.speech.merge_cases_table import CASES
from tests.speech.run_merge_cases import answers


@pytest.fixture(scope="module")
def answered() -> list[tuple[int, Any]]:
    # One gateway for the whole table; each case is still its own test below.
    return asyncio.run(answers(CASES))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_case(index: int, answered: list[tuple[int, Any]]) -> None:
    status, body = answered[index]
    assert problems(CASES[index], status, body) == []


@pytest.fixture(scope="module")
def answered_held_out() -> list[tuple[int, Any]]:
    return asyncio.run(answers(HELD_OUT))


@pytest.mark.parametrize("index", range(len(HELD_OUT)), ids=[c["name"] for c in HELD_OUT])
def test_held_out_case(index: int, answered_held_out: list[tuple[int, Any]]) -> None:
    status, body = answered_held_out[index]
    assert problems(HELD_OUT[index], status, body) == []
