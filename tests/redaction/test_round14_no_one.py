"""Issue 21, round 14: with ``places_need_a_sign`` (a deployment's choice; off by
default), the model's places and organisations, and those found by a cue, in a text that
shows no person at all are not replaced. A sign of a person keeps them: a person found
by anything, a mail address or a phone, a pronoun of a person, a word of family, care or
a life's events, a title, a capitalised word before a verb of people, a result between
two sides, a guess written like a person's name (or one word of one), or a place or
organisation introduced as someone's. Examples written here, none from an evaluation
corpus or from bench/redaction/negatives/."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.testing import running_gateway
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.someone import introduced, shows_someone
from tests.redaction.conftest import redaction_config
from tests.redaction.detecting import ALL


def found(
    text: str, *guesses: tuple[str, str], on: bool = True, mapping: Mapping | None = None
) -> list[tuple[str, str]]:
    """What is replaced with ``places_need_a_sign`` on (``on``) when the model reported
    ``guesses`` (type, words) in ``text``."""
    spans = [Span(t, text.index(w), text.index(w) + len(w)) for t, w in guesses]
    # off: round 16's default (places of no one stay) off too, so all are replaced
    lists = Lists(places_need_a_sign=on, places_without_a_sign_stay=on)
    detected = detect_sync(text, spans, mapping or Mapping(), lists, ALL)
    return [(s.type, text[s.start : s.end]) for s in detected]


@pytest.mark.parametrize(
    ("text", "guesses"),
    [
        # a forecast's towns, a market's companies, a notice's places
        ("Heavy rain closed the A9 near Perth overnight.", [(LOCATION, "Perth")]),
        ("Shares of Contoso rose 3 % after the results.", [(ORG, "Contoso")]),
        (
            "Fabrikam opened a plant outside Ghent last year.",
            [(ORG, "Fabrikam"), (LOCATION, "Ghent")],
        ),
        (
            "The offsite is in Porto; book flights via Madrid.",
            [(LOCATION, "Porto"), (LOCATION, "Madrid")],
        ),
        # products, institutions and sights
        ("Cast it to the TV with Chromecast first.", [(ORG, "Chromecast")]),
        ("Tours of the Castle Museum start at ten.", [(ORG, "the Castle Museum")]),
        # a one-word guess after a word in lower case is no cut name
        ("Loaded at the depot, then on to Leeds by noon.", [(LOCATION, "Leeds")]),
        # a place found by a cue ("offices in"), too
        ("Our offices in Oslo close at 17:00 on Friday.", []),
    ],
)
def test_places_and_organisations_in_a_text_that_shows_no_one_stay(
    text: str, guesses: list[tuple[str, str]]
) -> None:
    assert found(text, *guesses) == []
    # off (and round 16's places_without_a_sign_stay off): replaced as before
    assert found(text, *guesses, on=False) != []


@pytest.mark.parametrize(
    ("text", "guesses", "kept"),
    [
        # a pronoun, a word of family, of care or of a life's events
        ("She moved back to Perth in May.", [(LOCATION, "Perth")], "Perth"),
        ("My sister still works for Contoso.", [(ORG, "Contoso")], "Contoso"),
        ("Physio note: less pain since Ghent.", [(LOCATION, "Ghent")], "Ghent"),
        ("Parental leave: 4-8 Mar, back in Porto after.", [(LOCATION, "Porto")], "Porto"),
        ("Grazie per la cena a Bologna!", [(LOCATION, "Bologna")], "Bologna"),
        # the writer: "I", "my"
        ("I left the charger at the hotel in Ghent.", [(LOCATION, "Ghent")], "Ghent"),
        ("Flights via Madrid are cheaper for my team.", [(LOCATION, "Madrid")], "Madrid"),
        # a title before a capitalised word
        ("Mrs Quill from Leeds called again.", [(LOCATION, "Leeds")], "Leeds"),
        # a capitalised word before a verb of people: the person the model missed
        ("Alice lives in Ghent now.", [(LOCATION, "Ghent")], "Ghent"),
        # a result between two sides
        ("Round 3: Varga 1-0 Lindholm", [(ORG, "Lindholm")], "Lindholm"),
        # a guess written like a person's name, kept or not
        (
            "Leave tracker\nRowan Hale: 4-8 Mar\nAsh Okoro: 18 Mar, Galway",
            [(PERSON, "Rowan Hale"), (LOCATION, "Galway")],
            "Galway",
        ),
        # one word of a name the model cut: the word before it makes a name
        (
            "Anders Nilsson heads sales at Volvo in Gothenburg.",
            [(ORG, "Nilsson"), (ORG, "Volvo"), (LOCATION, "Gothenburg")],
            "Gothenburg",
        ),
        # a mail address is someone
        ("Write to sales@example.com about Contoso.", [(ORG, "Contoso")], "Contoso"),
        # introduced as someone's: a customer, a login's place, an address field
        ("Set --tier=gold for the customer Meridian.", [(ORG, "Meridian")], "Meridian"),
        ("sshd[812]: login from Berlin", [(LOCATION, "Berlin")], "Berlin"),
        ("name: shop\ncity: Tartu", [(LOCATION, "Tartu")], "Tartu"),
    ],
)
def test_a_sign_of_a_person_keeps_them(
    text: str, guesses: list[tuple[str, str]], kept: str
) -> None:
    assert kept in [value for _, value in found(text, *guesses)]


def test_an_organisation_with_its_legal_form_stays_replaced() -> None:
    assert found("Contoso Analytics GmbH raised its guidance.") == [(ORG, "Contoso Analytics GmbH")]


def test_a_person_of_the_session_keeps_them() -> None:
    mapping = Mapping()
    mapping.placeholder_for(PERSON, "Ines Duarte")
    text = "Flights via Madrid are cheaper."
    assert found(text, (LOCATION, "Madrid"), mapping=mapping) == [(LOCATION, "Madrid")]


async def test_places_need_a_sign_set_in_config_reaches_the_scrub_route(tmp_path: Path) -> None:
    # "offices in Oslo" is found by a cue, so the model's guesses do not matter here.
    text = "Our offices in Oslo close at 17:00."
    config = redaction_config(tmp_path, places_need_a_sign=True)
    async with running_gateway(config) as gw:
        on = (await gw.client.post("/api/redaction/scrub", json={"text": text})).json()
    off_config = redaction_config(tmp_path / "off", places_without_a_sign_stay=False)
    async with running_gateway(off_config) as gw:
        off = (await gw.client.post("/api/redaction/scrub", json={"text": text})).json()
    assert on["text"] == text
    assert "Oslo" not in off["text"]


@pytest.mark.parametrize(
    ("text", "person_shaped", "shows"),
    [
        ("The lifts in Block A are serviced on Wednesday.", False, False),
        ("Arsenal 3-0 Everton", False, True),
        ("Happy birthday! See you in Lisbon.", False, True),
        ("Dr. Eze has office hours.", False, True),
        ("Dr Pepper and lemonade", False, True),
        ("Elm Dr is closed.", False, False),
        ("for i in range(3): print(i)", False, False),
        ("Can I use it offline?", False, True),
        ("The service works in Lisbon.", False, False),
        ("Release notes for Lisbon.", True, True),
    ],
)
def test_shows_someone(text: str, person_shaped: bool, shows: bool) -> None:
    assert shows_someone(text, person_shaped) is shows


def test_introduced_reads_only_the_words_right_before() -> None:
    text = "The customer portal moved. Ghent is next."
    assert not introduced(text, text.index("Ghent"))
    assert introduced("client: Ghent", len("client: "))
