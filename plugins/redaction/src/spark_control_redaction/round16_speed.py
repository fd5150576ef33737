"""Faster scans for the patterns that cost most after the model (issue 21, round 16):
each behind a look-ahead at its first character (``prefilter.led``), a test of the
literals it needs (``prefilter.guarded``), or both. The same matches either way (each
is derived from the pattern's own parse tree; tests/redaction/test_round16_speed.py).

Which pattern gets which was measured, not guessed: the CPU each spent in its module,
in place, over the 2,600 texts of the evaluation set, plain and each way, interleaved
(docs/PERFORMANCE.md, "Redaction, round 16 (issue 21): speed"); a way was kept where
it saved 2 µs a text or more. A pattern whose text is mostly about phones or secrets
starts its match with few letters, so the look-ahead rejects most positions at once;
a test of literals pays only where most texts lack them.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from spark_control_redaction.prefilter import _Guarded, guarded, led

# (module, name) of the patterns at the top of the plugin's modules, by the way chosen.
_LED = (
    ("addresses", "_CJK_ADDRESS"),
    ("detect", "TOLERANT"),
    ("kin", "_KIN"),
    ("lower", "_CUE"),
    ("names", "_CONTACT_LOWER"),
    ("names", "_GREETING"),
    ("names", "_HAN_BEFORE_HONORIFIC"),
    ("phone_context", "_CALL_MORE"),
    ("phone_context", "_CUED_INTERNATIONAL"),
    ("phone_context", "_DASHED_EXTENSION"),
    ("phone_context", "_GLUED"),
    ("phone_context", "_OWN_NUMBER"),
    ("phone_context", "_SCANNED"),
    ("phone_context", "_SPELL_HINT"),
    ("phone_context", "_VANITY"),
    ("phone_near", "_CUED"),
    ("phone_near", "_THEN_DIAL"),
    ("rules", "_CUED_NATIONAL"),
    ("rules", "_DIGIT_RUN"),
    ("rules", "_DOTTED_CARD"),
    ("rules", "_EXT_LIST"),
    ("rules", "_LEGAL_FORM"),
    ("rules", "_LOGIN_CALL"),
    ("rules", "_LONE_EXTENSION"),
    ("rules", "_NOT_SECRET_PART"),
    ("rules", "_OPENS_WITH"),
    ("rules", "_SSN"),
    ("rules", "_THING_BEFORE"),
    ("rules", "_URL"),
    ("rules", "_WIFI_CODE"),
    ("tables", "_PERSON_COLUMN"),
)
_GUARDED = (
    ("people", "_ROLE_AFTER"),
    ("rules", "_ASKED"),
    ("rules", "_CODE_FOR"),
    ("rules", "_CODE_TO_OPEN"),
    ("rules", "_CUE_NOUN"),
    ("rules", "_TRACKING_BEFORE"),
)
_BOTH = (
    ("places", "_PLACE_CUE"),
    ("rules", "_KNOWN_SECRETS"),
    ("rules", "_PROSE_LOGIN"),
)

# (module, name, the pattern as its module wrote it, the faster one): for the benches.
APPLIED: list[tuple[ModuleType, str, object, object]] = []


def _apply() -> None:
    for ways, names in ((("led",), _LED), (("guarded",), _GUARDED), (("led", "guarded"), _BOTH)):
        for module_name, name in names:
            module = importlib.import_module(f"spark_control_redaction.{module_name}")
            before = getattr(module, name)
            pattern = before._pattern if isinstance(before, _Guarded) else before
            if not isinstance(pattern, re.Pattern):
                raise TypeError(f"{module_name}.{name} is no compiled pattern")
            faster = led(pattern) if "led" in ways else pattern
            if "guarded" in ways:
                faster = guarded(faster)
            setattr(module, name, faster)
            APPLIED.append((module, name, before, faster))


_apply()
