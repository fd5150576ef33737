"""Run a slice of merge cases over HTTP and print how many pass.

    bench/netns-run uv run python -m tests.speech.run_merge_cases holdout
    bench/netns-run uv run python -m tests.speech.run_merge_cases table

A gateway with only the speech plugin is started on loopback (the merge route needs no
backend), every case is posted to ``POST /api/speech/merge``, and each failure is shown.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

from spark_control.testing import make_config, running_gateway
from tests.speech.merge_cases import problems


def _slice(name: str) -> list[dict[str, Any]]:
    if name == "holdout":
        from tests.speech.merge_cases_holdout import CASES
    else:
        from tests.speech.merge_cases_table import CASES
    return CASES


async def answers(cases: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    """Each case's (status, body) from one gateway."""
    out: list[tuple[int, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        # The speech services are never called: the merge needs no backend.
        node = {"address": "127.0.0.1", "user": "alice"}
        config = make_config(
            Path(tmp), {"nodes": {"spark-1": node}, "plugins": {"enabled": ["speech"]}}
        )
        async with running_gateway(config) as gw:
            for case in cases:
                response = await gw.client.post("/api/speech/merge", json=case["body"])
                try:
                    body = response.json()
                except ValueError:
                    body = response.text
                out.append((response.status_code, body))
    return out


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "table"
    cases = _slice(name)
    passed = 0
    for case, (status, body) in zip(cases, asyncio.run(answers(cases)), strict=True):
        found = problems(case, status, body)
        if found:
            print(f"FAIL {case['name']}")
            for problem in found:
                print(f"     {problem}")
        else:
            passed += 1
    print(f"{name}: {passed}/{len(cases)} passed")
    sys.exit(0 if passed == len(cases) else 1)


if __name__ == "__main__":
    main()
