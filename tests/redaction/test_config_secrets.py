"""Secrets in configuration syntax, phone extensions, and the look-alikes that are not
personal data (issue 21). Each case names the value that must not stay in clear."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.rules import secret_name
from tests.redaction.detecting import ALL, leaked

SECRETS_IN_CONFIG = [
    # env files, and a keyword after "_" (no word boundary there)
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG"),
    ("GITHUB_TOKEN=abc123notaprefix", "abc123notaprefix"),
    ("STRIPE_SECRET=whatever123", "whatever123"),
    ("export DB_PASSWORD=Tr0ub4dor&3", "Tr0ub4dor&3"),
    ("SENDGRID_API_KEY='kq81.xx.yy'", "kq81.xx.yy"),
    ("MAPS_KEY=plainwordsonly", "plainwordsonly"),
    # YAML, with a quoted passphrase and an unquoted one
    ("db:\n  secret_key: abcdef\n  user: app", "abcdef"),
    ('password: "correct horse battery staple"', "correct horse battery staple"),
    ("  password: correct horse battery staple  # rotated", "correct horse battery staple"),
    ("- name: DB_PASS\n  value: x\n  password: tree frog moon", "tree frog moon"),
    # JSON, camelCase
    ('{"password": "p@ss w0rd", "user": "bob"}', "p@ss w0rd"),
    ('{"apiKey":"AbCdEf012345","clientSecret": "s3cr3t-value"}', "AbCdEf012345"),
    ('{"apiKey":"AbCdEf012345","clientSecret": "s3cr3t-value"}', "s3cr3t-value"),
    # INI and TOML
    ("[database]\npassword = hunter2\nhost = db", "hunter2"),
    ('[smtp]\nsmtp_password = "lemon tree 42"', "lemon tree 42"),
    ("[default]\naws_secret_access_key = 9drTJvcXLB89EXAMPLEKEYwJalrXUtnFEMI", "9drTJvcXLB89"),
    # .netrc
    ("machine api.example.com login alice password s3cr3t", "s3cr3t"),
    ("machine git.example.org\n  login bob\n  password plainpass", "plainpass"),
    # connection strings
    ("postgres://admin:Sup3rS3cret@db.internal:5432/app", "Sup3rS3cret"),
    ("mongodb+srv://svc:pa55word@cluster0.example.net/test", "pa55word"),
    ("Server=db;User Id=sa;Password=Yukon900;Database=app", "Yukon900"),
    ("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFy+/==;", "Zm9vYmFy"),
    # Authorization headers
    ('curl -H "Authorization: Bearer abc123def456" https://api.example.com', "abc123def456"),
    ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA"),
    ("X-Api-Key: k3y-for-the-api", "k3y-for-the-api"),
    ("headers = {'Authorization': 'token gho_short'}", "gho_short"),
    # CLI flags
    ("mysql -u root -pHunter22 mydb", "Hunter22"),
    ("sshpass -p 'pass phrase' ssh host", "pass phrase"),
    ("app --password hunter2 --verbose", "hunter2"),
    ("tool --api-key=XyZ123 run", "XyZ123"),
    ("curl -u alice:wonderland https://example.com", "wonderland"),
    ("docker login -u bob -p dckr_pat_abc registry.example.com", "dckr_pat_abc"),
    # XML, prose
    ("<password>s3cret!</password>", "s3cret!"),
    ("my password is hunter2, keep it", "hunter2"),
    ("Use passphrase 'blue marble sky' for the vault", "blue marble sky"),
    # secrets said in prose: a few words between the noun and the value, a code word
    # in quotes, "login is user / password", a symbol at the value's end
    ("Kim: use the code word 'blue fox jumps' to open it", "blue fox jumps"),
    ('the passphrase is "ten red cars" (no quotes)', "ten red cars"),
    ("new pw for the team inbox: Winter2025!", "Winter2025!"),
    ("login is root / Hunter2&x until Monday", "Hunter2&x"),
    ("my password is Tr0ub4dor&3.", "Tr0ub4dor&3"),
    # SQL's IDENTIFIED BY, and a .pgpass line (host:port:database:user:password)
    ("ALTER USER app IDENTIFIED BY 'Xy12abc!';", "Xy12abc!"),
    ("CREATE USER 'r'@'%' IDENTIFIED WITH mysql_native_password BY 'pw9Q';", "pw9Q"),
    ("db.internal:5432:appdb:alice:S3cretPw\n*:*:*:bob:other-pw", "S3cretPw"),
    ("db.internal:5432:appdb:alice:S3cretPw\n*:*:*:bob:other-pw", "other-pw"),
    # an env file's value with dots is a literal, not an attribute access
    ("DB_PASSWORD=Not.A.Drill", "Not.A.Drill"),
]


@pytest.mark.parametrize(
    "text",
    ["the password is expired.", "password = settings.db_password",
     "the default pin is configurable", "the password field is required"],
)  # fmt: skip
def test_prose_about_passwords_without_one_stays(text: str) -> None:
    assert detect_sync(text, [], Mapping(), Lists(), ALL) == []


@pytest.mark.parametrize(("text", "value"), SECRETS_IN_CONFIG)
def test_secrets_in_configuration_syntax_never_leak(text: str, value: str) -> None:
    assert leaked(text, value) == [], text


def test_a_random_token_right_after_an_equals_sign_is_a_secret() -> None:
    text = "callback?sig=Zq3xV8rT1mK9wP2sL7nB4cD6fG0hJ5 sent"
    assert leaked(text, "Zq3xV8rT1mK9wP2sL7nB4cD6fG0hJ5") == []


@pytest.mark.parametrize(
    "name",
    ["DB_PASSWORD", "aws_secret_access_key", "apiKey", "X-Api-Key", "STRIPE_KEY", "dbPass",
     "client-secret", "GITHUB_TOKEN", "Authorization", "pwd", "accesskey"],
)  # fmt: skip
def test_names_of_secrets(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    ["secretary", "tokenizer", "password_reset_url", "token_ttl", "key", "passport",
     "secretName", "password_file", "max_tokens", "keyboard", "monkey"],
)  # fmt: skip
def test_names_about_secrets_or_not_about_them(name: str) -> None:
    assert not secret_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "The secretary said the token is expired; password reset link sent.",
        "password: ${DB_PASSWORD}",
        "token = get_token()",
        "password: str = Field(...)",
        "api_key: null",
        "password_reset_url: https://example.com/reset",
        "max_tokens: 512",
    ],
)
def test_references_to_secrets_are_not_secrets(text: str) -> None:
    spans = detect_sync(text, [], Mapping(), Lists(), ALL)
    assert [s for s in spans if s.type == "SECRET"] == [], text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("call 555-010-0199 Ext. 1234 today", "1234"),
        ("call 555-010-0199 x.1234 today", "1234"),
        ("+44 20 7946 0958, ext 77", "77"),
        ("or the front desk, ext. 4412.", "4412"),
        ("Durchwahl: 030 1234567 Durchwahl 12", "12"),
        # the RFC 3966 form of tel: URIs and exported phone fields
        ("Phone: +44 20 7946 0958;ext=321", "321"),
        # a link-local IPv6 address with an EUI-64 id carries a MAC address
        ("host b7 fe80::a8bb:ccff:fedd:eeff%eth0 is up", "fe80::a8bb:ccff:fedd:eeff"),
    ],
)
def test_phone_extensions_are_part_of_the_number(text: str, value: str) -> None:
    assert leaked(text, value) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "curl http://127.0.0.1:8080/health and http://localhost:3000/",
        "listen on ::1 and 0.0.0.0, mask 255.255.255.0",
        "docs use 192.0.2.10, 198.51.100.7, 203.0.113.9 and 2001:db8::1",
        "upgrade to version 10.0.19041.1 (build 4.2.0.1)",
        "ISBN 978-0-306-40615-7 and 9780306406157",
        "request 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b failed at commit "
        "4f9a2c7e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a",
        "Zoom meeting ID 8561234567; tracking 9400 1118 9922 3100 0123 45; order #4155550123",
        # all-zero and broadcast MACs, subresource-integrity hashes, a command
        # substitution as a secret's value, a date range, a byte count in a table
        "eth9: link up, address 00:00:00:00:00:00, brd ff:ff:ff:ff:ff:ff",
        '<link integrity="sha512-Qm9vb2dsZUJvb2dsZTEyMzQ1Njc4OTBhYmNkZWZnaGlqa2xtbm9wcXJzdHV2"'
        ' rel="stylesheet">',
        "API_TOKEN=$(cat /run/secrets/token)",
        "  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}",
        "12:30:45:10:99",
        "rows from 2025-03-01..2025-03-31 were kept",
        "| bytes | 8812345678 | - |",
    ],
)
def test_look_alikes_that_are_not_personal_data_stay(text: str) -> None:
    assert detect_sync(text, [], Mapping(), Lists(), ALL) == [], text
