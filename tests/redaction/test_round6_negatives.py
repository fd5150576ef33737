"""Issue 21, round 6: look-alikes of rule-based values that are no personal data (ids of
a trace, test vectors, epoch times, address ranges, a flight number that passes the
IBAN check), each next to the real value of the same shape, which is still found.
Examples written here, none from an evaluation corpus. No model."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, LOCATION, ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping

ALL = frozenset(DETECTABLE_TYPES)


def found(text: str) -> list[tuple[str, str]]:
    spans = detect_sync(text, [], Mapping(), Lists(), ALL)
    return [(s.type, text[s.start : s.end]) for s in spans]


@pytest.mark.parametrize(
    "text",
    [
        "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 done in 182 ms",
        "sha256sum: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  app.tgz",
        'MD5("") = d41d8cd98f00b204e9800998ecf8427e; SHA1("abc") = '
        "a9993e364706816aba3e25717850c26c9cd0d89d",
        "Join the weekly sync: Meeting ID 812 3456 7890, Passcode: not required.",
        "netmask 255.255.255.0 on eth0",
        "Flight LH2335 boards at gate B46 at 14:05; connecting flight UA 901 from C12.",
        "created_at=1733529600 updated_at=1733533200 pod=web-7d9c8b6f5-x2k4q",
        "Reserved ranges: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10.",
    ],
)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a key named as one is a secret whatever its alphabet
        ("MAILER_API_KEY=4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736"),
        ("passcode: Tulip-7731", "Tulip-7731"),
        ("my host is 10.0.0.5, the gateway 10.0.0.1", "10.0.0.5"),
        ("a single host: 10.20.30.40/32", "10.20.30.40/32"),
        # a host address may end in .255 (in a /23 or wider)
        ("my router lost its address 201.163.115.255 today", "201.163.115.255"),
        ("IBAN DE89 3704 0044 0532 0130 00 (Girokonto)", "DE89 3704 0044 0532 0130 00"),
        ("IBAN DE89370400440532013000", "DE89370400440532013000"),
        ("call me: 2125550187", "2125550187"),
    ],
)
def test_the_real_value_of_the_same_shape_is_still_found(text: str, value: str) -> None:
    assert value in [v for _, v in found(text)], found(text)


# --- what the model reads as a name, given as its spans -----------------------------


def model_says(text: str, *guesses: tuple[str, str]) -> list[tuple[str, str]]:
    """What is replaced when the model reported ``guesses`` (type, words) in ``text``."""
    spans = [Span(t, text.index(w), text.index(w) + len(w)) for t, w in guesses]
    found = detect_sync(text, spans, Mapping(), Lists(), ALL)
    return [(s.type, text[s.start : s.end]) for s in found]


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("Join the sync. Passcode: not required.", (PERSON, "Passcode")),
        ("Traceback …\nKeyError: 'customer_id'", (ORG, "KeyError")),
        ("TZ=Europe/Berlin in the cron file", (LOCATION, "Europe")),
        ("The Licensee shall not sublicense it.", (PERSON, "Licensee")),
        ("Disk Usage Report: 82 % used", (ORG, "Disk Usage Report")),
        ("Please read the Privacy Policy first.", (ORG, "the Privacy Policy")),
        ("10:22:32 INFO Scheduler ready; 12 jobs queued", (PERSON, "Scheduler")),
    ],
)
def test_model_guesses_that_are_no_entity(text: str, guess: tuple[str, str]) -> None:
    assert model_says(text, guess) == []


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("Please ask Alice Roe about the report.", (PERSON, "Alice Roe")),
        ("She moved to Berlin in May.", (LOCATION, "Berlin")),
        ("10:22:32 INFO deployed by Jenkins", (PERSON, "Jenkins")),
        ("The contract with Meridian Group is signed.", (ORG, "Meridian Group")),
    ],
)
def test_real_entities_next_to_the_same_shapes_stay(text: str, guess: tuple[str, str]) -> None:
    assert guess in model_says(text, guess)
