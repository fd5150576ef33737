"""Rule-based recognizers: what they find, what their validators turn away, and how
overlaps, deny and allow lists resolve. No NER here (see test_leaks for the model)."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.validators import iban_ok, luhn_ok

ALL = frozenset(DETECTABLE_TYPES)


def found(text: str, lists: Lists | None = None) -> list[tuple[str, str]]:
    spans = detect_sync(text, [], Mapping(), lists or Lists(), ALL)
    return [(s.type, text[s.start : s.end]) for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail alice@example.com now", ("EMAIL", "alice@example.com")),
        ("(josé.müller@beispiel.de)", ("EMAIL", "josé.müller@beispiel.de")),
        ("call +1 (555) 010-0199 today", ("PHONE", "+1 (555) 010-0199")),
        ("call 555.010.0199x123 today", ("PHONE", "555.010.0199x123")),
        ("ring +44 20 7946 0958.", ("PHONE", "+44 20 7946 0958")),
        ("ring +49(0) 30 1234567,", ("PHONE", "+49(0) 30 1234567")),
        ("appelez 01 23 45 67 89", ("PHONE", "01 23 45 67 89")),
        ("card 4111 1111 1111 1111.", ("CREDIT_CARD", "4111 1111 1111 1111")),
        ("amex 378282246310005", ("CREDIT_CARD", "378282246310005")),
        ("ssn 078-05-1120", ("SSN", "078-05-1120")),
        ("SSN: 078051120", ("SSN", "078051120")),
        ("IBAN GB82 WEST 1234 5698 7654 32 please", ("IBAN", "GB82 WEST 1234 5698 7654 32")),
        ("iban=DE89370400440532013000;", ("IBAN", "DE89370400440532013000")),
        ("host 81.2.69.144:22", ("IP_ADDRESS", "81.2.69.144")),
        ("v6 [2a02:c7f:7e2a::17]", ("IP_ADDRESS", "2a02:c7f:7e2a::17")),
        ("mac 3C:22:FB:10:9A:01", ("MAC_ADDRESS", "3C:22:FB:10:9A:01")),
        ("mac 0019.e8a2.3f41", ("MAC_ADDRESS", "0019.e8a2.3f41")),
        ("see https://example.com/a_(b)?c=d).", ("URL", "https://example.com/a_(b)?c=d")),
        ("see www.example.org/docs, then", ("URL", "www.example.org/docs")),
        (
            "key sk-proj-Xa81Lm2Qz0Pw7Ry4Tv9Bn3Kc6Hd5",
            ("SECRET", "sk-proj-Xa81Lm2Qz0Pw7Ry4Tv9Bn3Kc6Hd5"),
        ),
        ("id AKIAIOSFODNN7EXAMPLE", ("SECRET", "AKIAIOSFODNN7EXAMPLE")),
        ("password: hunter2-Quartz!", ("SECRET", "hunter2-Quartz!")),
        ("blob Zq3xV8rT1mK9wP2sL7nB4cD6fG0hJ5 end", ("SECRET", "Zq3xV8rT1mK9wP2sL7nB4cD6fG0hJ5")),
        ("Spark Control belongs to Example Holdings Ltd.", ("ORG", "Example Holdings Ltd.")),
    ],
)
def test_each_recognizer_finds_its_value(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "order 4111 1111 1111 1112 shipped",  # fails Luhn
        "SSN 000-12-3456 and 666-12-3456 and 912-34-5678",  # never issued
        "IBAN GB00 WEST 1234 5698 7654 32",  # bad checksum
        "version 999.1.2.3 and time 12:30:45",  # not addresses
        "a hyphenated-words-only-token-that-is-long is prose",
        "AbstractSingletonProxyFactoryBean is a word",
        "the year 2024 and 3 apples",
    ],
)
def test_validators_turn_away_lookalikes(text: str) -> None:
    types = {t for t, _ in found(text)}
    assert not types & {"CREDIT_CARD", "SSN", "IBAN", "IP_ADDRESS", "SECRET"}, found(text)


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82WEST12345698765432") and not iban_ok("GB82WEST12345698765433")


def test_overlap_keeps_every_character_redacted() -> None:
    text = "https://example.com/u?email=alice@example.com"
    spans = found(text)
    assert ("EMAIL", "alice@example.com") in spans
    assert ("URL", "https://example.com/u?email=") in spans


def test_deny_list_always_redacts_and_allow_list_never() -> None:
    lists = Lists(deny=("Project Bluebird",), allow=("ops@example.com",))
    spans = found("project bluebird ships; write ops@example.com or bob@example.com", lists)
    assert ("CUSTOM", "project bluebird") in spans
    assert ("EMAIL", "bob@example.com") in spans
    assert all(value != "ops@example.com" for _, value in spans)


def test_placeholder_shaped_input_is_escaped() -> None:
    assert found("keep <PERSON_1>, [email 2] and ORG_3 as written") == [
        ("LITERAL", "<PERSON_1>"),
        ("LITERAL", "[email 2]"),
        ("LITERAL", "ORG_3"),
    ]


def test_values_known_to_the_session_are_found_again() -> None:
    mapping = Mapping()
    mapping.placeholder_for("PERSON", "Zebulon Quistgaard")
    spans = detect_sync("Then Zebulon Quistgaard left.", [], mapping, Lists(), ALL)
    assert [s.type for s in spans] == ["PERSON"]


def test_a_long_text_is_scanned_in_linear_time() -> None:
    text = ("4111 " * 40_000) + "a" * 50_000 + ("+1 " * 30_000)
    found(text)  # finishes: no catastrophic backtracking
