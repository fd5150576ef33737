"""Round 16 of issue 21: the rule-based types in forms nobody here had written before —
identity numbers of other countries than the US, MAC addresses with no separator after a
blank or with dots, e-mail addresses URL-encoded, spelled with "underscore" or wrapped
after a hyphen, an IBAN cut by a quoted reply, a Wi-Fi QR code's password, session
cookies whose value is %-encoded, a password a tool prints under a line that ends with a
colon, and one-time codes listed in a sentence.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear (and, where the type matters, the
type it is replaced as); each near miss names text that must stay as it was."""

from __future__ import annotations

import pytest

from tests.redaction.detecting import found, leaked

NATIONAL_IDS = [
    ("Please confirm your NI number: AB 12 34 56 C before payroll runs.", "AB 12 34 56 C"),
    ("National Insurance No. NH123456A", "NH123456A"),
    ("DNI: 12345678Z (titular)", "12345678Z"),
    ("NIE X1234567L del arrendatario", "X1234567L"),
    ("Steuerliche Identifikationsnummer: 86095742719", "86095742719"),
    ("BSN 111222333 staat op het formulier", "111222333"),
    ("CPF: 123.456.789-09", "123.456.789-09"),
    ("PESEL 44051401359, data urodzenia 1944-05-14", "44051401359"),
    ("Codice fiscale: RSSMRA85T10A562S", "RSSMRA85T10A562S"),
    ("Personnummer 19811218-9876", "19811218-9876"),
    ("Aadhaar 2345 6789 0124 linked to the account", "2345 6789 0124"),
    ("SIN on file: 130 692 544", "130 692 544"),
    ("n° de sécurité sociale : 1 85 05 78 006 084 91", "1 85 05 78 006 084 91"),
    ("公民身份号码 11010519491231002X", "11010519491231002X"),
    ("ITIN 912-70-1234 for the contractor", "912-70-1234"),
]

NATIONAL_ID_NEAR_MISSES = [
    # the right shapes with a wrong check digit, or common digits with no label
    "DNI: 12345678A",
    "Order 86095742718 shipped",
    "BSN 111222334",
    "CPF: 123.456.789-00",
    "Codice fiscale: RSSMRA85T10A562X",
    "invoice 44051401359 paid",
    "build 2345 6789 0124 passed",
]

MACS = [
    ("Router label: MAC 9C5C8E1A2B3D", "9C5C8E1A2B3D"),
    ("the AP's mac address is 60A4B7C81D2E, please whitelist it", "60A4B7C81D2E"),
    ("sticker on the switch says 3c.22.fb.91.7a.0e", "3c.22.fb.91.7a.0e"),
    ("Wired NIC, MAC 00.50.56.10.20.08", "00.50.56.10.20.08"),
]

MAC_NEAR_MISSES = [
    "version 10.20.30.40.50.60 of the schema",
    "MAC 000000000000 is no device",
    "see section 12.04.11.02.03.01",
]

EMAILS = [
    ("GET /unsubscribe?email=sofia.marques%40sapo.pt&list=3", "sofia.marques%40sapo.pt"),
    ("mailto:anna.kowal%40wp.pl", "anna.kowal%40wp.pl"),
    ("drop a line to peter underscore lang at web dot de", "peter underscore lang at web dot de"),
    ("cc jo dash ellis at posteo dot de please", "jo dash ellis at posteo dot de"),
    ("from j.van-der-\nberg@tudelft-labs.nl yesterday", "j.van-der-\nberg@tudelft-labs.nl"),
]

