# ruff: noqa: RUF001  (names in Cyrillic, Greek and CJK on purpose)
"""People named more than once, and names the English model cannot read (issue 21):
every surface form of a found name in the text, and names found by context in any
script. No model here: the name is given as the NER would report it, or found by cues."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, LOCATION, ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.scrub import apply, rehydrate

ALL = frozenset(DETECTABLE_TYPES)


def clear_after(text: str, ner_name: str | None = None) -> str:
    """``text`` scrubbed, with the NER reporting only the first ``ner_name``."""
    ner = []
    if ner_name is not None:
        start = text.index(ner_name)
        ner = [Span(PERSON, start, start + len(ner_name))]
    mapping = Mapping()
    scrubbed = apply(text, detect_sync(text, ner, mapping, Lists(), ALL), mapping)
    assert rehydrate(scrubbed.text, mapping).text == text
    return scrubbed.text


@pytest.mark.parametrize(
    "later",
    ["Smith", "John", "J. Smith", "J Smith", "SMITH, John", "Smith, John", "JOHN SMITH",
     "john smith", "Smith's", "JOHN", "John S."],
)  # fmt: skip
def test_every_surface_form_of_a_found_name_is_the_same_person(later: str) -> None:
    out = clear_after(f"John Smith called. Later {later} wrote back.", "John Smith")
    assert "Smith" not in out and "SMITH" not in out and "smith" not in out, out
    assert "John" not in out and "JOHN" not in out and "john" not in out, out


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Уважаемый Иван Петров,\nпишу вам. Иван, ключи на ресепшене.", ["Иван", "Петров"]),
        ("Dear Мария Соколова, thanks. Regards", ["Мария", "Соколова"]),
        ("Αγαπητέ Γιώργο Παπαδόπουλε, ο Γιώργο θα έρθει.", ["Γιώργο", "Παπαδόπουλε"]),
        ("مرحبا أحمد، شكرا لك", ["أحمد"]),
        ("尊敬的王伟先生：我和王伟先生见面了。", ["王伟"]),
        ("田中太郎様、よろしくお願いします。", ["田中太郎"]),
        ("김민수님, 회의는 내일입니다.", ["김민수"]),
        ("Thanks for the report.\n\nBest regards,\nΕλένη Νικολάου", ["Ελένη", "Νικολάου"]),
        ("Спасибо,\nОльга", ["Ольга"]),
        ("Ticket 4411\nName: Zhang Wei\nIssue: login fails", ["Zhang Wei"]),
        ("Hi Dr. Okonkwo, the results are in.", ["Okonkwo"]),
        ("शुभ दिन, प्रिय राहुल शर्मा, धन्यवाद", ["राहुल", "शर्मा"]),
    ],
)
def test_names_in_any_script_are_found_by_context(text: str, names: list[str]) -> None:
    out = clear_after(text)
    for name in names:
        assert name not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "Hi team, thanks all.",
        "Dear Customer, your order shipped.",
        "Hello World is the first program.",
        "Thanks again for the quick fix.",
        "Sehr geehrte Damen und Herren, anbei die Unterlagen.",
    ],
)
def test_greetings_without_a_name_stay(text: str) -> None:
    assert clear_after(text) == text


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a first name that is also a word, opening two lines of a chat
        ("Will: the report is ready\nWill: delete this after reading", ["Will"]),
        # speakers after a WhatsApp-style date and time, each once
        ("[01/02/2026, 09:10:11] Ann Lee: ok\n[01/02/2026, 09:11:00] Bob Roe: fine",
         ["Ann Lee", "Bob Roe"]),
    ],
)  # fmt: skip
def test_chat_speakers_without_clock_times(text: str, names: list[str]) -> None:
    scrubbed = clear_after(text)
    for name in names:
        assert name not in scrubbed, scrubbed


@pytest.mark.parametrize(
    "text",
    ["From: a@b\nNote: x\nNote: y", "Warning: one\nWarning: two", "ERROR: a\nERROR: b"],
)
def test_repeated_line_labels_are_no_speakers(text: str) -> None:
    assert clear_after(text) == text


def test_initials_defined_after_a_name_are_that_person() -> None:
    text = "Present: Jane Roe (JR)\n- JR: signed the contract\n- JR to call back"
    scrubbed = clear_after(text, "Jane Roe")
    assert "JR" not in scrubbed, scrubbed


def test_letters_in_brackets_that_are_no_initials_stay() -> None:
    text = "Jane Roe (QA) checked the build."
    assert "QA" in clear_after(text, "Jane Roe")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an address's local part written without the name's accents
        ("Signed: 'Zoë Müller', 'zoe.muller@example.org'", "Zoë Müller"),
        ("Contact Işıl Çelik at isil.celik@example.org", "Işıl Çelik"),
        # a Korean honorific after a space
        ("박서연 님, 안녕하세요.", "박서연"),
    ],
)
def test_names_found_by_their_address_or_honorific(text: str, name: str) -> None:
    assert name not in clear_after(text)


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # an HTTP header's name, and a place guessed in a script without capitals
        ("curl -H 'X-Request-Id: 42' http://localhost/", "X-Request-Id"),
        ("फ़ाइल भेज दी", "भेज"),
        # field labels and German letter formulae
        ("Requester: see below", "Requester"),
        ("Sehr geehrte Damen und Herren, anbei die Unterlagen.", "Herren"),
    ],
)
def test_model_guesses_that_are_no_entity_are_dropped(text: str, guess: str) -> None:
    start = text.index(guess)
    for type_ in (ORG, LOCATION):
        ner = [Span(type_, start, start + len(guess))]
        spans = detect_sync(text, ner, Mapping(), Lists(), ALL)
        assert not any(text[s.start : s.end] == guess for s in spans), (type_, spans)
