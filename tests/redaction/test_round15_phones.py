"""Round 15 of issue 21: phone numbers known by what stands near them (the classes that
round 14's held-back set, tuning material since, showed leaking, and the gaps round 14
named): a national number after a word for a phone in many languages when the text's own
regions do not read it, a number right after a person's name with no word for a phone,
Pakistan's UAN numbers, Australia's six-digit 13 numbers, extensions said in more
languages.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import PHONE
from tests.redaction.detecting import found, leaked

PHONES = [
    # a word for a phone in a language or idiom the region guess does not follow
    ("bel me even op 641 83 29 05 na vijven", "641 83 29 05"),
    ("Ring oss gjerne på 23 41 87 09 i morgen", "23 41 87 09"),
    ("mándame un wasap al 634 72 18 95 porfa", "634 72 18 95"),
    ("me chama no zap (21) 99812-4471 depois das 18h", "(21) 99812-4471"),
    ("to mój numer to 698 214 377, pisz", "698 214 377"),
    ("Centrala 58 341 72 90, sekretariat", "58 341 72 90"),
    ("Tel: 2511 8342  Fax: 2511 8349", "2511 8349"),
    ("hp 8731 2290 kalau perlu apa-apa", "8731 2290"),
    ("Kontakt: Henrik Dahl, 918 22 473", "918 22 473"),
    ("telegram 622 48 31 90 lang po", "622 48 31 90"),
    ("switchboard 28 41 93 07, then ask for Bo", "28 41 93 07"),
    # a number right after a person's name: lists, rosters, directories
    ("Grace Hopper - 655 18 42 39", "655 18 42 39"),
    ("team list:\nLars Holm\t41 82 93 17\nMaria Stein\t41 82 93 54", "41 82 93 54"),
    ("Duty tonight: Olga Berg 9123 8840 until 06:00", "9123 8840"),
    ("Jamal Reed: 512 874 203", "512 874 203"),
    # a self-introduction before the number ("it's Tom", "det er meg")
    ("ok soy Marta 655 18 42 39", "655 18 42 39"),
    ("hei, det er meg \u2013 41 82 93 17 \u2013 ring meg", "41 82 93 17"),
    # the way to reach it after the number, a directory's dot leader
    ("Vendo bici, 90 €, 655 18 42 39 solo WhatsApp", "655 18 42 39"),
    ("Reach me: 622 48 31 90, WhatsApp only", "622 48 31 90"),
    ("918 45 290 (mobile) or the office line", "918 45 290"),
    ("Recepción ........ 915 48 23 71\nAlmacén .......... 915 48 23 79", "915 48 23 79"),
    # a number cut by a quoted reply's line break after "reach me on"
    ("> you can reach me on 0161 832\n> 5517 after three", "0161 832\n> 5517"),
    # a name on its line, the number on the next; family in a contacts list
    ("Kontakt\nJonas Weber\n918 45 290", "918 45 290"),
    ("Laura (wife) 622 48 31 90", "622 48 31 90"),
    ("Mama: 698 214 377", "698 214 377"),
    # a message from a number, a front desk's line, "tel. kom."
    ("Mensaje de 622 48 31 90: llego tarde", "622 48 31 90"),
    ("przyjmuje we wtorki, rejestracja 58 341 72 90", "58 341 72 90"),
    ("Osoba kontaktowa: Anna Kowalska, tel. kom. 698 214 377", "698 214 377"),
    # the number first, then whose it is; signs; a list after a cue
    ("655 18 42 39 - Ana Ruiz", "655 18 42 39"),
    ("918 45 290 (Kari)", "918 45 290"),
    ("T/F: 622 48 31 90", "622 48 31 90"),
    ("\u260f 622 48 31 90", "622 48 31 90"),
    (
        "Teléfonos de interés: Ayuntamiento 915 48 23 71, Centro de salud 915 48 23 79",
        "915 48 23 79",
    ),
    # Pakistan's UAN numbers, Australia's 13 numbers
    ("Hubungi UAN 111-234-567 sekarang", "111-234-567"),
    ("UAN: 111-842-663 (9 to 5)", "111-842-663"),
    ("Phone 13 14 50 for bookings", "13 14 50"),
    ("Enquiries 132 221, 7 days", "132 221"),
    # extensions in more words
    ("Biuro +48 22 415 38 90 wew. 117", "117"),
    ("Sekretariat 58 341 72 90 w. 21", "21"),
    ("الهاتف +966 11 482 3370 داخلي 45", "45"),
    ("الهاتف +966 11 482 3370 تحويلة 318", "318"),
    ("ring the front desk and dial 318 for me, the desk is 0161 832 5517", "318"),
    (
        "Name      Ext.   Mobile\nAnna      3310   0176 5521 9034\nBo        3311   -",
        "3311",
    ),
]

NOT_PHONES = [
    "Order Total 2026 1187 2290",
    "Sort Code 20-32-06 Account 4387 1290",
    "Golf Variant 84 312 km",
    "Mitte Berlin 10115 10117 10119",
    "Steuer ID 12 345 678 901",
    "Flight Number 2471 0032 88",
    "Version History 2026 1187 2290 11",
    "Score was 13 24 68 in the three games",
    "The Smiths 2019 1204 5521 tour",
    "ring buffer size 4096 8192 16384",
    "text me the code 482 913 pls",
    "Line 1183 4471 2290 of the log",
    "contact group 2026 11 87 22 90",
    "Call the office about invoice 4471 2290 33",
    "Tel. hours 13 00 to 17 30",
    "Room 13 24 on floor 2",
    "Station 111 234 567 is offline",
    "Jahresumsatz Müller Bau 1 249 000 €",
    "Anna Berg 12.03.2026 14:30 room 4",
    "It's Invoice 655 18 42 39",
    "sent 4471 2290 11 SMS today",
    "order 918 45 290 via WhatsApp",
    "Total ........ 1 249 000",
    "Coffee ........ 3.50\nChapter 4 ............ 112",
    "For sales press 1, then press 2 for billing.",
    "ITEM     EXT    QTY\nbolt     12     400\nnut      14     800",
    "Ich bin 2026 hier",
    "Order Total\n1187 2290 4471",
    "Anna (manager) 622 48 31 90 units sold",
    "Papa 2026 1187",
    "Ring me. Invoice 4471 2290 33 is due",
    "4471 2290 11 (Order Total)",
    "1187 2290 4471 - Version History",
    "Call the desk, order 4471 2290 33",
    "Container numbers: MSCU 483920 7, TGHU 881204 1",
    "Handy with GSM 850 1800 1900 MHz and a 5000 mAh battery",
]


@pytest.mark.parametrize(("text", "value"), PHONES)
def test_a_phone_known_by_what_stands_near_it_is_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NOT_PHONES)
def test_numbers_near_names_and_phone_words_that_are_no_phones_stay(text: str) -> None:
    assert [v for t, v in found(text) if t == PHONE] == []