SECRETS = [
    ("WIFI:S:Cafe Blau;T:WPA;P:Kaffee&Kuchen77;;", "Kaffee&Kuchen77"),
    ('wifi qr: WIFI:T:WPA2;S:Office-5G;P:"Zx9!Lm4Qw";H:true;;', "Zx9!Lm4Qw"),
    (
        "Cookie: connect.sid=s%3AQx7Wv2Kz9Tm4.Hk3Wz8Qx2Lm7Tv9Rp4Bc6Yd1; theme=dark",
        "s%3AQx7Wv2Kz9Tm4.Hk3Wz8Qx2Lm7Tv9Rp4Bc6Yd1",
    ),
    (
        "curl --cookie 'sid=k8x2qw7lzt4vm9rn3pc6yd1hf5gs0je; theme=light' https://shop.example.net/",
        "k8x2qw7lzt4vm9rn3pc6yd1hf5gs0je",
    ),
    (
        "Password for the grafana admin (reset with `grafana-cli admin reset-admin-password`):\n"
        "  Vq8=Lm2Xz7Tk4Wn9",
        "Vq8=Lm2Xz7Tk4Wn9",
    ),
    ("Initial password for admin (change on first login):\n\n    xQ8kLz2WmT4v", "xQ8kLz2WmT4v"),
    ("if you lose your phone, use the backup codes 4471 9823 or 6630 1157", "6630 1157"),
    ("the recovery codes are 7k2m9-q4x8z, p3w7t-1n6vb and 9hx2c-m4k7t", "9hx2c-m4k7t"),
    # JSON inside a string or a log line, its quotes escaped
    ('{"credentials":"{\\"password\\":\\"Qw7!Ez3Rt9Yu\\"}"}', "Qw7!Ez3Rt9Yu"),
    (
        'level=info msg="{\\"user\\":\\"svc\\",\\"api_key\\":\\"Qx7Wv2Kz9Tm4Lr8Nb3PcHk3W\\"}"',
        "Qx7Wv2Kz9Tm4Lr8Nb3PcHk3W",
    ),
    # a literal piped or given as a here-string to a command that stores a secret
    ('gcloud secrets versions add db-pass --data-file=- <<< "Gc7!Wq2Zx9Lm"', "Gc7!Wq2Zx9Lm"),
    ("echo -n 'Kc7!Wq2Zx9Lm' | docker secret create kc_admin -", "Kc7!Wq2Zx9Lm"),
    ('echo "Dh7!Qz2Wx9Lk" | docker login -u ci --password-stdin reg.acme.io', "Dh7!Qz2Wx9Lk"),
    ("printf '%s' 'Gh7!Wq2Zx9Lm' | gh secret set NPM_TOKEN", "Gh7!Wq2Zx9Lm"),
    ("echo 'alice:Ch7!Wq2Zx9Lm' | sudo chpasswd", "Ch7!Wq2Zx9Lm"),
    # a Wi-Fi passphrase given to wpa_passphrase, printed by netsh
    ("wpa_passphrase HomeNet 'Sonnenblume!2291'", "Sonnenblume!2291"),
    ("netsh wlan show profile name=Office key=clear\n    Key Content   : Zx9!Lm4Qw", "Zx9!Lm4Qw"),
]

SECRET_NEAR_MISSES = [
    "Cookie: theme=dark; lang=en-GB; consent=accepted",
    "Set-Cookie: _ga=GA1.2.1148822736.1765000000; Path=/; Domain=.shop.example.net",
    "WIFI:T:nopass;S:Cafe-Open;;",
    "Your new password (shown once):\n\n  ************",
    "Reset token (expires in 1h):\n  ${RESET_TOKEN}",
    "Password for the admin user (see the wiki):\n  /etc/app/admin.pass",
    "recovery codes for 2 accounts were printed",
    'echo "$CI_TOKEN" | docker login -u ci --password-stdin registry.acme.io',
    'echo "hello world" | grep hello',
    '{\\"name\\":\\"report\\",\\"status\\":\\"ok\\"}',
]


@pytest.mark.parametrize(("text", "value"), NATIONAL_IDS)
def test_identity_numbers_of_other_countries_are_replaced_as_ssn(text: str, value: str) -> None:
    assert leaked(text, value) == []
    assert ("SSN", value) in found(text)


