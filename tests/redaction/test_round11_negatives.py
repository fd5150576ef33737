"""Issue 21, round 11: false positives on texts about no one. The model's guesses in a
text where nothing else is personal (no person found by a cue, no e-mail address, phone
number, account, card or postal address, nothing in the session): none laid out as a
heading or a table's cell, and no place or organisation in a list of three or more.
With ``places_need_someone`` (a deployment's choice), no place or organisation at all
in such a text. Each class beside the same words in a text about someone, which are
still replaced. Examples written here, none from an evaluation corpus or from
bench/redaction/negatives/."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.testing import running_gateway
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.settings import RedactionSettings
from tests.redaction.conftest import redaction_config
from tests.redaction.detecting import ALL, found


@pytest.mark.parametrize(
    ("text", "guesses"),
    [
        # a table's cell by itself
        ("| Step | Result |\n| --- | --- |\n| Launched | ok |", [(PERSON, "Launched")]),
        ("| Region | Latency |\n|---|---|\n| Frankfurt | 12 ms |", [(LOCATION, "Frankfurt")]),
        # a heading: capitalised words, no sentence's end
        ("## Design Critique\n\nBring two mock-ups.", [(ORG, "Design Critique")]),
        ("4.2 Capstone Project Ideas\nPick one by week 6.", [(PERSON, "Capstone Project")]),
        # a list of places or organisations
        (
            "Edge nodes: Sydney, Singapore and Tokyo.",
            [(LOCATION, "Sydney"), (LOCATION, "Singapore"), (LOCATION, "Tokyo")],
        ),
        (
            "Pay with Stripe / Adyen / Mollie at checkout.",
            [(ORG, "Stripe"), (ORG, "Adyen"), (ORG, "Mollie")],
        ),
        # one place of the list the model called a person
        (
            "Probes failing: Porto Alegre, Lagos, Hanoi",
            [(PERSON, "Porto Alegre"), (LOCATION, "Lagos"), (LOCATION, "Hanoi")],
        ),
        # a verb that opens a sentence and takes an object
        ("Run the installer twice.", [(PERSON, "Run")]),
        ("Done. Restart any worker that hangs.", [(PERSON, "Restart")]),
    ],
)
def test_guesses_laid_out_or_listed_in_a_text_about_no_one_stay(
    text: str, guesses: list[tuple[str, str]]
) -> None:
    assert found(text, *guesses) == []


@pytest.mark.parametrize(
    ("text", "guesses", "kept"),
    [
        # the same shapes in a text about someone: a person found by a cue, a phone
        (
            "| Step | Owner |\n| --- | --- |\n| Launched | ok |\n\nThanks,\nBob",
            [(PERSON, "Launched")],
            "Launched",
        ),
        (
            "Edge nodes: Sydney, Singapore and Tokyo. Call +44 20 7946 0958.",
            [(LOCATION, "Sydney"), (LOCATION, "Singapore"), (LOCATION, "Tokyo")],
            "Sydney",
        ),
        # a person in a cell, a name as a heading's only words with a sentence around it
        (
            "| Owner | Team |\n| --- | --- |\n| Alice Byrne | ops |",
            [(PERSON, "Alice Byrne")],
            "Alice Byrne",
        ),
        (
            "Alice Byrne met the Galway team.",
            [(PERSON, "Alice Byrne"), (LOCATION, "Galway")],
            "Galway",
        ),
        # a list of people; a name that opens a sentence before its verb or a comma
        (
            "Reviewers: Alice Byrne, Bob Stone and Carol Diaz",
            [(PERSON, "Alice Byrne"), (PERSON, "Bob Stone"), (PERSON, "Carol Diaz")],
            "Bob Stone",
        ),
        ("Marta fixed the installer.", [(PERSON, "Marta")], "Marta"),
        ("Done. Marta, the installer hangs.", [(PERSON, "Marta")], "Marta"),
        # two places in prose, not a list; a person the model may have mistyped
        ("Tesla recalled cars sold in Norway.", [(ORG, "Tesla"), (LOCATION, "Norway")], "Norway"),
        (
            "Eva Novak from Prague joined Skoda.",
            [(ORG, "Eva Novak"), (LOCATION, "Prague"), (ORG, "Skoda")],
            "Prague",
        ),
    ],
)
def test_the_same_shapes_about_someone_or_in_prose_are_replaced(
    text: str, guesses: list[tuple[str, str]], kept: str
) -> None:
    assert kept in [value for _, value in found(text, *guesses)]


def strict(text: str, *guesses: tuple[str, str], mapping: Mapping | None = None) -> list[str]:
    """What is replaced with ``places_need_someone`` on."""
    spans = [Span(t, text.index(w), text.index(w) + len(w)) for t, w in guesses]
    lists = Lists(places_need_someone=True)
    return [
        text[s.start : s.end] for s in detect_sync(text, spans, mapping or Mapping(), lists, ALL)
    ]


@pytest.mark.parametrize(
    ("text", "guesses"),
    [
        ("Rain spreads from Cork to Galway overnight.", [(LOCATION, "Cork"), (LOCATION, "Galway")]),
        ("Shares of Contoso rose 3 % after the results.", [(ORG, "Contoso")]),
        # by a cue ("offices in") or by a legal form, too
        ("Our offices in Oslo close at 17:00.", []),
        ("Contoso Analytics GmbH raised its guidance.", []),
    ],
)
def test_with_places_need_someone_a_text_about_no_one_keeps_them(
    text: str, guesses: list[tuple[str, str]]
) -> None:
    assert strict(text, *guesses) == []
    # off (and round 16's places_without_a_sign_stay off): replaced
    spans = [Span(t, text.index(w), text.index(w) + len(w)) for t, w in guesses]
    lists = Lists(places_without_a_sign_stay=False)
    assert detect_sync(text, spans, Mapping(), lists, ALL) != []


@pytest.mark.parametrize(
    ("text", "guesses", "kept"),
    [
        (
            "Rain from Cork; Alice Byrne stays home.",
            [(LOCATION, "Cork"), (PERSON, "Alice Byrne")],
            "Cork",
        ),
        ("Dear Bob,\nthe Tallinn office closes at 17:00.", [(LOCATION, "Tallinn")], "Tallinn"),
        ("Shares of Contoso: call +44 20 7946 0958.", [(ORG, "Contoso")], "Contoso"),
        ("Write to bob.roe@example.com about Galway.", [(LOCATION, "Galway")], "Galway"),
        ("Refund DE89 3704 0044 0532 0130 00 for the Oslo hotel.", [(LOCATION, "Oslo")], "Oslo"),
        (
            "Parcel for 12 Harbour Road\nLeeds LS1 4AP\nfrom the Galway depot.",
            [(LOCATION, "Galway")],
            "Galway",
        ),
        # a person the model called an organisation
        (
            "Eva Novak from Prague joined Skoda.",
            [(ORG, "Eva Novak"), (LOCATION, "Prague")],
            "Prague",
        ),
    ],
)
def test_with_places_need_someone_a_text_about_someone_replaces_them(
    text: str, guesses: list[tuple[str, str]], kept: str
) -> None:
    assert kept in strict(text, *guesses)


def test_with_places_need_someone_a_session_that_knows_a_person_replaces_them() -> None:
    mapping = Mapping()
    mapping.placeholder_for(PERSON, "Alice Byrne")
    assert strict("The Galway office is hers.", (LOCATION, "Galway"), mapping=mapping) == ["Galway"]


def test_places_need_someone_is_off_by_default() -> None:
    assert RedactionSettings().places_need_someone is False


async def test_places_need_someone_set_in_config_reaches_the_scrub_route(tmp_path: Path) -> None:
    # "Our office in Oslo" is found by a cue, so the model's guesses do not matter here.
    text = "Our office in Oslo closes at 17:00."
    async with running_gateway(redaction_config(tmp_path, places_need_someone=True)) as gw:
        strict_answer = (await gw.client.post("/api/redaction/scrub", json={"text": text})).json()
    # round 16's default leaves a place of a text that shows no one: off here
    off = redaction_config(tmp_path / "default", places_without_a_sign_stay=False)
    async with running_gateway(off) as gw:
        default_answer = (await gw.client.post("/api/redaction/scrub", json={"text": text})).json()
    assert strict_answer["text"] == text
    assert "Oslo" not in default_answer["text"]
