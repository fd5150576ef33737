# ruff: noqa: RUF001  (streets of other scripts)
"""Issue 21, round 16: a postal address found by its street part becomes ONE LOCATION
span, postal code and town included. Examples written here (fictional streets), none
from an evaluation corpus. No model: NER finds nothing."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, LOCATION
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.round16_addresses import street_addresses
from spark_control_redaction.scrub import apply, rehydrate

ALL = frozenset(DETECTABLE_TYPES)


def located(text: str) -> list[str]:
    mapping = Mapping()
    spans = detect_sync(text, [], mapping, Lists(), ALL)
    out = apply(text, spans, mapping)
    assert rehydrate(out.text, mapping).text == text
    return [text[s.start : s.end] for s in spans if s.type == LOCATION]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Send it to 977 E Larkspur Ave, Tulsa, OK 74120 please.",
            "977 E Larkspur Ave, Tulsa, OK 74120",
        ),
        (
            "Wir wohnen jetzt in der Ahornstraße 12, 04109 Leipzig seit März.",
            "Ahornstraße 12, 04109 Leipzig",
        ),
        ("Forwarding: Flat 2, 61 Quarry Lane, Frome", "Flat 2, 61 Quarry Lane, Frome"),
        ("Colis pour 4 rue des Vanniers, Morlaix", "4 rue des Vanniers, Morlaix"),
        ("Mándalo a Calle Olivar 22, Granada, gracias.", "Calle Olivar 22, Granada"),
        ("Saada see Pärnu mnt 40, Viljandi ära.", "Pärnu mnt 40, Viljandi"),
        ("Adress: Ekgatan 5, 416 62 Göteborg", "Ekgatan 5, 416 62 Göteborg"),
        ("Post: Unit 7/15 Wattle St, Fitzroy VIC 3065", "Unit 7/15 Wattle St, Fitzroy VIC 3065"),
        ("Mail to PO Box 902, Kayenta, AZ 86033 only.", "PO Box 902, Kayenta, AZ 86033"),
        ("Адрес: г. Самара, ул. Садовая, д. 8, кв. 3", "г. Самара, ул. Садовая, д. 8, кв. 3"),
        (
            "Adres: Fenerbahçe Cad. No:12 D:4, Kadıköy/İstanbul",
            "Fenerbahçe Cad. No:12 D:4, Kadıköy/İstanbul",
        ),
        ("Kirim ke Jl. Gejayan Km 3, Sleman ya", "Jl. Gejayan Km 3, Sleman"),
        ("Ship to:\n12 Cedar Hollow Rd\nBoone, NC 28607", "12 Cedar Hollow Rd\nBoone, NC 28607"),
    ],
)
def test_the_whole_address_is_one_location(text: str, address: str) -> None:
    assert address in located(text)


@pytest.mark.parametrize(
    "text",
    [
        "Upgrade from 3.4 to 3.5 before the Main St release branch is cut.",
        "Road 2 closed until Monday, use the bypass.",
        "Lane 4 won the 200 m, lane 6 was second.",
        "The Platz 3 board has 16 GB of RAM.",
        "Unit 4 of the course covers recursion.",
        "Add 3 St to the list",
        "2026-03-04 12:01:33 INFO street 12 Main St rebuilt",
        "GET /api/v2/avenue/42 200 13ms user_agent=curl/8.4",
    ],
)
def test_no_address_without_a_named_street_and_number(text: str) -> None:
    assert list(street_addresses(text)) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Our office: Suite 400, 1 Market Street, San Francisco", "1 Market Street"),
        ("Ship it to 22 Hollybush Street, Leeds please", "22 Hollybush Street"),
    ],
)
def test_a_street_kind_is_a_whole_word(text: str, address: str) -> None:
    # "St" matched the start of "Street" and left "reet" in clear.
    spans = [text[s.start : s.end] for s in street_addresses(text)]
    assert any(address in s for s in spans), spans


@pytest.mark.parametrize("text", ["I sent it via Slack 3 times", "join via Zoom 2 minutes early"])
def test_english_via_is_no_italian_street(text: str) -> None:
    assert list(street_addresses(text)) == []


@pytest.mark.parametrize(
    "text",
    ["Order 4471 Park Place shipping on Monday", "Add 2 bay leaves, then add 3 Sage Green sprigs"],
)
def test_a_things_number_or_a_quantity_is_no_house_number(text: str) -> None:
    assert list(street_addresses(text)) == []


def test_a_house_after_and_is_still_an_address() -> None:
    text = "Alice lives at 12 Elm Road and 14 Elm Road is Bob's"
    assert [text[s.start : s.end] for s in street_addresses(text)] == ["12 Elm Road", "14 Elm Road"]
