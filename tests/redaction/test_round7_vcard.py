"""vCard fields (RFC 6350): the format says which part of N, FN, ORG and ADR is a name,
an organisation or a place (issue 21, round 7)."""

from __future__ import annotations

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, LOCATION, ORG, PERSON
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.vcard import vcard_spans

CARD = """BEGIN:VCARD
VERSION:3.0
N:Okonkwo;Grace;;Dr.;
FN:Dr. Grace Okonkwo
ORG:Maple Ridge Dental;Billing
TITLE:Dentist
item1.ADR;TYPE=WORK:;;100 Waters Edge;Baytown;LA;30314;USA
TEL;TYPE=CELL:+44 7700 900123
END:VCARD
"""


def found(text: str) -> set[tuple[str, str]]:
    spans = detect_sync(text, [], Mapping(), Lists(), frozenset(DETECTABLE_TYPES))
    return {(s.type, text[s.start : s.end]) for s in spans}


def test_vcard_parts_by_their_place_in_the_field() -> None:
    spans = {(s.type, CARD[s.start : s.end]) for s in vcard_spans(CARD)}
    assert spans == {
        (PERSON, "Okonkwo"),
        (PERSON, "Grace"),
        (PERSON, "Grace Okonkwo"),
        (ORG, "Maple Ridge Dental"),
        (ORG, "Billing"),
        (LOCATION, "100 Waters Edge"),
        (LOCATION, "Baytown"),
    }


def test_vcard_leaves_titles_versions_and_countries() -> None:
    all_found = found(CARD)
    assert (ORG, "Maple Ridge Dental") in all_found and (LOCATION, "Baytown") in all_found
    values = {value for _, value in all_found}
    assert not values & {"Dr.", "3.0", "Dentist", "USA", "LA"}


def test_the_same_lines_outside_a_vcard_are_not_read_as_one() -> None:
    text = "N: 3 samples\nORG: see the chart\nADR: none;;x;y\n"
    assert list(vcard_spans(text)) == []


def test_signature_phone_after_a_one_letter_label() -> None:
    text = "Drew Sato\nHead of Ops\np: 555 0134 | e: drew@example.org\n"
    assert ("PHONE", "555 0134") in found(text)
    # two short numbers after a word, not a label, stay two numbers
    assert not any(t == "PHONE" for t, _ in found("Rooms 555 0134 and 556 were booked."))
