"""Issue 21, round 13: people named without capitals (chat, SMS, notes) and in capitals.
Each class with a near miss that stays as it was. Examples written here, none from an
evaluation corpus or from bench/redaction/negatives/."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, ORG, PERSON
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.ner import NerModel, read_capitals
from tests.redaction.detecting import found, leaked


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("hey anouk r u coming later?", ["anouk"]),
        ("thanks bea! and sorry rufus, missed your call", ["bea", "rufus"]),
        ("no idea, ask wendeline or gustavo", ["wendeline", "gustavo"]),
        ("can you tell ottavio to bring chairs", ["ottavio"]),
        ("morning lorcan, the van is free", ["lorcan"]),
        ("sat: call auntie philippa re the cake", ["philippa"]),
        ("hi its marisol from the dentist, please call back", ["marisol"]),
        ("cc eamon and perpetua", ["eamon", "perpetua"]),
        ("ask dr fennimore re the results", ["fennimore"]),
        (
            "choir notes: present wyn, dafydd, saoirse; apologies from ned.",
            ["wyn", "saoirse", "ned"],
        ),
    ],
)
def test_a_lower_case_name_addressed_or_asked_for_is_replaced(text: str, names: list[str]) -> None:
    """A greeting, a thanks or a request followed by a lower-case word names whom it
    addresses ("thanks bea!", "ask wendeline or gustavo")."""
    for name in names:
        assert leaked(text, name) == [], name


@pytest.mark.parametrize(
    "text",
    [
        "thanks all! see you there",
        "hi everyone, thanks for coming",
        "ask around, someone has one",
        "call back later if it rings",
        "sorry for the delay, tell them to wait",
        "on-call handover: done at 6",
        "Quiz night scores: 62 and 58",
        "hi its late, going to bed",
        "thanks for the call yesterday, and the text later on",
        "thanks for the call earlier.",
        "Befund von Dr. med. Ilse Brandt",
        "present: all staff.",
        "use the present tense and the past tense.",
        "apologies from everyone for the delay",
    ],
)
def test_lower_case_words_after_a_greeting_that_name_no_one_stay(text: str) -> None:
    assert found(text) == []


def test_lower_case_speakers_of_a_conversation_are_replaced() -> None:
    text = "[09:12] ilse: bins tonight?\n[09:14] corentin: yes\n[09:15] ilse: blue or green\n"
    text += "<corentin> green"
    replaced = [v for t, v in found(text) if t == PERSON]
    assert replaced.count("ilse") == 2 and replaced.count("corentin") == 2


@pytest.mark.parametrize(
    "text",
    [
        # a record's fields, each label once
        "size: 42\ncolour: navy\nfit: slim",
        # one label repeated, no second speaker
        "note: buy milk\nnote: call the plumber",
    ],
)
def test_lower_case_labels_that_are_no_conversation_stay(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("leaving the ladder by the shed\n- torben", "torben"),
        ("can't make it, have fun!! xx ramona", "ramona"),
        ("heating is back on from 6.\ncheers, fitz", "fitz"),
    ],
)
def test_a_lower_case_sign_off_is_replaced(text: str, name: str) -> None:
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    "text",
    [
        "ok see u all sunday\n- the committee",
        "the fix is done.\n- done",
        "bring snacks\nxx all",
    ],
)
def test_a_sign_off_by_no_one_stays(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("cc @jarek.w @hild can you check the poster", ["jarek.w", "hild"]),
        ("@sunniva did you book the hall?", ["sunniva"]),
        ("props to @odhran_k for the cakes", ["odhran_k"]),
    ],
)
def test_an_addressed_handle_is_replaced_without_its_at(text: str, names: list[str]) -> None:
    replaced = found(text)
    for name in names:
        assert (PERSON, name) in replaced


@pytest.mark.parametrize(
    "text",
    [
        "@channel quiz moved to thursday",
        "@pytest.fixture\ndef client(): ...",
        "import it with @import url(base.css)",
    ],
)
def test_handles_of_no_one_stay(text: str) -> None:
    assert found(text) == []


def test_a_line_in_capitals_is_read_title_cased_same_length() -> None:
    text = "MINUTES\nPRESENT: ODETTE BRANDT, KWASI MENSAH\nnext meeting in March"
    read = read_capitals(text)
    assert len(read) == len(text)
    assert read.splitlines()[1] == "Present: Odette Brandt, Kwasi Mensah"
    # a line not in capitals, and a short one, stay as written
    assert read.splitlines()[2] == "next meeting in March"
    assert read_capitals("ERROR db down") == "ERROR db down"
    # a line of codes in capitals is no sentence
    codes = "TAF KXYZ 061130Z 0612/0712 22008KT P6SM BKN040 TEMPO SHRA"
    assert read_capitals(codes) == codes
    # a letter whose lower case is longer ("İ") keeps its place
    assert len(read_capitals("İSTANBUL OFFICE NOTES")) == len("İSTANBUL OFFICE NOTES")


def test_an_organisation_in_a_line_in_capitals_is_not_the_models(ner_model: NerModel) -> None:
    """The model reads a line in capitals title-cased; what it calls an organisation
    there is a headline's words (a licence's "WITHOUT WARRANTY OF ANY KIND")."""
    text = 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED'
    assert [s for s in ner_model.find_sync([text])[0] if s.type == ORG] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("NOTE TO NIGHT SHIFT: BARNABY OKONKWO IS COVERING WARD 2 TONIGHT", "BARNABY OKONKWO"),
        ("MINUTES OF 4 MAY\nPRESENT: ODETTE BRANDT, KWASI MENSAH", "KWASI MENSAH"),
    ],
)
def test_names_in_capitals_reach_the_model(ner_model: NerModel, text: str, name: str) -> None:
    spans = detect_sync(
        text, ner_model.find_sync([text])[0], Mapping(), Lists(), frozenset(DETECTABLE_TYPES)
    )
    assert name in {text[s.start : s.end] for s in spans}


def test_a_name_found_once_is_replaced_in_every_case() -> None:
    """Propagation: the form found marks its lower- and upper-case forms in the text."""
    text = "Rosalind Pike wants the hall. rang rosalind back. ROSALIND PIKE CONFIRMED"
    replaced = found(text, (PERSON, "Rosalind Pike"))
    assert (PERSON, "rosalind") in replaced
    assert (PERSON, "ROSALIND PIKE") in replaced
