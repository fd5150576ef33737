"""Round 11 of issue 21: the rule types (PHONE, SECRET) in the classes that round 10's
held-back half of ``bench/redaction/rulecases/`` (tuning material since) showed leaking,
and the configuration syntaxes the round's task names.

Written by hand for this round, none of them a text of either set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import LITERAL
from tests.redaction.detecting import found, leaked

PHONES = [
    # words between the word for a phone and the colon
    ("Telefono dell'ufficio: 02 8734 1190", "02 8734 1190"),
    ("Teléfono de guardia: 91 728 44 30", "91 728 44 30"),
    ("Mobile (IE): 87 661 2043", "87 661 2043"),
    ("phone (home): 612 330 871", "612 330 871"),
    # a slash with blanks between area code and number, two numbers in a row
    ("Fon 0711 / 48 22 19", "0711 / 48 22 19"),
    ("Tel. 040 / 55 71 32 / 0160 / 448 21 07", "040 / 55 71 32"),
    ("Tel. 040 / 55 71 32 / 0160 / 448 21 07", "0160 / 448 21 07"),
    # more extensions after the first one
    ("Standard 04 91 55 20 00, postes 3108 et 3109", "3109"),
    ("Call 0113 496 0321 ext. 410, 411 or 415", "411"),
    ("Call 0113 496 0321 ext. 410, 411 or 415", "415"),
    ("Zentrale 0221 88 410, Durchwahl 12 oder 14", "14"),
    # an extension word of another language alone, or after a number found without it
    ("Sekretariat: Durchwahl 237", "237"),
    ("Recepção (21) 2555-0190, ramal 44", "44"),
    ("Centralino 06 4471 2200 interno 318", "318"),
    # a seven-digit local number with the word for a phone after it
    ("Try 724-0193 tonight, ring me if it's busy", "724-0193"),
    ("742-8810 is my cell until Friday", "742-8810"),
    # the words of a phone line tell a national number's region
    ("fixo da loja (11) 3120-4471, ramal 9", "(11) 3120-4471"),
]

EXTENSION_TABLES = [
    ("| Desk | Line | Ext |\n|---|---|---|\n| Helpdesk | 0161 496 0210 | 4410 |", "4410"),
    ("name\tdurchwahl\nEmpfang\t120\nBuchhaltung\t134", "134"),
    ("team,extension,floor\nsales,x.221,2\nlegal,305,4", "305"),
]

SECRETS = [
    # one-time codes under their heading, one a line or several on the heading's line
    ("Backup codes:\n81ka-2mz7\n5tq0-r4wp\n\nStore them offline.", "5tq0-r4wp"),
    ("Your 2FA recovery codes: 7731 0452, 9924 1186", "9924 1186"),
    ("Recovery codes\n1. qz72-kk41\n2. mm03-v8tr", "mm03-v8tr"),
    # a passphrase's or a seed phrase's words, whatever they are
    ("the passphrase is two owls in a barn", "two owls in a barn"),
    ("Recovery phrase: amber slope violin canal pepper thunder wool orange dizzy", "dizzy"),
    ("mnemonic: cabin lava tomato glide rhythm frost", "cabin lava tomato glide rhythm frost"),
    # curl's quoted user and password with blanks, an FTP script, lftp
    ('curl -u "ops:blue sky at noon" https://ci.example.com/hook', "blue sky at noon"),
    ("ftp -inv files.example.com <<END\nuser backup Bk-Ftp-771\nbinary\nEND", "Bk-Ftp-771"),
    ("lftp -u deploy,Lf-Dep-55 sftp://files.example.com", "Lf-Dep-55"),
    # a name and a value parted by blanks alone (Dockerfile, Windows, a daemon)
    ("FROM python:3.12\nENV SMTP_PASSWORD Qe7-Lr2-Wn9", "Qe7-Lr2-Wn9"),
    ("setx GITLAB_TOKEN Gl-Tk-8Rw2Lq", "Gl-Tk-8Rw2Lq"),
    ("SetEnv DB_PASS 'Ap-Db-61x'", "Ap-Db-61x"),
    # Windows' net use, Oracle's user/password@, SQL's PASSWORD('…')
    ("net use \\\\files\\team /user:EXAMPLE\\bob Fs-Tm-4410", "Fs-Tm-4410"),
    ("sqlplus -s hr/Hr-Ora-77@//db.example.com:1521/PDB1", "Hr-Ora-77"),
    ("url: jdbc:oracle:thin:sales/Sl-0ra-2@db.example.com:1521:ORCL", "Sl-0ra-2"),
    ("SET PASSWORD FOR 'app'@'%' = PASSWORD('My-Old-41');", "My-Old-41"),
    ("ALTER ROLE report WITH LOGIN PASSWORD 'Rp-Pg-90';", "Rp-Pg-90"),
    # a secret's name abbreviated or glued to whose it is
    ("dbpass: Db-Gl-4471", "Db-Gl-4471"),
    ("rootpw {SSHA}Zq8Lw3Rx7Mp2Kt9Vn4", "{SSHA}Zq8Lw3Rx7Mp2Kt9Vn4"),
    ("masterauth Rd-Mst-2210", "Rd-Mst-2210"),
    ("wpa_psk=Ferry-Dock-18", "Ferry-Dock-18"),
    ("totp_seed: JBSWY3DPEHPK3PXPQ7", "JBSWY3DPEHPK3PXPQ7"),
    ('{"creds": "Cr-Json-509"}', "Cr-Json-509"),
]

OTHER_RULE_TYPES = [
    # a card in four dotted groups, a MAC address without separators after its label
    ("paid with 4012.8888.8888.1881 yesterday", "4012.8888.8888.1881"),
    ("wlan0 hwaddr=A48E7F1C2D9B state UP", "A48E7F1C2D9B"),
    ("BSSID: 9c5a44e1f07d", "9c5a44e1f07d"),
]

NEAR_MISSES = [
    # decimal numbers in a row, numbers labelled as a thing's or an error's
    "uptime 3 days, load 0.58 0.47 0.36",
    "load 0.61 0.44 0.29, since 09:15",
    "Setup exited with code 2147943714 after 12 s.",
    "batch 0151-2234567 replayed, lot 0160 4471 229 quarantined",
    "Order no. 0172-5581230 was cancelled.",
    # a counter's name and a log line of counters
    "auth.tokens.issued=88 auth.tokens.revoked=2 password.resets=1",
    "secret_rotation_days = 45",
    "auth_failures 12\nsecret_reads 88\nauth_latency_ms 12.5",
    "auth_backend ldap-2",
    "location / {\n  proxy_pass http://127.0.0.1:9000;\n}",
    "md5     4f9b2e7a1c3d5e8f0a2b4c6d8e0f1a3b  release.tar.gz",
    # a reference to a variable in Windows and PowerShell
    "set DB_PASSWORD=%VAULT_DB_PASSWORD%",
    "$password = $env:SERVICE_PASSWORD",
    # words after a secret's name that are no secret, a file's extension column
    "Password expired",
    "otp_enabled: true",
    "bypass = cache",
    "PasswordAuthentication no",
    "name,ext,size\nreport,pdf,120",
    "a 2 x 4, 5 grid (X11; Linux)",
    "Recovery codes are shown once; keep them somewhere safe.",
    "the passphrase is stored in the team vault",
    # four dotted groups that are a version, not a device or a card
    "installer 2024.1203.0001.0007 signed",
    "hwaddr=000000000000",
]


@pytest.mark.parametrize(("text", "value"), PHONES + EXTENSION_TABLES)
def test_phone_numbers_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize(("text", "value"), SECRETS)
def test_secrets_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize(("text", "value"), OTHER_RULE_TYPES)
def test_other_rule_types_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert [f for f in found(text) if f[0] != LITERAL] == []