@pytest.mark.parametrize("text", NATIONAL_ID_NEAR_MISSES)
def test_identity_shapes_without_their_check_or_label_are_no_ssn(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SSN"] == []


@pytest.mark.parametrize(("text", "value"), MACS)
def test_mac_addresses_after_a_blank_or_with_dots_are_replaced(text: str, value: str) -> None:
    assert ("MAC_ADDRESS", value) in found(text)


@pytest.mark.parametrize("text", MAC_NEAR_MISSES)
def test_dotted_numbers_without_a_hex_letter_or_label_are_no_mac(text: str) -> None:
    assert [f for f in found(text) if f[0] == "MAC_ADDRESS"] == []


@pytest.mark.parametrize(("text", "value"), EMAILS)
def test_encoded_spelled_and_wrapped_addresses_are_replaced(text: str, value: str) -> None:
    assert ("EMAIL", value) in found(text)


def test_an_iban_cut_by_a_quoted_reply_is_replaced_whole() -> None:
    text = "> send to IE29 AIBK 9311\n> 5212 3456 78 thanks"
    assert ("IBAN", "IE29 AIBK 9311\n> 5212 3456 78") in found(text)


def test_an_iban_written_with_dashes_is_replaced() -> None:
    assert ("IBAN", "DE89-3704-0044-0532-0130-00") in found("Konto: DE89-3704-0044-0532-0130-00")


def test_the_later_groups_of_a_uuid_are_no_dashed_iban() -> None:
    # "ab62-91c4-2e8d6f0a7b13" passes mod 97, but it is the tail of an id
    text = "request_id=5c1d9e2a-7b3f-ab62-91c4-2e8d6f0a7b13 done"
    assert [f for f in found(text) if f[0] == "IBAN"] == []


@pytest.mark.parametrize(("text", "value"), SECRETS)
def test_qr_cookie_banner_and_listed_secrets_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", SECRET_NEAR_MISSES)
def test_look_alikes_of_these_secrets_are_left_alone(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SECRET"] == []


# Later in round 16, from the misses of round 16's own held-back set (scored once, before
# and after, before these were written; the held-back figures of docs/PERFORMANCE.md do
# not include them).
LATER_SECRETS = [
    # one line of advice and a blank line between the heading and the codes
    (
        "Your GitLab recovery codes\nStore these somewhere safe, each works once.\n\n"
        "q7k2m-9x4z1\nb3w8t-1n6v0",
        "b3w8t-1n6v0",
    ),
    # the verb after more words than the noun
    ("Backup codes for the shop account are 8821 4471, 9930 1182 and 2207 6643", "2207 6643"),
    # a chat answer with an aside after a dash or a comma
    (
        "[09:12] jo: what's the password for the printer admin?\n"
        "[09:13] sam: Quill_7720 \u2014 user is admin",
        "Quill_7720",
    ),
    ("wifi pw?\n> Lantern!84, it's case sensitive", "Lantern!84"),
]

LATER_NEAR_MISSES = [
    # a checksum tool's output
    "$ sha256sum release.tar.gz\n"
    "9d2c4e7f1a8d3c6e0b5f9a2d7c4e1f8b3a6d0c5e9f2b7a4d1c8e3f6a0b5d9c2e  release.tar.gz",
    "b1946ac92492d2347c6235b4d2611184 *notes.txt",
    # advice after a heading, then no list of codes
    "Recovery codes\nKeep them somewhere safe.\n\nYou have 8 left.",
    "what's the vpn pw?\n[10:01] ben: dunno \u2014 ask IT",
]


@pytest.mark.parametrize(("text", "value"), LATER_SECRETS)
def test_later_codes_and_chat_answers_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", LATER_NEAR_MISSES)
def test_checksum_lines_and_advice_are_no_secret(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SECRET"] == []


def test_a_digest_that_is_a_value_is_still_a_secret() -> None:
    text = "token: 9d2c4e7f1a8d3c6e0b5f9a2d7c4e1f8b  # rotate monthly"
    assert leaked(text, "9d2c4e7f1a8d3c6e0b5f9a2d7c4e1f8b") == []
