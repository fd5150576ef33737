# ruff: noqa: RUF001, E501  (examples in confusable scripts; one address per table row)
"""Issue 21, round 5: phone numbers by libphonenumber (regions from settings and from the
text's cues) and postal addresses by their shape. Examples written here (fictional
numbers and streets), none from an evaluation corpus. No model: NER misses everything."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from spark_control_redaction.addresses import address_spans
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, LOCATION, PHONE
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.phonebook import DEFAULT_REGIONS, library_phones, text_regions
from spark_control_redaction.scrub import apply, rehydrate
from spark_control_redaction.settings import RedactionSettings

ALL = frozenset(DETECTABLE_TYPES)


def found(text: str, lists: Lists | None = None) -> list[tuple[str, str]]:
    mapping = Mapping()
    spans = detect_sync(text, [], mapping, lists or Lists(), ALL)
    out = apply(text, spans, mapping)
    assert rehydrate(out.text, mapping).text == text
    return [(s.type, text[s.start : s.end]) for s in spans]


# --- phones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # national numbers with no country code: the library knows each plan
        ("Tél. 04 91 23 45 67, merci de rappeler", "04 91 23 45 67"),
        ("Bitte ruf mich an: 0711 2345678, danke", "0711 2345678"),
        ("折り返しは 06-6123-4567 までお願いします", "06-6123-4567"),
        ("Звоните: 8 (812) 345-67-89", "8 (812) 345-67-89"),
        # international, any region; an extension the library reads itself
        ("reach me on +61 2 9876 5432 after lunch", "+61 2 9876 5432"),
        ("desk (212) 555-0187 ext. 3321", "(212) 555-0187 ext. 3321"),
    ],
)
def test_library_finds_phone_numbers(text: str, number: str) -> None:
    assert (PHONE, number) in found(text)


def test_regions_follow_the_texts_cues_then_the_defaults() -> None:
    assert text_regions("plain English, nothing else") == DEFAULT_REGIONS
    assert text_regions("お電話ください")[0] == "JP"
    assert "IT" in text_regions("scrivere a ufficio@esempio.it, grazie")
    assert "GB" in text_regions("see www.example.co.uk")
    # a vanity domain is not a country
    assert "IO" not in text_regions("docs at example.io")
    assert len(text_regions("Привет, ¡hola! Γειά σου, שלום, مرحبا, こんにちは")) <= 8


def test_a_number_only_a_configured_region_knows() -> None:
    # an Australian national number: found once AU is among the configured regions
    text = "ring the depot on 02 9876 5432 tomorrow"
    assert not list(library_phones(text, ("US",)))
    assert [text[s.start : s.end] for s in library_phones(text, ("AU",))] == ["02 9876 5432"]
    assert (PHONE, "02 9876 5432") in found(text, Lists(phone_regions=("AU",)))


@pytest.mark.parametrize(
    "text",
    [
        "Released 4.12.3 (build 20261130) at 10:42:13 on 2026-11-30",
        "client 203.0.113.45 via 198.51.100.7, windows 10.0.19045.3693",
        "meeting id 845 2211 9931, order number 4155550123",
        "epoch 1733520000 and ts 1733520000123",
        "bytes_total 7135770593 requests 1200",
        "[  1234.567890] eth0: link up",  # kernel uptime: digits after a decimal point
        "signature OID 1.2.840.113549.1.1.11",
        # a long reference whose tail lies in the margin of the next number's window
        # (its last 15 digits alone would read as +49 711 …)
        "Parcel 8821337004971123456789. Order #374441",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ],
)
def test_look_alike_numbers_are_not_phones(text: str) -> None:
    assert not list(library_phones(text, DEFAULT_REGIONS))
    assert [f for f in found(text) if f[0] == PHONE] == []


def test_settings_check_the_phone_regions() -> None:
    assert RedactionSettings(phone_regions=["au", " nz "]).phone_regions == ["AU", "NZ"]
    assert RedactionSettings().phone_regions == list(DEFAULT_REGIONS)
    with pytest.raises(ValidationError, match="unknown phone region"):
        RedactionSettings(phone_regions=["XX"])


# --- postal addresses ------------------------------------------------------------------


def places(text: str) -> list[str]:
    return [text[s.start : s.end] for s in address_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q. Example\n77 Juniper Hollow Rd\nQuentinville, OR 97001", ["Quentinville", "77 Juniper Hollow Rd"]),
        ("Mail to: 9 Larkspur Way, Brambleton Falls, VT 05001-2233", ["Brambleton Falls", "9 Larkspur Way"]),
        ("31 Fenwick Close\nUpper Thistleby AB12 3CD", ["Upper Thistleby", "31 Fenwick Close"]),
        ("Flat 2, 8 Mossgiel Mews\nKirkwhinnie\nZZ9 9ZZ", ["Kirkwhinnie"]),
        ("Unit 4, Ostrava Plaza 12, 01-234 Wrzosowo", ["Wrzosowo", "Ostrava Plaza 12"]),
        ("Lindenhofstraße 41\n54321 Quellbach am See", ["Quellbach am See", "Lindenhofstraße 41"]),
        ("Adresse : 5 rue des Glycines\nF-12345 Vaulnoir-sur-Orge", ["Vaulnoir-sur-Orge", "5 rue des Glycines"]),
        ("Zonnebloemgracht 88-1\n9999 ZZ Heemsterwolde", ["Heemsterwolde", "Zonnebloemgracht 88-1"]),
        ("Toronto? no: Maple Grove, ON K1A 0B1", ["Maple Grove"]),
        ("〒150-0001 架空県架空市本町1-2-3", ["架空県架空市本町1-2-3"]),
        ("Οδός Φανταστική 9\n999 99 Ψευδόπολη", ["Ψευδόπολη", "Οδός Φανταστική 9"]),
        ("Выдуманная 14\nНебывальск, 999999", ["Небывальск", "Выдуманная 14"]),
        ("Доставка: г. Небывальск, д. 3", ["Небывальск"]),
        ("C/ Inventada 3, 99999 Villaficticia", ["Villaficticia", "C/ Inventada 3"]),
    ],
)  # fmt: skip
def test_address_blocks_give_town_and_street(text: str, expected: list[str]) -> None:
    assert places(text) == expected
    # Round 16: detect joins the parts into the whole address (one span holds each part).
    located = [v for t, v in found(text) if t == LOCATION]
    assert all(any(p in v for v in located) for p in expected)


@pytest.mark.parametrize(
    "text",
    [
        "Build 2048\n12000 Units shipped",
        "Served 10000 Requests in 3 s",
        "Chapter 12, 1984 Edition",
        "Flight BA12 3CD boards at gate 7",
        "Python 3.12\n2026 Roadmap",
        "Release 4.2.0, 12345 Tests passed",
        "Totals, QA 12345 and more",  # two capitals that are no state or province
        "Build 2048\n12000 Units",
        "Room 101\nLevel 12345",
    ],
)
def test_numbers_before_words_are_not_addresses(text: str) -> None:
    assert places(text) == []
