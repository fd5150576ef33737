"""Round 15 of issue 21: secrets handed over with no noun right before them, the classes
that round 14's secrets held-back set (``bench/redaction/rulecases/
round14_secrets_heldback.jsonl``, tuning material since) and round 12's showed leaking: an
adverb between the verb and the value, a user and a password with a spaced slash, the
account and password a sentence signs in with, "it's just …" a line after the noun, a
Wi-Fi's value with no noun, a headerless password-manager row, the digits an alarm is
disarmed with; and the values given to a secret's name that are no secret.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from tests.redaction.detecting import found, leaked

SECRETS = [
    # an adverb between the verb and the value
    ("Het wachtwoord van de printer is nu Kopje7!Thee, niet doorsturen.", "Kopje7!Thee"),
    ("Das WLAN-Passwort ist nun Birne#4412", "Birne#4412"),
    ("The staging password is now Heron_Quay_58, tell the team.", "Heron_Quay_58"),
    ("Lösenordet är nu Granskog9!x", "Granskog9!x"),
    # a user and the password with a spaced slash after a word for an account
    ("login for the demo box: tester / Maple7#Creek", "Maple7#Creek"),
    ("Jenkins creds \u2192 builder / Qz8!rTm2Wx", "Qz8!rTm2Wx"),
    ("admin account is root / Pebble-Sand-41", "Pebble-Sand-41"),
    ("Guest WLAN: CoffeeCorner /\nbeans4everyone", "beans4everyone"),
    # the account and the password a sentence signs in with
    ("please sign in to the portal with reports@ and Ledger7!Moon", "Ledger7!Moon"),
    ("You can log in with Tr4vel#Desk until Monday.", "Tr4vel#Desk"),
    ("ssh into the box with deploy and Kx7!mW2qL", "Kx7!mW2qL"),
    # "it's just …" after the noun, a line later
    ("I'll phone you the password later... never mind,\nit's just Winter#Fern22", "Winter#Fern22"),
    ("Need the passcode for the PDF? it's Ribbon!8830", "Ribbon!8830"),
    # a Wi-Fi's value with no noun for it
    ("the wifi at the cabin is LAKEVIEW4471 (caps)", "LAKEVIEW4471"),
    ("WLAN im Büro ist jetzt Kaffee-Pause-77", "Kaffee-Pause-77"),
    # a password manager's row without its header
    ('"https://files.example.com/login","files","jdoe","Sailboat!73x"', "Sailboat!73x"),
    ("Portal,https://portal.example.com,jdoe,Cloud#Berry91,work account", "Cloud#Berry91"),
    # the digits an alarm is disarmed with
    ("to disarm the alarm enter 6624 then OFF", "6624"),
    ("Alarm: unscharf schalten mit 9137#", "9137"),
    ("Alarme : désarmer avec 4480 puis OK", "4480"),
    # a constructor's password after a secret's name, a log line after "auth:"
    ('var cred = new NetworkCredential("svc_sync", "Sync#Pass2026");', "Sync#Pass2026"),
    ("WARN auth: login attempt user=carol password=Orbit-Lamp-93 result=fail", "Orbit-Lamp-93"),
]

NEAR_MISSES = [
    # a slash between words or paths, no account
    "Choose read / write access for the bucket.",
    "Pick TCP / UDP2 in the dropdown.",
    "login page: /account / settings2",
    # signing in with a method, not a password
    "You can log in with your Google account or with SSO.",
    "Sign in with a passkey on the new laptop.",
    # "it's" without a noun before it, or with a word after it
    "The password policy changed. It's stricter now.",
    "It's Version2 of the form, the password field is optional.",
    # a Wi-Fi sentence with no value
    "The wifi is down since 10am.",
    "Our wifi at the office is slow today.",
    # a CSV with a URL and no password
    "id,url,title,views\n1,https://example.com/a,Intro,4412\n2,https://example.com/b,Setup,12",
    "name,url,notes\nDocs,https://docs.example.com,read this first",
    # an alarm without a code, a time
    "The alarm is disarmed at 07:30 every weekday.",
    "Disarm the alarm from the app before you open the door.",
    # what a secret's name is given that is no secret
    "2026-12-07T10:23:02Z WARN auth: invalid password for user=dave (attempt 2 of 5)",
    "2026-12-07T10:23:02Z INFO auth: login succeeded for user=dave",
    "var creds = new NetworkCredential(user, pass);",
    "SMTP_PASSWORD=changeme\nADMIN_PASSWORD=replace_me",
    "api_key: sk-...redacted\ntoken: ghp_...4f2a",
    "db_password: \"{{ lookup('vault', 'secret=kv/data/app:password') }}\"",
    "Meeting ID: 845 1276 3390, Passcode: weekly",
    "ssl_certificate_key /etc/ssl/private/example.com.key;",
]


@pytest.mark.parametrize(("text", "value"), SECRETS)
def test_secrets_with_no_noun_before_them_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_look_alikes_of_unnamed_secrets_are_left_alone(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SECRET"] == []


def test_a_wifi_sentence_about_another_thing_names_no_value() -> None:
    for text in ("the wifi name is CabinNet2024 now", "our wifi SSID is Guest5G2 at home"):
        assert [f for f in found(text) if f[0] == "SECRET"] == []


# Later in round 15, from the misses of round 15's own held-back set (scored once before
# these were written; the figures of docs/PERFORMANCE.md do not include them).
LATER_SECRETS = [
    # a compound with a hyphen, a Hebrew noun and verb
    ("VPN-hasło to Kwiat!77xz", "Kwiat!77xz"),
    ("Router-passord er Fjell#2290", "Fjell#2290"),
    (
        "\u05d4\u05e1\u05d9\u05e1\u05de\u05d4 \u05e9\u05dc \u05d4\u05e9\u05e8\u05ea "
        "\u05d4\u05d9\u05d0 Rimon!55",
        "Rimon!55",
    ),
    # a box that opens with a code, in German and French
    ("Die Schlüsselbox an der Garage öffnet sich mit 4417", "4417"),
    ("La boîte à clés s'ouvre avec 3308.", "3308"),
    # asked for in chat, answered with the value alone
    ("[09:01] ana: wifi password?\n[09:02] ben: Pine#Cone88", "Pine#Cone88"),
    ("what's the vpn pw?\n> Tide!Pool604", "Tide!Pool604"),
    # a value before its noun with two qualifiers
    ("Pz8!qW3xLm is the new admin password for the printers.", "Pz8!qW3xLm"),
]

LATER_NEAR_MISSES = [
    "what is the vpn password?\nno idea, ask IT",
    "wifi password?\nits on the fridge",
    'const dbPassword = config.requireSecret("dbPassword");',
    'curl -H "Authorization: Bearer <YOUR_TOKEN>" https://api.example.com/v1/me',
    "admin_password: changeme   # replaced by the installer",
    "Die Tür öffnet sich mit einem Summer.",
]


@pytest.mark.parametrize(("text", "value"), LATER_SECRETS)
def test_later_classes_of_unnamed_secrets_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", LATER_NEAR_MISSES)
def test_later_look_alikes_are_left_alone(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SECRET"] == []


def test_a_password_ending_in_a_bracket_is_no_call() -> None:
    assert leaked("DB_PASSWORD=q#48Ee(vY(\nAPP_ENV=production", "q#48Ee(vY(") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Gäste-WLAN: Seeblick\nSchlüssel\nMöwe-Hafen-2291", "Möwe-Hafen-2291"),
        ("Password\nHx8!pLm2", "Hx8!pLm2"),
    ],
)
def test_a_label_line_and_the_value_on_the_next_are_found(text: str, value: str) -> None:
    assert leaked(text, value) == []


def test_a_label_line_before_a_sentence_names_no_value() -> None:
    for text in ("Key\nrotate2024-monthly is the plan", "Password\nForgot-it", "Key\nF5 refresh"):
        assert [f for f in found(text) if f[0] == "SECRET"] == []
