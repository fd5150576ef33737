# ruff: noqa: RUF001  (names in Cyrillic, Greek and CJK on purpose)
"""People named more than once, and names the English model cannot read (issue 21):
every surface form of a found name in the text, and names found by context in any
script. No model here: the name is given as the NER would report it, or found by cues."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, PERSON, Span
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
    ],
)
def test_greetings_without_a_name_stay(text: str) -> None:
    assert clear_after(text) == text
