"""Checking one merge case (see ``merge_cases_holdout.py`` for the format) against what
``POST /api/speech/merge`` answered."""

from __future__ import annotations

from typing import Any

TOLERANCE_S = 1e-3


def word(text: str, start: float | None = None, end: float | None = None) -> dict[str, Any]:
    """A word as ASRs send it; without ``start``/``end`` when they are not given."""
    out: dict[str, Any] = {"word": text}
    if start is not None:
        out["start"] = start
    if end is not None:
        out["end"] = end
    return out


def turn(start: float, end: float, speaker: str) -> dict[str, Any]:
    return {"start": start, "end": end, "speaker": speaker}


def problems(case: dict[str, Any], status: int, body: Any) -> list[str]:
    """What the answer got wrong (empty when it is right)."""
    expected_status = case.get("status", 200)
    if expected_status == "4xx":
        if 400 <= status < 500 and isinstance(body, dict) and "error" in body:
            return []
        return [f"expected a 4xx error, got {status}: {body}"]
    if status != expected_status:
        return [f"expected {expected_status}, got {status}: {body}"]
    found: list[str] = []
    words = body.get("words", [])
    segments = body.get("segments", [])
    if "words" in case:
        got = [w.get("speaker") for w in words]
        if got != case["words"]:
            found.append(f"word speakers {got} != {case['words']}")
    if "segments" in case:
        got_segments = [[s.get("speaker"), " ".join(s.get("text", "").split())] for s in segments]
        if got_segments != case["segments"]:
            found.append(f"segments {got_segments} != {case['segments']}")
    if "segment_times" in case:
        got_times = [[s["start"], s["end"]] for s in segments]
        if not _close(got_times, case["segment_times"]):
            found.append(f"segment times {got_times} != {case['segment_times']}")
    for index, span in case.get("word_times", {}).items():
        if index >= len(words) or not _close(
            [[words[index]["start"], words[index]["end"]]], [span]
        ):
            got_span = words[index] if index < len(words) else None
            found.append(f"word {index}: {got_span} != {span}")
    if "interpolated" in case and body.get("interpolated_words") != case["interpolated"]:
        found.append(
            f"interpolated_words {body.get('interpolated_words')} != {case['interpolated']}"
        )
    if "dropped" in case:
        got_dropped = [d.get("text") for d in body.get("dropped_bleed", [])]
        if got_dropped != case["dropped"]:
            found.append(f"dropped {got_dropped} != {case['dropped']}")
    return found


def _close(got: list[list[float]], want: list[list[float]]) -> bool:
    if len(got) != len(want):
        return False
    return all(
        abs(a - b) <= TOLERANCE_S
        for g, w in zip(got, want, strict=True)
        for a, b in zip(g, w, strict=True)
    )
