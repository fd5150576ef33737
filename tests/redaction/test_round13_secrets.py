"""Round 13 of issue 21: secrets said in prose, the classes that round 12's held-back set
(``bench/redaction/rulecases/round12_heldback.jsonl``, tuning material since) showed
leaking: codes that open a door or sign someone in once, PINs read out, passwords in a
German compound or a Wi-Fi key, values before their noun, password-manager exports.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from tests.redaction.detecting import found, leaked

SECRETS = [
    # one-time and verification codes, in many languages, also read out in groups
    ("Ihr Sicherheitscode lautet 604 118.", "604 118"),
    ("Code de confirmation : 27 19 44", "27 19 44"),
    ("Su código de seguridad es 880217", "880217"),
    ("Codice di verifica: 551 093", "551 093"),
    ("Kod weryfikacyjny 774102, nie udostępniaj go.", "774102"),
    ("Код доступа: 3390-1142", "3390-1142"),
    ("您的验证码 662019\uff0c请勿告知他人", "662019"),
    ("Your login code is 7 1 2 8 8 3", "7 1 2 8 8 3"),
    ("Collection code: 55 02 91, show it at the counter", "55 02 91"),
    # a code with letters, upper case, after its noun alone
    ("Activation code ZQ4-81K-7PW, valid for a month", "ZQ4-81K-7PW"),
    ("security code MX82-4KTP on the back", "MX82-4KTP"),
    # door, intercom, buzzer and safe codes; a combination said alone
    ("Intercom code 2291# then wait for the click", "2291"),
    ("Le code de la porte est 8842A", "8842"),
    ("Tresorcode: 19-04-77", "19-04-77"),
    ("The cabinet key is in the safe, combination 31-12-05.", "31-12-05"),
    # a PIN right after its noun, after "to" or "as", on its own line after a colon
    ("Replacement card sent, PIN 9027 follows by post", "9027"),
    ("PUK 66120983 if the SIM locks", "66120983"),
    ("Voicemail PIN changed to 31185.", "31185"),
    ("Her phone banking passcode was given as 4409 21", "4409 21"),
    # the value before the noun, in other languages and with a brand in between
    ("881204 est votre code de vérification.", "881204"),
    ("W-340912 is your Example Pay verification code", "340912"),
    # a password in a German compound, a Wi-Fi key, "it's", "pass"
    ("Benutzer k.roth, Initialkennwort Fr8!kWz2qL", "Fr8!kWz2qL"),
    ("WLAN-Passwort: Elbe2027-kai", "Elbe2027-kai"),
    ("Wi-Fi key set to Birch-3310-Lantern for the guests", "Birch-3310-Lantern"),
    ("the admin password, it's Hx4$ferry, sorry for mailing it", "Hx4$ferry"),
    ("sftp host files.example.com, user up01, pass Qw3rty!Up", "Qw3rty!Up"),
    ("The passphrase was changed to 'amber fox under water'", "amber fox under water"),
    # "code" alone in a sentence about keys or a door, the value maybe on the next line
    ("The keys are in the box by the garage, code\n6180.", "6180"),
    ("La llave está en la cajita del portal, código 2093", "2093"),
    # a password column of an export
    (
        "title,username,password,url\nMail,bob@example.com,Pl4in!Mail7,https://example.com\n",
        "Pl4in!Mail7",
    ),
    ("user;Passwort;Rolle\nalice;Rh7_x!p0;admin\n", "Rh7_x!p0"),
    # a key/value pair of a KeePass XML export
    (
        '<String><Key>Password</Key><Value ProtectInMemory="True">Dq2!Oak_88</Value></String>',
        "Dq2!Oak_88",
    ),
]

NEAR_MISSES = [
    "Alarm code: E07 (battery low)",
    "Join the call: meeting 884 1229 0113, passcode 551902",
    "building code: IBC 2021 section 1010",
    "Zoom access code: 844 7122 9033",
    "Your verification code has expired, ask for a new one.",
    "PIN changed on 03/12/2026 at 14:22.",
    "The PIN has 4 digits.",
    "Enter your PIN on the 2nd screen.",
    "Combination of 3 vitamins, 2 tablets a day.",
    "the password, it's expired",
    "Area code 0113, then the number.",
    "The door was fixed; order code 4471-2290 for the hinge.",
    "Door 3, postcode 10115, floor 2.",
    "Promo code SAVE2027 gives 10 % off.",
    "Error code 0x80070005 while installing.",
    "Security code of conduct, version 2.1",
    "title,username,password,url\nMail,bob@example.com,********,https://example.com\n",
]


@pytest.mark.parametrize(("text", "value"), SECRETS)
def test_secrets_said_in_prose_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_codes_that_open_nothing_are_left_alone(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SECRET"] == []
