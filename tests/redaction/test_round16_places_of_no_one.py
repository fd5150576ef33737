"""Issue 21, round 16: by default (``places_without_a_sign_stay``), the model's places
and a cue's places in a text where nothing personal is found and that shows no sign of a
person are left as written; organisations are still replaced, and every sign of round 14
(someone.py), now with a capitalised word before "who", keeps the places. Examples
written here, none from an evaluation corpus or from bench/redaction/negatives/."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.testing import running_gateway
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import LOCATION, ORG, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.someone import shows_someone
from tests.redaction.conftest import redaction_config
from tests.redaction.detecting import ALL


def found(text: str, *guesses: tuple[str, str], lists: Lists | None = None) -> list[str]:
    """What is replaced (values) when the model reported ``guesses`` (type, words)."""
    spans = [Span(t, text.index(w), text.index(w) + len(w)) for t, w in guesses]
    detected = detect_sync(text, spans, Mapping(), lists or Lists(), ALL)
    return [text[s.start : s.end] for s in detected]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Showers in Inverness by noon, frost on the hills overnight.", "Inverness"),
        ("Kick-off at the Valley Road ground, Tamworth, 15:00.", "Tamworth"),
        ("Day 2: the old harbour of Kotor, then the coast road.", "Kotor"),
        ("Lane closures on the bypass near Leominster until Friday.", "Leominster"),
    ],
)
def test_a_place_in_a_text_that_shows_no_one_stays_by_default(text: str, place: str) -> None:
    assert found(text, (LOCATION, place)) == []
    # the setting off: replaced as before round 16
    assert found(text, (LOCATION, place), lists=Lists(places_without_a_sign_stay=False)) == [place]


def test_a_place_found_by_a_cue_stays_too() -> None:
    assert found("The depot moved to Ruse last spring; opening hours are unchanged.") == []


def test_an_organisation_and_its_places_stay_replaced() -> None:
    text = "Shares of Quillmark fell after the results; the harbour at Kotor was closed."
    assert found(text, (ORG, "Quillmark"), (LOCATION, "Kotor")) == ["Quillmark", "Kotor"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a sentence opened by an act of a subject the model did not read: a company's
        # place (or a person's)
        ("Brindlecorp opened a depot outside Ruse in May.", "Ruse"),
        ("Lunara recalled kettles sold in Latvia.", "Latvia"),
    ],
)
def test_a_place_of_a_subject_the_model_did_not_read_stays_replaced(text: str, place: str) -> None:
    assert found(text, (LOCATION, place)) == [place]


def test_a_time_is_no_result_between_two_sides() -> None:
    text = "The outage started at 02:14 UTC on the Kotor load balancers; rolled back at 02:31."
    assert not shows_someone(text, person_shaped=False)
    assert found(text, (LOCATION, "Kotor")) == []
    # a score written with a colon still is one
    assert shows_someone("Round 2: Berg 2:1 Obi", person_shaped=False)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("She flew back to Kotor on Sunday.", "Kotor"),
        ("Mrs Quill from Tamworth called.", "Tamworth"),
        # round 16: a capitalised word before "who" is the person the model missed
        (
            "The speaker is Ama Owusu, who runs a small shop in Durban.",
            "Durban",
        ),
        ("Thanks to Ifeoma who drove the van from Ruse.", "Ruse"),
    ],
)
def test_a_sign_of_a_person_keeps_the_place_replaced(text: str, place: str) -> None:
    assert place in found(text, (LOCATION, place))


def test_who_after_a_capitalised_word_is_a_sign_of_a_person() -> None:
    assert shows_someone("Ask Teodor, who set up the printer.", person_shaped=False)
    assert shows_someone("Ask Teodor who set up the printer.", person_shaped=False)
    # "who" after a word in lower case is no name
    assert not shows_someone("All readers who cannot attend get the slides.", person_shaped=False)


async def test_places_without_a_sign_stay_set_in_config_reaches_the_scrub_route(
    tmp_path: Path,
) -> None:
    # "offices in Oslo" is found by a cue, so the model's guesses do not matter here.
    text = "Our offices in Oslo close at 17:00."
    async with running_gateway(redaction_config(tmp_path)) as gw:
        default = (await gw.client.post("/api/redaction/scrub", json={"text": text})).json()
    config = redaction_config(tmp_path / "off", places_without_a_sign_stay=False)
    async with running_gateway(config) as gw:
        off = (await gw.client.post("/api/redaction/scrub", json={"text": text})).json()
    assert default["text"] == text
    assert "Oslo" not in off["text"]
