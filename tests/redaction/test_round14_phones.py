"""Round 14 of issue 21: phone numbers known by what is said around them (the classes
that the round-12 held-back set, tuning material since, showed leaking): numbers read
out in words or digit by digit, a bare number answering a question about one, a number
after "new number" / "alt no.", an international number without its "+" after a word
for a phone or in a caller-id field, the last digits of a phone, and the cells of a
phone column in a table.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import PHONE
from tests.redaction.detecting import found, leaked

PHONES = [
    # read out in words, after a question about a number or a word for a phone
    (
        "Agent: what's the best number to reach you?\nCaller: two oh two, four one eight, "
        "three three seven one",
        "two oh two, four one eight, three three seven one",
    ),
    (
        "You can call me on oh seven seven one two, three four five, six seven eight.",
        "oh seven seven one two, three four five, six seven eight",
    ),
    (
        "Rufen Sie mich an: null eins fünf eins, zwei drei, vier fünf sechs sieben acht",
        "null eins fünf eins, zwei drei, vier fünf sechs sieben acht",
    ),
    (
        "Mon portable : zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
        "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
    ),
    (
        "Mi móvil es seis uno dos, tres cuatro cinco, seis siete ocho",
        "seis uno dos, tres cuatro cinco, seis siete ocho",
    ),
    (
        "phone: double seven, four one two, three three nine, eight one",
        "double seven, four one two, three three nine, eight one",
    ),
    # digit by digit, and words mixed with digit groups
    ("Q: callback number?\nA: 0 2 0 7 1 1 8 3 3 2 0", "0 2 0 7 1 1 8 3 3 2 0"),
    (
        "meine Handynummer: null eins sieben null, 38 94 51 22",
        "null eins sieben null, 38 94 51 22",
    ),
    # a bare number answering a question about a phone (a transcript's or a chat's turn)
    ("Agent: And a contact number for the driver?\nCustomer: 0412 318 559.", "0412 318 559"),
    ("[09:14] Bob: whats ur mobile\n[09:15] Alice: 98450 21173", "98450 21173"),
    ("Operator: Telefonnummer für Rückfragen?\nAnrufer: 612 34 58 97", "612 34 58 97"),
    # a number after words that say it is someone's phone number
    ("btw my new number 655 21 48 30, delete the old one", "655 21 48 30"),
    ("Alt. no. 9723 8841 if the landline is busy", "9723 8841"),
    ("home no: 21 84 47 93", "21 84 47 93"),
    ("Her number is 641 227 905.", "641 227 905"),
    # an international number without its "+" after a word for a phone
    ("contact 966 50 481 2273 for the keys", "966 50 481 2273"),
    ("WhatsApp 234 803 417 2286 after 6pm", "234 803 417 2286"),
    ("Phone: 353 87 318 4452", "353 87 318 4452"),
    # the calling party of a telephony log
    ("2026-12-07 10:12:01 inbound ANI=4930284719300 DNIS=8005550100", "4930284719300"),
    ('{"caller_id": "447852613904", "queue": "sales"}', "447852613904"),
    ("CDR cli=01618325517 dur=42 disp=ANSWERED", "01618325517"),
    ("call from calling_number: +14158623307 rejected", "+14158623307"),
    # the last digits of a phone
    ("We sent a code to the mobile number ending in 3904.", "3904"),
    ("验证码已发送至手机尾号2286的用户", "2286"),
    ("Please confirm the last four digits of your phone number: 7719", "7719"),
    # the number glued to a word for a phone, or to "on" after one
    ("Telefon0711 2894 3317 (Zentrale)", "0711 2894 3317"),
    ("pls ring me on07412 557 301 tonight", "07412 557 301"),
    ("Mobile:+33 6 48 21 93 17", "+33 6 48 21 93 17"),
    # letters a scanner read for digits
    ("Tel: 0l71 2295 834", "0l71 2295 834"),
    ("Phone +1 (212) 4O7-3318", "+1 (212) 4O7-3318"),
    ("Fax +33 1 42 68 S3 91", "+33 1 42 68 S3 91"),
    # a freephone code and a word spelled on the keypad, outside North America
    ("Call 0800 BUY TILES today", "0800 BUY TILES"),
    ("Bookings 1300 SAILING", "1300 SAILING"),
    # "my number" in other languages
    ("mi número es 612 34 58 97", "612 34 58 97"),
    ("Mon numéro : 06 12 45 78 90", "06 12 45 78 90"),
    ("meine Nummer ist 0170 3894512", "0170 3894512"),
    # an extension said, bracketed after a name, or keyed in after a pause
    ("switchboard 0161 832 5500, then ask for extension two one four", "two one four"),
    ("Alice (x4471) handles refunds", "4471"),
    ("Phone +1 617 354 2200p214", "214"),
    ("+1 617 354 2200 w214", "214"),
    # "call" in more languages
    ("Zadzwoń pod 512 874 339 po 18", "512 874 339"),
    ("Zavolejte na 603 184 527", "603 184 527"),
    ("h/p: 9184 2276", "9184 2276"),
    # an extension in a field of its own, after a label's colon, or a letterhead's dash
    ("INSERT INTO staff VALUES (7, 'Eve', '(617) 354-2200', 'x318');", "318"),
    ("Bob: x4412", "4412"),
    ("Tel. +49 711 2894 33-0 | Fax -99", "99"),
    # "call" as a noun, and a phone word with "#"
    ("devuélveme la llamada al 612 34 58 97", "612 34 58 97"),
    ("Tel#: 22 84 17 93", "22 84 17 93"),
    # "number" before a number cut by a line break
    ("my number is 0412\n318 559", "0412\n318 559"),
    # "00" and a country code, then dashes: no ISO date ("0049-30-28…")
    ("Tel. 0049-30-28471930", "0049-30-28471930"),
]

# The cells of a phone column, whatever the region of the number.
TABLES = [
    (
        "Name\tCompany\tPhone\tMobile\nEva\tNordlys AS\t23 41 88 30\t917 22 341\n",
        ["23 41 88 30", "917 22 341"],
    ),
    ("id,name,tel\n4,Bob,21 84 47 93\n5,Eve,9184 2276\n", ["21 84 47 93", "9184 2276"]),
    ("| Who | Handy |\n| --- | --- |\n| Ana | 655 21 48 30 |\n", ["655 21 48 30"]),
]

# Near misses: numbers said or asked for that are not phones.
NOT_PHONES = [
    "Agent: Can I have your order number?\nCustomer: It's 4 4 7 1 2 2 9 0 3 3.",
    "Agent: thanks for calling, what is the booking reference?\nCaller: 8 8 2 1 9 0 4 4 7 1",
    "Join the weekly planning call\nMeeting ID: 412 884 2291\nPasscode on the invite",
    "Please call the desk. Ticket number:\n44718821",
    "one two three four five six seven, here we go again (the song)",
    "Invoice no: 2026 0457 1189",
    "Order number 112 4839 2017 shipped today.",
    "the new number of cases is 1 248 337 this week",
    "contact 2026 12 07 10 14 22 log rotation",
    "ANI=anonymous DNIS=8005550100 queue=billing",
    "card ending in 4471, expiry 09/28",
    "Agent: date of birth?\nCaller: 14.07.1988",
    "Q: how many seats?\nA: 12 400 000",
    "id,name,phone_type\n4,Bob,mobile\n",
    "| Model | Tel. code |\n| --- | --- |\n| X1 | 2291 |\n",
    "the call is on12.07.2026 at 14:00",
    "Reports run at 1800 UTC DAILY and 0300 HOURS on Sundays.",
    "SKU0221 8833 410 is out of stock",
    "Tel. hours: 9-17 Mon-Fri, closed 24.12.",
    "Tel: see page 2O of the manual",
    "mon numéro de commande : 4471 2290 33",
    "GET /lookup?phone=%2Bxyz 400",
    "2026-12-07 10:14:22 backup done, 4471 files",
    "see extension one of the contract",
    "HP 2000 1500 W power supply",
    "Ara 2026 comença bé",
    "encode with x265 or x264: x265 is slower",
    "Settings: x1080, y720",
    "rows: 'x12', 'x13' (no numbers here)",
    "the number is 12\n4 items left",
]


@pytest.mark.parametrize(("text", "value"), PHONES)
def test_a_phone_known_by_its_context_is_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize(("text", "values"), TABLES)
def test_every_cell_of_a_phone_column_is_a_phone(text: str, values: list[str]) -> None:
    replaced = [v for t, v in found(text) if t == PHONE]
    for value in values:
        assert value in replaced, (value, replaced)


@pytest.mark.parametrize("text", NOT_PHONES)
def test_numbers_asked_for_or_read_out_that_are_no_phones_stay(text: str) -> None:
    assert [v for t, v in found(text) if t == PHONE] == []
