"""Round 16b of issue 21: phone numbers of the classes that round 16's held-back set and
the fourth set (both tuning now) still showed leaking: a phone word of Brazil
("Fone"), Indonesia ("Telp.") and Mongolia ("утас"); Italian "call back" with a pronoun
glued on ("richiamarlo al …"); digit groups parted by "_", "~" or "·" beside a phone
word; and directories, among them plain-text ones aligned with
blanks, where a column named by the line's place ("DESK", "Büro", "Home") stands beside a
phone column.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import PHONE
from tests.redaction.detecting import found, leaked

PHONES = [
    # a phone word of more languages before a national number
    ("Fone: (19) 3254-7710", "(19) 3254-7710"),
    ("Fone (11) 3871-2204", "(11) 3871-2204"),
    ("Telp 812 3456 7790 (admin)", "812 3456 7790"),
    ("Манай оффисын утас 7011 2290", "7011 2290"),
    # Italian "call" and "call back" with a pronoun glued on
    ("Per il preventivo richiamarlo al 328.4410.972 in mattinata", "328.4410.972"),
    ("la signora Conti: per la consegna richiamarla al 333 2291 440", "333 2291 440"),
    # digit groups parted by an odd mark, a phone word in the line
    ("Mobil: 0151~2290~4471", "0151~2290~4471"),
    ("Praxis 089·2291·4471 (Anmeldung), Fax 089·2291·4479", "089·2291·4471"),
    ("Fax_0049_89_2291_4479", "0049_89_2291_4479"),
    # a column named by the line's place beside a phone column
    ("Staff | Mobile | Desk\nRuth | 07700 900 481 | 6291 4408", "6291 4408"),
    ("Name;Handy;Büro\nJens;0171 2293 004;40 2281 33", "40 2281 33"),
    ("contact,cell,home\nOmar,415 555 0198,23 88 41 07", "23 88 41 07"),
    # a directory aligned with blanks
    (
        "TEAM        MOBILE           DESK\nPayroll     +48 604 112 903  22 418 03 66",
        "22 418 03 66",
    ),
    (
        "Branch    Tel             Fax\nAarhus    86 12 44 90     86 12 44 91",
        "86 12 44 91",
    ),
]

NOT_PHONES = [
    # a place's column alone, or beside no phone column, holds rooms, seats and counts
    "Name | Office | Floor\nRuth | 4.12 | 4",
    "Desk | Seats | Area\nNorth 2 | 14 | 112 450",
    # a blank-aligned table without a phone column
    "Item        Qty    Price\nBolts       1200   34.50\nNuts        88000  12.10",
    "Region      Q1        Q2\nNorth       12 450    13 118",
    # an odd mark in a file's, a build's or a list's digits
    "backup_2024_0311_1200.tar call me when it is done",
    "build~0311~2291~44 passed, see the phone app release notes",
    "sizes 100~200~300 ml, call for prices",
    "scores 12·14·19·22 in the phone survey",
    # an Italian call that names a thing's number
    "richiamarlo per l'ordine n. 2291 del 04/03",
]


@pytest.mark.parametrize(("text", "value"), PHONES)
def test_a_phone_of_the_round_16b_classes_is_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NOT_PHONES)
def test_rooms_counts_and_things_numbers_in_such_texts_stay(text: str) -> None:
    assert [v for t, v in found(text) if t == PHONE] == []
