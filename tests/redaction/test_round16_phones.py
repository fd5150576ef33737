"""Round 16 of issue 21: phone numbers of the classes the tuning sets (round 14's and
round 15's held-back sets, spent) still showed leaking: a number whose country only a
time zone or a few Italian words tell, an office's line named "office" or "desk", a
scanner's "O" for 0 after a phone word written in full, a number glued to "num", a
number read out in words after "txt me" or before "call me back", a "+" encoded as
"%2B" in a form post; and dates that the library read as numbers ("07.12.2026 14").

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import PHONE
from tests.redaction.detecting import found, leaked

PHONES = [
    # a time zone names the country of a national number
    ("Bookings 1800 422 917, lines open 9-5 AEST", "1800 422 917"),
    ("Support desk 1300 884 271 (8am to 6pm AWST)", "1300 884 271"),
    ("お問い合わせは 0570 018 442 まで, 10:00-17:00 JST", "0570 018 442"),
    # Italian words of an ad or a note name Italy
    ("Vendesi scooter 125cc, 1.900 €, 333 4829 107 ore serali", "333 4829 107"),
    ("Affitto box auto zona Isola, 120 €/mese. 339 2816 440 anche sabato", "339 2816 440"),
    # an office's or a desk's line after a mobile one
    ("mobile 9187 2264 or office 6291 8830", "6291 8830"),
    ("Direct 020 7183 4402, desk 3188 2720 (HK)", "3188 2720"),
    ("Büro 0711 2284 317", "0711 2284 317"),
    # a scanner's letters for digits after a phone word written in full
    ("Telefono: O6 4471 882O", "O6 4471 882O"),
    ("Teléfono: 9l 402 77 l8", "9l 402 77 l8"),
    # a number glued to "num", "nr", "número"
    ("ti lascio il num3389204417 per domani", "3389204417"),
    ("mein nr01761 2283 9940", "01761 2283 9940"),
    # read out in words, asked for by a message or a call after it
    (
        "txt me: oh seven nine one one, two two three, four five six",
        "oh seven nine one one, two two three, four five six",
    ),
    (
        "text us on four one five, eight six two, three three oh seven",
        "four one five, eight six two, three three oh seven",
    ),
    (
        'VM: "it\'s nine one seven, two oh four, eight eight three six, ring me back"',
        "nine one seven, two oh four, eight eight three six",
    ),
    # a number sent in two chat messages of one speaker
    ("[09:14] Tom: call me on 0161 832\n[09:14] Tom: 5517 sorry", "5517"),
    ("21:03 Eva: my number is 0412 318\n21:03 Eva: 559 oops", "559"),
    # a "+" encoded in a form post or a webhook's query
    ("first=Ana&mobile=%2B447911123458&consent=yes", "%2B447911123458"),
    ("GET /notify?to=%2b4915112345678&msg=ok", "%2b4915112345678"),
]

NOT_PHONES = [
    # day-first and month-first dates the library read as numbers of some plan
    "Lieferung voraussichtlich am 11.03.2027",
    "Termin verschoben auf 04.12.2026 09:30 Uhr",
    "Receipt 14/11/2026 17:42 TOTAL 12.80",
    "Statement date 03/28/2026 11:05 AM",
    "Stand 01.01.2027: 012 448,2 kWh",
    # a company's register numbers
    "ACN 118 204 557 · ABN 22 118 204 557",
    "Amtsgericht Köln HRB 0221 4471",
    "SIRET 0412 883 150 00012",
    # "office" and "desk" beside things' numbers
    "the office has 2291 8830 sq ft",
    "desk order 4471 2290 33",
    # a word read out after "txt me" that is a thing's number
    "txt me the order number one two three four five six seven",
]


@pytest.mark.parametrize(("text", "value"), PHONES)
def test_a_phone_of_the_round_16_classes_is_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NOT_PHONES)
def test_dates_register_numbers_and_things_numbers_stay(text: str) -> None:
    assert [v for t, v in found(text) if t == PHONE] == []


def test_a_number_split_over_two_messages_keeps_the_turns_time_and_speaker() -> None:
    text = "[09:14] Tom: call me on 0161 832\n[09:14] Tom: 5517 sorry"
    assert [v for t, v in found(text) if t == PHONE] == ["0161 832", "5517"]


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        # the next turn is another speaker's, or a label's line
        ("Ben: call me on 0161 832\nAna: 5517 is the room", "5517"),
        ("Tel: 0711 2894\nFax: 3317 22", "3317 22"),
    ],
)
def test_digits_of_another_speakers_turn_are_no_part_of_the_number(text: str, tail: str) -> None:
    assert not any(tail in v for t, v in found(text) if t == PHONE)
