# ruff: noqa: E501, RUF001, S311 - hand-written corpus data: long template lines, names in many
# scripts, and a seeded (not cryptographic) RNG for reproducible values.
"""Write the independent redaction corpus (corpus.jsonl) from hand-written templates.

    uv run python bench/redaction/independent/build_corpus.py

Deterministic (seed below); the JSONL is committed next to this script. Each line is
``{"id", "kind", "negative", "tags", "text", "spans": [{"start", "end", "type", "value"}]}``.
Templates mark a labelled value as ``E(type, value)``; ``render`` strips the marks and
records the offsets, so a span can never drift from its text.

Labelling rules (decisions where a reviewer could differ):
- PERSON: every mention of a person in any form (full, given or family alone, initials
  form ``J. Smith``, ``SMITH, John``, a possessive without its ``'s``, a greeting).
  A name that only occurs inside an e-mail address is labelled as the EMAIL.
- ORG / LOCATION: customer and employer companies, and towns, in prose. Vendor and
  product names in technical identifiers (``STRIPE_SECRET``, ``nginx``) are not labelled.
- SECRET: the secret value only (not its key name, not quotes); in a connection string
  the password; in ``Authorization:`` the credential after the scheme.
- PHONE: the number; an extension (``Ext. 1234``) is labelled as a PHONE of its own, so a
  leaked extension counts as a leak.
- Values split across lines are one span whose value contains the line break.
- Negative texts contain no labelled value at all.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus_values import (
    ALNUM,
    AMBIGUOUS,
    BBANS,
    CORP_DOMAINS,
    HEX,
    IPV4_PRIVATE,
    IPV4_PUBLIC,
    IPV6,
    LATIN,
    MACS,
    ORGS,
    OTHER_SCRIPTS,
    PASSPHRASES,
    PASSWORDS,
    PHONES,
    PLACES,
    SSNS,
    URLSAFE,
    VENDORS,
    WEBMAIL,
    Person,
    api_key,
    card,
    iban,
    isbn13_luhn,
    token,
)

SEED = 20261206
HERE = Path(__file__).resolve().parent
OUT = HERE / "corpus.jsonl"

_MARK = re.compile("\x01([A-Z_]+)\x02(.*?)\x03", re.S)


def E(kind: str, value: str) -> str:
    assert value and "\x01" not in value
    return f"\x01{kind}\x02{value}\x03"


def P(v: str) -> str:
    return E("PERSON", v)


def render(marked: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        plain = marked[pos : m.start()]
        out.append(plain)
        length += len(plain)
        value = m.group(2)
        spans.append(
            {"start": length, "end": length + len(value), "type": m.group(1), "value": value}
        )
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    assert "\x01" not in text and "\x02" not in text and "\x03" not in text, text
    for s in spans:
        assert text[s["start"] : s["end"]] == s["value"]
    return text, spans


class Pick:
    """Draws values for one text; never repeats a person within it."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.used: set[str] = set()

    def person(self, pool: str = "any") -> Person:
        pools = {
            "latin": LATIN,
            "ambiguous": AMBIGUOUS,
            "other": OTHER_SCRIPTS,
            "any": LATIN + LATIN + AMBIGUOUS + OTHER_SCRIPTS,
        }[pool]
        while True:
            p = self.r.choice(pools)
            if p.full not in self.used:
                self.used.add(p.full)
                return p

    def email(self, p: Person, corp: bool | None = None) -> str:
        corp = self.r.random() < 0.5 if corp is None else corp
        return f"{p.ascii_local}@{self.r.choice(CORP_DOMAINS if corp else WEBMAIL)}"

    def phone(self) -> str:
        return self.r.choice(PHONES)

    def org(self) -> str:
        return self.r.choice(ORGS)

    def place(self) -> str:
        return self.r.choice(PLACES)

    def iban(self, spaced: bool | None = None) -> str:
        c, b = self.r.choice(BBANS)
        return iban(c, b, self.r.random() < 0.6 if spaced is None else spaced)

    def card(self) -> str:
        return card(self.r, self.r.choice(["none", "space", "dash"]))

    def ssn(self) -> str:
        return self.r.choice(SSNS)

    def ip(self) -> str:
        return self.r.choice(IPV4_PRIVATE + IPV4_PUBLIC + IPV4_PUBLIC + IPV6)

    def ipv4(self) -> str:
        return self.r.choice(IPV4_PUBLIC + IPV4_PRIVATE)

    def mac(self) -> str:
        return self.r.choice(MACS)

    def password(self) -> str:
        return self.r.choice(PASSWORDS)

    def key(self, vendor: str | None = None) -> str:
        return api_key(self.r, vendor or self.r.choice(VENDORS))

    def hexs(self, n: int) -> str:
        return token(self.r, HEX, n)

    def n(self, a: int, b: int) -> int:
        return self.r.randint(a, b)

    def choice_person(self, pool: list[Person]) -> Person:
        p = self.r.choice([q for q in pool if q.full not in self.used])
        self.used.add(p.full)
        return p

    def choice(self, seq: list[str]) -> str:
        return self.r.choice(seq)


def given_form(p: Person) -> str:
    """How a colleague addresses ``p`` in a greeting."""
    if p.script == "cjk-ja":
        return p.family
    if p.script == "cjk-zh" or p.script == "cjk-ko":
        return p.full
    return p.given


def greeting_name(p: Person) -> str:
    if p.script == "cjk-ja":
        return f"{P(p.family)}さん"
    if p.script == "cyrillic":
        return P(p.given)
    return P(given_form(p))


# ---------------------------------------------------------------- positive templates

Template = Callable[[Pick], str]
POSITIVE: list[tuple[str, list[str], Template]] = []
NEGATIVE: list[tuple[str, list[str], Template]] = []


def pos(kind: str, *tags: str) -> Callable[[Template], Template]:
    def wrap(fn: Template) -> Template:
        POSITIVE.append((kind, list(tags), fn))
        return fn

    return wrap


def neg(kind: str, *tags: str) -> Callable[[Template], Template]:
    def wrap(fn: Template) -> Template:
        NEGATIVE.append((kind, list(tags), fn))
        return fn

    return wrap


@pos("email", "signature", "repeated-forms")
def mail_signature(k: Pick) -> str:
    a, b = k.person(), k.person("latin")
    org = k.org()
    return (
        f"Hi {greeting_name(a)},\n\n"
        f"thanks for the call earlier. As agreed I've asked {P(b.initial)} to send the signed "
        f"amendment before Friday; {P(b.given)}'s team still needs the PO number.\n\n"
        f"Best regards,\n{P(b.full)}\nSenior Account Manager | {E('ORG', org)}\n"
        f"T: {E('PHONE', k.phone())}  M: {E('PHONE', k.phone())}\n"
        f"{E('EMAIL', k.email(b, corp=True))}\n"
    )


@pos("email", "signature", "extension")
def mail_extension(k: Pick) -> str:
    a = k.person("latin")
    ext = str(k.n(100, 9999))
    form = k.choice(
        ["Ext. {}", "ext.{}", "x.{}", "x{}", "extension {}", "Durchwahl -{}", "poste {}"]
    )
    phone = k.phone()
    ext_text = form.replace("{}", E("PHONE", ext))
    return (
        f"Please ring reception on {E('PHONE', phone)} {ext_text} and ask for "
        f"{P(a.full)}. If {P(a.given)} is out, leave a message.\n--\n{P(a.initial)}\n"
    )


@pos("email", "forwarded", "other-script")
def mail_forwarded(k: Pick) -> str:
    a, b = k.person("other"), k.person()
    ea = k.email(a)
    return (
        f"---------- Forwarded message ---------\n"
        f"From: {P(a.full)} <{E('EMAIL', ea)}>\n"
        f"Date: Tue, 3 Nov 2026 at 09:14\nSubject: Re: contract renewal\n"
        f"To: {P(b.full)} <{E('EMAIL', k.email(b, corp=True))}>\n\n"
        f"{greeting_name(b)}, 请查收附件。 Regards, {P(a.initial)}\n"
    )


@pos("email", "name-in-local-part")
def mail_local_part_only(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"Could someone add {E('EMAIL', k.email(a, corp=True))} to the #payroll-ops channel? "
        f"Their manager approved it in the ticket.\n"
    )


@pos("email", "inverted-name", "hr")
def mail_hr_export(k: Pick) -> str:
    a, b = k.person("latin"), k.person("ambiguous")
    return (
        f"Subject: Leaver checklist\n\nEmployee: {P(a.inverted)}\nLine manager: {P(b.inverted)}\n"
        f"Last day: 2026-12-18\nNotes: {P(a.given)} returns the laptop to {P(b.given)} in "
        f"{E('LOCATION', k.place())}. Final salary to {E('IBAN', k.iban())}.\n"
    )


@pos("email", "ambiguous-name")
def mail_ambiguous(k: Pick) -> str:
    a = k.person("ambiguous")
    return (
        f"{P(a.given)} will send the figures tomorrow. If the bill is late, ask {P(a.given)} "
        f"directly - {P(a.given.lower())} is fine with being pinged. "
        f"({P(a.full)}, {E('PHONE', k.phone())})\n"
    )


@pos("email", "ambiguous-name", "sentence-start")
def mail_ambiguous_start(k: Pick) -> str:
    a = k.person("ambiguous")
    b = k.person("latin")
    return (
        f"{P(a.given)} and {P(b.given)} met the auditors on Monday. {P(a.family)} thinks the grace "
        f"period will hold; {P(b.family)} is less sure. Cc: {E('EMAIL', k.email(a, corp=True))}\n"
    )


@pos("ticket", "support")
def ticket_basic(k: Pick) -> str:
    a = k.person()
    n = k.n(10000, 99999)
    return (
        f"Ticket #{n} | Priority: P2 | Status: open\n"
        f"Requester: {P(a.full)} ({E('EMAIL', k.email(a))})\n"
        f"Callback: {E('PHONE', k.phone())}\n"
        f"Description: Customer cannot log in since the update. Tried reset twice. "
        f"Last login from {E('IP_ADDRESS', k.ip())}.\n"
        f"Agent note: spoke to {P(a.initial if a.latin else a.family)}, escalated to L2.\n"
    )


@pos("ticket", "card", "glued-punctuation")
def ticket_card(k: Pick) -> str:
    a = k.person("latin")
    c = k.card()
    return (
        f"Refund request from {P(a.full)}: charged twice on card ({E('CREDIT_CARD', c)}), "
        f'exp 09/28. Amount EUR 149.00."{P(a.family)}" asked for the refund to go to '
        f"IBAN:{E('IBAN', k.iban(spaced=False))}.\n"
    )


@pos("ticket", "line-split")
def ticket_line_split(k: Pick) -> str:
    a = k.person("latin")
    ib = k.iban(spaced=True)
    cut = ib.index(" ", 8)
    split_iban = ib[:cut] + "\n" + ib[cut + 1 :]
    return (
        f"> Please pay the invoice to my account\n> {E('IBAN', split_iban)}\n"
        f"> Thanks, {P(a.given)}\n\nAgent: verified with {P(a.full)} by phone "
        f"({E('PHONE', k.phone())}).\n"
    )


@pos("ticket", "ssn", "us")
def ticket_ssn(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"W-9 mismatch for contractor {P(a.full)}. SSN on file {E('SSN', k.ssn())} does not "
        f"match the form. {P(a.family.upper())} to resend; mail to {E('EMAIL', k.email(a, False))}.\n"
    )


@pos("chat", "repeated-forms", "lowercase")
def chat_slack(k: Pick) -> str:
    a, b = k.person("latin"), k.person("latin")
    return (
        f"[09:02] {P(a.given)}: morning! did {P(b.given.lower())} get the vpn creds?\n"
        f"[09:03] {P(b.full)}: yes thx, {P(a.given)}\n"
        f"[09:05] {P(b.full)}: btw my new number is {E('PHONE', k.phone())}\n"
        f"[09:06] {P(a.given)}: noted. ping {P(b.family)} if the "
        f"{E('ORG', k.org())} demo slips\n"
    )


@pos("chat", "other-script")
def chat_other_script(k: Pick) -> str:
    a = k.person("other")
    b = k.person("other")
    return (
        f"{P(a.full)}: 明天的会议改到三点了\n"
        f"{P(b.full)}: ok, I'll tell {P(a.initial)}'s team. Call me at {E('PHONE', k.phone())}\n"
        f"{P(a.full)}: 👍 {greeting_name(b)}\n"
    )


@pos("chat", "whatsapp")
def chat_whatsapp(k: Pick) -> str:
    a, b = k.person(), k.person("ambiguous")
    return (
        f"[12/03/2026, 18:41:07] {P(a.full)}: The card is {E('CREDIT_CARD', k.card())} "
        f"use it for the hotel pls\n"
        f"[12/03/2026, 18:42:55] {P(b.full)}: ok. Bill me later 😄\n"
        f"[12/03/2026, 18:43:10] {P(a.full)}: PIN is not needed. {P(b.given)}, stay safe in "
        f"{E('LOCATION', k.place())}!\n"
    )


@pos("chat", "discord", "secret")
def chat_secret_paste(k: Pick) -> str:
    a = k.person("latin")
    v = k.choice(VENDORS)
    return (
        f"{P(a.given)}: oops, I pasted my token in the wrong channel: {E('SECRET', k.key(v))}\n"
        f"{P(a.given)}: rotating it now, please don't copy\n"
    )


@pos("log", "app-log")
def log_app(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"2026-11-30T14:22:08.113Z INFO  auth.login user={E('EMAIL', k.email(a))} "
        f'ip={E("IP_ADDRESS", k.ip())} ua="Mozilla/5.0" result=success\n'
        f"2026-11-30T14:22:09.870Z WARN  billing.charge card_last4=4242 "
        f'customer="{P(a.full)}" retry=1\n'
        f"2026-11-30T14:22:10.004Z DEBUG http.request GET /api/v2/orders?page=2 200 18ms\n"
    )


@pos("log", "access-log")
def log_access(k: Pick) -> str:
    ip = k.ipv4()
    return (
        f'{E("IP_ADDRESS", ip)} - - [30/Nov/2026:14:22:08 +0000] "GET /account/settings HTTP/1.1" '
        f'200 5123 "-" "curl/8.5.0"\n'
        f'127.0.0.1 - - [30/Nov/2026:14:22:09 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"\n'
    )


@pos("log", "secret", "debug-dump")
def log_header_dump(k: Pick) -> str:
    tok = k.key(k.choice(["jwt", "openai", "github", "okta", "vault"]))
    basic = token(k.r, ALNUM, 28) + "=="
    return (
        f"DEBUG urllib3 send: b'POST /v1/charges HTTP/1.1\\r\\nHost: api.internal\\r\\n"
        f"Authorization: Bearer {E('SECRET', tok)}\\r\\n'\n"
        f'DEBUG proxy upstream auth header="Authorization: Basic {E("SECRET", basic)}"\n'
    )


@pos("log", "mac", "network")
def log_dhcp(k: Pick) -> str:
    a = k.person("latin")
    owner = a.given.lower().replace(" ", "")
    return (
        f"Nov 30 08:01:12 gw dnsmasq-dhcp[811]: DHCPACK(br0) {E('IP_ADDRESS', k.r.choice(IPV4_PRIVATE))} "
        f"{E('MAC_ADDRESS', k.mac())} {P(owner)}s-macbook\n"
        f"Nov 30 08:01:13 gw kernel: [UFW BLOCK] IN=eth0 SRC={E('IP_ADDRESS', k.r.choice(IPV4_PUBLIC))} "
        f"DST={E('IP_ADDRESS', '10.0.0.1')} PROTO=TCP DPT=22\n"
    )


@pos("crm", "notes", "repeated-forms")
def crm_note(k: Pick) -> str:
    a = k.person()
    org = k.org()
    fam = a.family
    return (
        f"Account: {E('ORG', org)}\nContact: {P(a.full)}, Head of Procurement\n"
        f"Phone: {E('PHONE', k.phone())} | Email: {E('EMAIL', k.email(a, True))}\n"
        f"2026-11-12 call: {P(fam)} wants a 3-year deal, budget approved in Q1. "
        f"{P(fam.upper() if a.latin else fam)} asked for references in {E('LOCATION', k.place())}.\n"
        f"Next step: send deck to {P(given_form(a))}.\n"
    )


@pos("crm", "notes", "possessive")
def crm_possessive(k: Pick) -> str:
    a, b = k.person("latin"), k.person("ambiguous")
    return (
        f"- {P(a.given)}'s assistant ({P(b.full)}) handles scheduling; {P(b.given)}'s calendar "
        f"link is {E('URL', 'https://calendly.com/' + b.ascii_local.replace('.', '-'))}\n"
        f"- {P(a.family)}'s deputy is out until January.\n"
    )


@pos("code", "python", "secret")
def code_python(k: Pick) -> str:
    a = k.person("latin")
    v = k.choice(["openai", "anthropic", "hf", "stripe", "sendgrid", "mailgun"])
    return (
        f"import os\nimport requests\n\n# TODO({P(a.given.lower())}): move to vault\n"
        f'API_KEY = "{E("SECRET", k.key(v))}"\n'
        f"DB_PASSWORD = '{E('SECRET', k.password())}'\n\n"
        f'def notify():\n    requests.post(URL, json={{"to": "{E("EMAIL", k.email(a))}"}},\n'
        f'                  headers={{"Authorization": f"Bearer {{API_KEY}}"}}, timeout=5)\n'
    )


@pos("code", "javascript", "secret")
def code_js(k: Pick) -> str:
    return (
        f"const client = new Client({{\n  apiKey: process.env.KEY ?? '{E('SECRET', k.key())}',\n"
        f"  webhookSecret: \"{E('SECRET', k.key('stripe_webhook'))}\",\n  region: 'eu-west-1',\n}});\n"
        f"fetch(url, {{ headers: {{ 'x-api-key': '{E('SECRET', k.key('google'))}' }} }});\n"
    )


@pos("code", "sql")
def code_sql(k: Pick) -> str:
    a, b = k.person(), k.person("latin")
    return (
        f"INSERT INTO customers (id, full_name, email, phone, iban) VALUES\n"
        f"  (1041, '{P(a.full)}', '{E('EMAIL', k.email(a))}', '{E('PHONE', k.phone())}', "
        f"'{E('IBAN', k.iban(False))}'),\n"
        f"  (1042, '{P(b.full.replace(chr(39), chr(39) * 2))}', '{E('EMAIL', k.email(b))}', NULL, NULL);\n"
        f"-- migrated by {P(b.initial)} on 2026-10-02\n"
        f"CREATE USER report_ro WITH PASSWORD '{E('SECRET', k.password())}';\n"
    )


@pos("code", "curl", "secret")
def code_curl(k: Pick) -> str:
    form = k.choice(["bearer", "user", "header_key", "query"])
    key = k.key(
        k.choice(["openai", "anthropic", "github", "gitlab", "datadog", "linear", "notion"])
    )
    if form == "bearer":
        cmd = f'curl -s {E("URL", "https://api.vendor.example/v1/me")} -H "Authorization: Bearer {E("SECRET", key)}"'
    elif form == "user":
        cmd = f"curl -u deploy:{E('SECRET', k.password())} {E('URL', 'https://registry.internal.example/v2/_catalog')}"
    elif form == "header_key":
        cmd = f"curl -X POST -H 'X-Api-Key: {E('SECRET', key)}' -d @payload.json {E('URL', 'https://hooks.example.net/ingest')}"
    else:
        cmd = f"curl '{E('URL', 'https://api.vendor.example/search')}?q=test&api_key={E('SECRET', key)}'"
    return f'$ {cmd}\n{{"ok": true}}\n'


@pos("code", "cli-flags", "secret")
def code_cli(k: Pick) -> str:
    forms = [
        f"mysql -h db1 -u admin -p{E('SECRET', k.password())} sales",
        f"mysql -h db1 -u admin --password={E('SECRET', k.password())} sales",
        f"docker login {E('URL', 'registry.example.net')} -u ci -p {E('SECRET', k.password())}",
        f"psql --host={E('IP_ADDRESS', '10.0.0.5')} --username=app --password '{E('SECRET', k.password())}'",
        f"./deploy.sh --api-token {E('SECRET', k.key())} --env prod",
        f"htpasswd -b /etc/nginx/.htpasswd ops {E('SECRET', k.password())}",
        f"sshpass -p '{E('SECRET', k.password())}' ssh ops@bastion",
        f"export PGPASSWORD={E('SECRET', k.password())}",
        f"vault login -method=userpass username=ops password={E('SECRET', k.password())}",
        f'az login --service-principal -u app-id -p "{E("SECRET", k.password())}" --tenant t1',
    ]
    return "".join(f"$ {form}\n" for form in k.r.sample(forms, 3))


@pos("config", "env", "secret")
def cfg_env(k: Pick) -> str:
    return (
        f"# production .env\nNODE_ENV=production\nPORT=8080\n"
        f"AWS_ACCESS_KEY_ID={E('SECRET', k.key('aws_id'))}\n"
        f"AWS_SECRET_ACCESS_KEY={E('SECRET', k.key('aws_secret'))}\n"
        f"GITHUB_TOKEN={E('SECRET', k.key(k.choice(['github', 'github_pat'])))}\n"
        f"STRIPE_SECRET={E('SECRET', k.key('stripe'))}\n"
        f"DB_PASSWORD={E('SECRET', k.password())}\n"
        f'SESSION_SECRET="{E("SECRET", token(k.r, URLSAFE, 32))}"\n'
        f"LOG_LEVEL=info\n"
    )


@pos("config", "env", "secret")
def cfg_env_small(k: Pick) -> str:
    name = k.choice(
        [
            "SLACK_BOT_TOKEN",
            "HF_TOKEN",
            "OPENAI_API_KEY",
            "SENDGRID_API_KEY",
            "NPM_TOKEN",
            "DATADOG_API_KEY",
            "DO_TOKEN",
            "TELEGRAM_TOKEN",
            "VAULT_TOKEN",
            "NOTION_KEY",
            "FIGMA_TOKEN",
            "DATABRICKS_TOKEN",
        ]
    )
    vendor = {
        "SLACK_BOT_TOKEN": "slack_bot",
        "HF_TOKEN": "hf",
        "OPENAI_API_KEY": "openai",
        "SENDGRID_API_KEY": "sendgrid",
        "NPM_TOKEN": "npm",
        "DATADOG_API_KEY": "datadog",
        "DO_TOKEN": "digitalocean",
        "TELEGRAM_TOKEN": "telegram",
        "VAULT_TOKEN": "vault",
        "NOTION_KEY": "notion",
        "FIGMA_TOKEN": "figma",
        "DATABRICKS_TOKEN": "databricks",
    }[name]
    return f"{name}={E('SECRET', k.key(vendor))}\nREDIS_URL=redis://localhost:6379/0\n"


@pos("config", "yaml", "secret")
def cfg_yaml(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"database:\n  host: db.internal\n  port: 5432\n  user: app\n"
        f'  password: "{E("SECRET", k.choice(PASSPHRASES))}"\n'
        f"smtp:\n  username: {E('EMAIL', k.email(a, True))}\n  secret_key: {E('SECRET', k.key('sendgrid'))}\n"
        f"owner: {P(a.full)}\n"
    )


@pos("config", "json", "secret")
def cfg_json(k: Pick) -> str:
    return (
        "{\n"
        f'  "service": "billing",\n  "client_secret": "{E("SECRET", token(k.r, URLSAFE, 40))}",\n'
        f'  "apiKey": "{E("SECRET", k.key())}",\n'
        f'  "admin": {{"password": "{E("SECRET", k.password())}"}},\n  "timeout": 30\n}}\n'
    )


@pos("config", "ini", "secret")
def cfg_ini(k: Pick) -> str:
    return (
        f"[client]\nuser = backup\npassword = {E('SECRET', k.password())}\nhost = {E('IP_ADDRESS', '10.1.2.3')}\n\n"
        f"[s3]\naccess_key = {E('SECRET', k.key('aws_id'))}\n"
        f"secret_key = {E('SECRET', k.key('aws_secret'))}\n"
    )


@pos("config", "toml", "secret")
def cfg_toml(k: Pick) -> str:
    return (
        f'[tool.poetry.source]\nname = "private"\n\n[auth]\n'
        f'token = "{E("SECRET", k.key(k.choice(["pypi", "npm", "gitlab", "docker"])))}"\n'
        f"password = '{E('SECRET', k.password())}'\n"
    )


@pos("config", "netrc", "secret")
def cfg_netrc(k: Pick) -> str:
    return (
        f"machine {E('URL', 'api.heroku.com')}\n  login {E('EMAIL', k.email(k.person('latin')))}\n"
        f"  password {E('SECRET', token(k.r, HEX, 8) + '-' + token(k.r, HEX, 4) + '-' + token(k.r, HEX, 4) + '-' + token(k.r, HEX, 4) + '-' + token(k.r, HEX, 12))}\n"
        f"machine {E('URL', 'git.example.net')} login ci password {E('SECRET', k.password())}\n"
    )


@pos("config", "docker-compose", "secret")
def cfg_compose(k: Pick) -> str:
    pw = k.password()
    return (
        f"services:\n  db:\n    image: postgres:16.4\n    environment:\n"
        f"      POSTGRES_PASSWORD: {E('SECRET', pw)}\n"
        f"      - MINIO_ROOT_PASSWORD={E('SECRET', k.password())}\n"
        f"  app:\n    environment:\n"
        f"      DATABASE_URL: postgres://app:{E('SECRET', pw)}@db:5432/app\n"
    )


@pos("config", "connection-string", "secret")
def cfg_connstr(k: Pick) -> str:
    forms = [
        f"postgres://report_user:{E('SECRET', k.password())}@db.prod.internal:5432/analytics",
        f"mongodb+srv://admin:{E('SECRET', k.password())}@{E('URL', 'cluster0.ab1cd.mongodb.net/test')}",
        f"mysql://root:{E('SECRET', k.password())}@127.0.0.1:3306/shop",
        f"amqp://guest:{E('SECRET', k.password())}@rabbit:5672/",
        f"redis://:{E('SECRET', k.password())}@cache.internal:6379/0",
        f"Server=tcp:sql1.internal,1433;Database=crm;User ID=crm_app;Password={E('SECRET', k.password())};Encrypt=True;",
        f"DefaultEndpointsProtocol=https;AccountName=stor01;AccountKey={E('SECRET', k.key('azure_storage'))};EndpointSuffix={E('URL', 'core.windows.net')}",
    ]
    names = ["primary", "replica", "reports"]
    return "".join(f"{n}: {f}\n" for n, f in zip(names, k.r.sample(forms, 2), strict=False))


@pos("config", "pem", "secret")
def cfg_pem(k: Pick) -> str:
    body = "\n".join(token(k.r, ALNUM + "+/", 64) for _ in range(4))
    block = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----"
    return f"Here is the deploy key, delete after use:\n\n{E('SECRET', block)}\n"


@pos("markdown", "table")
def md_table(k: Pick) -> str:
    rows = []
    for _ in range(3):
        p = k.person()
        rows.append(
            f"| {P(p.full)} | {E('EMAIL', k.email(p))} | {E('PHONE', k.phone())} | on call |"
        )
    return "| Name | E-mail | Phone | Role |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"


@pos("markdown", "table", "inverted-name")
def md_table_inverted(k: Pick) -> str:
    a, b = k.person("latin"), k.person("ambiguous")
    return (
        f"| Owner | Host | IP | MAC |\n|:--|:--|:--|:--|\n"
        f"| {P(a.inverted)} | build-07 | {E('IP_ADDRESS', k.ip())} | {E('MAC_ADDRESS', k.mac())} |\n"
        f"| {P(b.inverted)} | build-08 | {E('IP_ADDRESS', k.ip())} | {E('MAC_ADDRESS', k.mac())} |\n"
    )


@pos("meeting", "notes", "repeated-forms")
def meeting_notes(k: Pick) -> str:
    a, b, c = k.person("latin"), k.person("ambiguous"), k.person()
    return (
        f"## Weekly sync - 2026-11-26\nAttendees: {P(a.full)}, {P(b.full)}, {P(c.full)}\n\n"
        f"- {P(a.initial)} presented the Q4 numbers; {P(b.given)} will follow up with "
        f"{E('ORG', k.org())}.\n- Action ({P(c.initial if c.latin else c.family)}): book travel to "
        f"{E('LOCATION', k.place())}.\n- {P(a.family)} and {P(b.family)} to review the contract.\n"
    )


@pos("meeting", "transcript", "other-script")
def meeting_transcript(k: Pick) -> str:
    a, b = k.person("other"), k.person("latin")
    return (
        f"[00:01:12] {P(a.full)}: Good morning everyone.\n"
        f"[00:01:15] {P(b.full)}: Morning {P(given_form(a))}. Can you share the screen?\n"
        f"[00:02:40] {P(a.full)}: My mobile is {E('PHONE', k.phone())} if the line drops.\n"
    )


@pos("letter", "titles")
def letter_titles(k: Pick) -> str:
    a = k.person()
    title = k.choice(["Dr.", "Mr.", "Ms.", "Prof.", "Mrs."])
    return (
        f"Dear {title} {P(a.family)},\n\nYour appointment at {E('ORG', k.org())} is confirmed for "
        f"14 January. Please bring the referral letter.\n\nKind regards\nClinic office\n"
    )


@pos("letter", "glued-punctuation")
def glued(k: Pick) -> str:
    a = k.person("latin")
    e = k.email(a)
    return (
        f"Contact:{P(a.full)};email:{E('EMAIL', e)};tel:{E('PHONE', k.phone())};"
        f"ip:{E('IP_ADDRESS', k.ipv4())}.({P(a.given)}){E('EMAIL', e)}.\n"
    )


@pos("letter", "line-split")
def line_split_name(k: Pick) -> str:
    a = k.person("latin")
    c = k.card().replace("-", " ")
    parts = c.split(" ")
    split_card = " ".join(parts[:2]) + "\n" + " ".join(parts[2:]) if len(parts) > 2 else c
    return (
        f"Please charge the balance to the card of {P(a.given)}\n{P(a.family)} (cardholder):\n"
        f"{E('CREDIT_CARD', split_card)}\nThank you.\n"
    )


@pos("ticket", "multilingual", "other-script")
def ticket_cyrillic(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "cyrillic"])
    return (
        f"Обращение от {P(a.full)}: не приходит SMS-код на номер {E('PHONE', k.phone())}. "
        f"Почта: {E('EMAIL', k.email(a))}. {P(a.family)} просит перезвонить.\n"
    )


@pos("email", "many-types")
def mail_many(k: Pick) -> str:
    a = k.person()
    return (
        f"Hello,\n\nmy details for the transfer: {P(a.full)}, {E('IBAN', k.iban())}, "
        f"card {E('CREDIT_CARD', k.card())}. I moved to {E('LOCATION', k.place())} last month, "
        f"so the old address is no longer valid. You can reach me at {E('EMAIL', k.email(a))}.\n\n"
        f"{P(a.initial)}\n"
    )


@pos("email", "url", "personal-url")
def mail_urls(k: Pick) -> str:
    a = k.person("latin")
    slug = a.ascii_local.replace(".", "-")
    return (
        f"My portfolio is at {E('URL', f'https://{slug}.github.io/')} and my profile at "
        f"{E('URL', f'https://www.linkedin.com/in/{slug}-{k.n(10, 99)}')}.\n— {P(a.full)}\n"
    )


def _fill_positive(r: random.Random, count: int) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        kind, tags, fn = POSITIVE[i % len(POSITIVE)]
        text, spans = render(fn(Pick(r)))
        out.append(
            {
                "kind": kind,
                "tags": [*tags, fn.__name__],
                "negative": False,
                "text": text,
                "spans": spans,
            }
        )
    return out


# ---------------------------------------------------------------- negative templates


@neg("release-notes", "versions")
def n_release(k: Pick) -> str:
    v = f"{k.n(1, 9)}.{k.n(0, 30)}.{k.n(0, 20)}"
    return (
        f"## Release {v} (build {k.n(20260000, 20269999)}.{k.n(1, 9)})\n"
        f"- Bumped openssl to 3.0.{k.n(10, 15)} and libcurl to 8.{k.n(1, 11)}.{k.n(0, 5)}\n"
        f"- Will now retry transient 503s (see RFC 9110 §15.6.4)\n"
        f"- Grace period for expired tokens lowered to 30 s\n"
    )


@neg("log", "loopback")
def n_loopback(k: Pick) -> str:
    return (
        f"INFO  Uvicorn running on http://127.0.0.1:{k.n(3000, 9999)} (Press CTRL+C to quit)\n"
        f"INFO  Listening on [::1]:{k.n(3000, 9999)} and 0.0.0.0:{k.n(3000, 9999)}\n"
        f"DEBUG resolver 127.0.0.53 answered in 2 ms\n"
    )


@neg("docs", "documentation-addresses")
def n_doc_addresses(k: Pick) -> str:
    return (
        f"Example: route 192.0.2.{k.n(1, 254)}/32 via 198.51.100.{k.n(1, 254)}; the IPv6 "
        f"equivalent is 2001:db8:{k.n(1, 999)}::{k.n(1, 99)}/128. Clients in 203.0.113.0/24 "
        f"are rejected with 403.\n"
    )


@neg("log", "uuids")
def n_uuids(k: Pick) -> str:
    def u() -> str:
        h = k.hexs(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    return (
        f"2026-11-30T10:00:01Z request_id={u()} trace_id={k.hexs(32)} span_id={k.hexs(16)} "
        f"status=200 duration_ms={k.n(1, 900)}\n"
        f"2026-11-30T10:00:02Z job={u()} state=SUCCEEDED attempts=1\n"
    )


@neg("vcs", "git-hashes")
def n_git(k: Pick) -> str:
    h = k.hexs(40)
    return (
        f"commit {h}\nMerge: {h[:7]} {k.hexs(7)}\nDate:   Mon Nov 30 10:12:44 2026 +0000\n\n"
        f"    Fix off-by-one in pagination (#{k.n(100, 9999)})\n\n"
        f"sha256:{k.hexs(64)}  dist/app-{k.n(1, 4)}.{k.n(0, 9)}.{k.n(0, 9)}.tar.gz\n"
    )


@neg("shop", "isbn")
def n_isbn(k: Pick) -> str:
    return (
        f"Order line 3: ISBN {isbn13_luhn(k.r)}, qty 2, EUR 39.90\n"
        f"Order line 4: ISBN {isbn13_luhn(k.r)}, qty 1, EUR 54.00\n"
    )


@neg("shipping", "tracking")
def n_tracking(k: Pick) -> str:
    return (
        f"Your parcel is on its way. Tracking number: 1Z{token(k.r, '0123456789ABCDEFGHJKLMNPRSTUVWXYZ', 16)}. "
        f"Consignment {k.n(10**11, 10**12 - 1)} left the hub on 2026-11-29. "
        f"Order #{k.n(100000, 999999)}, SKU WH-{k.n(1000, 9999)}-BLK.\n"
    )


@neg("meeting", "meeting-numbers")
def n_meeting(k: Pick) -> str:
    return (
        f"Join the weekly planning call\nMeeting ID: {k.n(100, 999)} {k.n(1000, 9999)} {k.n(1000, 9999)}\n"
        f"Dial-in code {k.n(100000, 999999)}#  Duration: 45 min  Room 4.{k.n(10, 99)}\n"
    )


@neg("ci", "build-numbers")
def n_ci(k: Pick) -> str:
    return (
        f"Pipeline #{k.n(100000, 999999)} passed in {k.n(3, 40)}m {k.n(0, 59)}s\n"
        f"  job build:linux-amd64 #{k.n(10**6, 10**7)} artifact size {k.n(10, 900)} MB\n"
        f"  image app:{k.n(1, 3)}.{k.n(0, 40)}.{k.n(0, 9)}-rc.{k.n(1, 5)}\n"
    )


@neg("docs", "dates-times")
def n_dates(k: Pick) -> str:
    return (
        f"The maintenance window is 2026-12-{k.n(10, 28)} 02:00-04:00 UTC (timezone Europe/Berlin "
        f"for the on-site team). Expect {k.n(5, 20)} minutes of downtime; status updates every 15 min.\n"
    )


@neg("code", "hashes-integrity")
def n_integrity(k: Pick) -> str:
    return (
        f'<script src="/static/app.{k.hexs(8)}.js" integrity="sha384-{token(k.r, ALNUM + "+/", 64)}" '
        f'crossorigin="anonymous"></script>\n'
        f'etag: W/"{k.hexs(20)}"\n'
    )


@neg("config", "non-secret-config")
def n_config(k: Pick) -> str:
    return (
        f"server:\n  host: 127.0.0.1\n  port: {k.n(1024, 65000)}\n  workers: {k.n(1, 16)}\n"
        f"cache:\n  ttl_seconds: {k.n(60, 86400)}\n  max_entries: {k.n(1000, 99999)}\n"
        f"password_min_length: 12\ntoken_ttl: 3600\nlog_level: warning\n"
    )


@neg("config", "env-placeholders")
def n_env_placeholders(k: Pick) -> str:
    return (
        f"# copy to .env and fill in\nAPI_KEY=\nDB_PASSWORD=\n"
        f"GITHUB_TOKEN=${{GITHUB_TOKEN}}\nSECRET_KEY=<your-secret-here>\nPORT={k.n(3000, 9000)}\n"
    )


@neg("chat", "ambiguous-words")
def n_words(k: Pick) -> str:
    s = k.choice(
        [
            "Will the migration finish before midnight? Mark the ticket as blocked if not.",
            "Grace period ends Friday; the bill run starts Monday.",
            "Hope this helps. May release notes are in the wiki.",
            "Sales rose 12% in June; frank feedback welcome.",
            "Chase the vendor for the invoice and drew up the plan.",
            "Summer freeze starts soon, so the Dawn job moves to the evening batch.",
            "Bill of materials updated. Penny-pinching on cables saved 4%.",
            "Rich text editor is fixed; Faith in the new parser is restored.",
            "Will do. Mark my words: the June deadline holds.",
            "Bill payments run nightly; the Grace setting is in days.",
            "Hope is not a strategy - add a retry and an alert.",
            "Pat the dog, then drew the blinds. Dawn came early.",
            "Joy of the week: the flaky test is gone. Sky is clear for the release.",
            "Chase up the invoice; Penny from the change jar bought the cake.",
            "Rose gold cases ship in May. Iris scanner firmware is delayed.",
            "Frank answer: no. We will not raise the limit.",
        ]
    )
    return f"{s}\n"


@neg("log", "kernel")
def n_kernel(k: Pick) -> str:
    return (
        f"[    {k.n(0, 9)}.{k.n(100000, 999999)}] nvidia: loading out-of-tree module taints kernel.\n"
        f"[    {k.n(10, 99)}.{k.n(100000, 999999)}] NVRM: loading NVIDIA UNIX Open Kernel Module  "
        f"{k.n(530, 580)}.{k.n(10, 99)}.{k.n(1, 9)}\n"
        f"[    {k.n(10, 99)}.{k.n(100000, 999999)}] lo: link up, address 00:00:00:00:00:00\n"
    )


@neg("metrics", "numbers")
def n_metrics(k: Pick) -> str:
    return (
        f"| metric | p50 | p95 | p99 |\n|---|---|---|---|\n"
        f"| latency (ms) | {k.n(5, 40)} | {k.n(40, 200)} | {k.n(200, 999)} |\n"
        f"| rps | {k.n(100, 4000)} | - | - |\n"
        f"| bytes | {k.n(10**9, 10**10)} | - | - |\n"
    )


@neg("code", "python-no-secrets")
def n_python(k: Pick) -> str:
    return (
        f"def retry(fn, attempts={k.n(2, 9)}, backoff=0.{k.n(1, 9)}):\n"
        f"    for i in range(attempts):\n        try:\n            return fn()\n"
        f"        except TimeoutError:\n            time.sleep(backoff * 2 ** i)\n"
        f"    raise RuntimeError('gave up after %d attempts' % attempts)\n"
    )


@neg("product", "product-codes")
def n_products(k: Pick) -> str:
    return (
        f"Catalogue {k.n(2025, 2027)}/{k.n(1, 4)}: part no. {k.n(100, 999)}-{k.n(1000, 9999)}-{k.n(10, 99)}, "
        f"model XR-{k.n(100, 9999)}, EAN check pending, lot L{k.n(10000, 99999)}, "
        f"firmware {k.n(1, 9)}.{k.n(0, 99)}.{k.n(0, 999)}.\n"
    )


@neg("log", "cve")
def n_cve(k: Pick) -> str:
    return (
        f"Scanner found CVE-{k.n(2019, 2026)}-{k.n(1000, 49999)} (CVSS {k.n(4, 9)}.{k.n(0, 9)}) in "
        f"package libxml2 {k.n(2, 2)}.{k.n(9, 13)}.{k.n(0, 9)}; fixed in the next patch. "
        f"OID 1.3.6.1.4.1.{k.n(1000, 60000)}.{k.n(1, 9)}\n"
    )


@neg("sql", "sql-no-pii")
def n_sql(k: Pick) -> str:
    return (
        f"SELECT date_trunc('day', created_at) AS d, count(*)\nFROM orders\n"
        f"WHERE status = 'paid' AND total > {k.n(10, 500)}\nGROUP BY 1 ORDER BY 1 DESC LIMIT {k.n(7, 90)};\n"
    )


@neg("network", "netmasks")
def n_netmask(k: Pick) -> str:
    return (
        f"iface eth0 inet static\n  netmask 255.255.255.0\n  broadcast 255.255.255.255\n"
        f"  mtu {k.choice(['1500', '9000'])}\n# loopback\niface lo inet loopback  # 127.0.0.1/8, ::1/128\n"
    )


@neg("docs", "phone-lookalikes")
def n_phone_like(k: Pick) -> str:
    return (
        f"Throughput rose from {k.n(1000, 9999)} to {k.n(10000, 99999)} req/s between builds "
        f"{k.n(1000, 9999)}-{k.n(100, 999)} and {k.n(1000, 9999)}-{k.n(100, 999)}. "
        f"The range 2026-11-01..2026-11-30 covers {k.n(100000, 9999999)} requests.\n"
    )


# ---------------------------------------------------------------- second batch: harder texts


@pos("email", "other-script", "greek")
def mail_greek(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "greek"])
    return (
        f"Αγαπητέ/ή {P(a.full)},\n\nσας επισυνάπτουμε το τιμολόγιο. Για ερωτήσεις καλέστε στο "
        f"{E('PHONE', k.phone())}.\n\nΜε εκτίμηση,\n{P(a.initial)}\n"
    )


@pos("email", "other-script", "arabic")
def mail_arabic(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "arabic"])
    return (
        f"مرحبا {P(a.given)}،\nتم استلام طلبك. سيتصل بك السيد {P(a.family)} على الرقم "
        f"{E('PHONE', k.phone())} أو عبر البريد {E('EMAIL', k.email(a))}.\nمع التحية\n"
    )


@pos("email", "other-script", "japanese")
def mail_japanese(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "cjk-ja"])
    return (
        f"{P(a.full)}様\n\nいつもお世話になっております。明日の打ち合わせの件、{P(a.family)}様のご都合は"
        f"いかがでしょうか。\n携帯: {E('PHONE', k.phone())}\n"
    )


@pos("email", "other-script", "korean")
def mail_korean(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "cjk-ko"])
    return (
        f"{P(a.full)} 님, 안녕하세요.\n요청하신 계좌 정보입니다: {E('IBAN', k.iban())}\n"
        f"문의: {E('EMAIL', k.email(a, True))}\n"
    )


@pos("code", "json", "names-in-fields")
def json_profile(k: Pick) -> str:
    a = k.person()
    return (
        "{\n"
        f'  "id": {k.n(1000, 99999)},\n  "first_name": "{P(a.given)}",\n'
        f'  "last_name": "{P(a.family)}",\n  "email": "{E("EMAIL", k.email(a))}",\n'
        f'  "phone": "{E("PHONE", k.phone())}",\n  "last_ip": "{E("IP_ADDRESS", k.ip())}",\n'
        f'  "created": "2026-03-14T08:00:00Z"\n}}\n'
    )


@pos("code", "csv", "export")
def csv_export(k: Pick) -> str:
    rows = ["customer_id,name,email,iban,card_last_used"]
    for _ in range(k.n(2, 4)):
        p = k.person()
        name = P(p.full)
        if "," in p.full:
            name = f'"{name}"'
        rows.append(
            f"{k.n(10000, 99999)},{name},{E('EMAIL', k.email(p))},{E('IBAN', k.iban(False))},"
            f"{E('CREDIT_CARD', card(k.r, 'none'))}"
        )
    return "\n".join(rows) + "\n"


@pos("vcs", "git-log", "repeated-forms")
def git_log(k: Pick) -> str:
    a, b = k.person("latin"), k.person()
    return (
        f"commit {k.hexs(40)}\nAuthor: {P(a.full)} <{E('EMAIL', k.email(a, True))}>\n"
        f"Date:   Wed Nov 25 16:20:11 2026 +0100\n\n    Fix retry loop (reported by {P(b.full)})\n\n"
        f"    Co-authored-by: {P(b.full)} <{E('EMAIL', k.email(b))}>\n"
    )


@pos("config", "k8s", "secret")
def k8s_secret(k: Pick) -> str:
    b64 = token(k.r, ALNUM, 20) + "=="
    return (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-credentials\ntype: Opaque\n"
        f"data:\n  password: {E('SECRET', b64)}\nstringData:\n"
        f"  api-token: {E('SECRET', k.key())}\n"
    )


@pos("config", "github-actions", "secret")
def gha(k: Pick) -> str:
    return (
        "jobs:\n  deploy:\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: ./publish.sh\n        env:\n"
        "          TOKEN: ${{ secrets.PUBLISH_TOKEN }}\n"
        f"          FALLBACK_TOKEN: {E('SECRET', k.key(k.choice(['npm', 'pypi', 'github', 'docker'])))}\n"
    )


@pos("config", "pgpass", "secret")
def pgpass(k: Pick) -> str:
    return (
        f"# ~/.pgpass\ndb.prod.internal:5432:billing:billing_rw:{E('SECRET', k.password())}\n"
        f"*:*:*:replicator:{E('SECRET', k.password())}\n"
    )


@pos("log", "http-dump", "secret")
def http_cookie(k: Pick) -> str:
    sid = token(k.r, URLSAFE, 32)
    return (
        f"> GET /dashboard HTTP/2\n> Host: {E('URL', 'app.example.org')}\n"
        f"> Cookie: theme=dark; sessionid={E('SECRET', sid)}\n"
        f"> X-Auth-Token: {E('SECRET', k.key(k.choice(['vault', 'okta', 'jwt'])))}\n< HTTP/2 200\n"
    )


@pos("chat", "secret", "prose-password")
def prose_password(k: Pick) -> str:
    a = k.person("ambiguous")
    pw = k.password()
    form = k.choice(
        [
            f"the wifi password is {E('SECRET', pw)} btw",
            f"new pw for the shared mailbox: {E('SECRET', pw)}",
            f"login is admin / {E('SECRET', pw)} until IT resets it",
            f'passphrase is "{E("SECRET", k.choice(PASSPHRASES))}" (no quotes)',
            f"use the code word '{E('SECRET', k.choice(PASSPHRASES))}' to unlock the vault",
        ]
    )
    return f"{P(a.given)}: {form}\n{P(a.given)}: delete this after reading pls\n"


@pos("ticket", "phone-forms", "extension")
def phone_forms(k: Pick) -> str:
    a = k.person("latin")
    ext = str(k.n(10, 9999))
    return (
        f"Caller: {P(a.full)}\nPhone: {E('PHONE', k.phone())};ext={E('PHONE', ext)}\n"
        f"Alt: tel:{E('PHONE', k.phone().replace(' ', ''))}\n"
        f"Fax: {E('PHONE', k.phone())}\n"
    )


@pos("email", "line-split", "signature")
def split_signature(k: Pick) -> str:
    a = k.person("latin")
    ph = k.phone()
    parts = ph.rsplit(" ", 1)
    split_phone = parts[0] + "\n" + parts[1] if len(parts) == 2 else ph
    e = k.email(a, True)
    local, domain = e.split("@")
    return (
        f"Cheers,\n{P(a.given)}\n{P(a.family)}\nPhone: {E('PHONE', split_phone)}\n"
        f"Mail: {E('EMAIL', e)}\n(or {local} at {domain})\n"
    ).replace(f"(or {local} at {domain})", f"(or {E('EMAIL', local + ' at ' + domain)})")


@pos("crm", "ambiguous-name", "lowercase")
def crm_ambiguous_lower(k: Pick) -> str:
    a = k.person("ambiguous")
    return (
        f"call notes: spoke w/ {P(a.full.lower())} re renewal. {P(a.given.lower())} says budget "
        f"frozen till march, will revisit. {P(a.family.upper())} prefers email.\n"
    )


@pos("support", "screenshot-ocr", "glued-punctuation")
def ocr_glued(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"Name:{P(a.full)}|DOB:1984-02-11|Acct:{E('IBAN', k.iban(False))}|"
        f"Tel:{E('PHONE', k.phone())}|Mail:<{E('EMAIL', k.email(a))}>|"
    )


@pos("meeting", "many-people", "initials")
def meeting_initials(k: Pick) -> str:
    a, b = k.person("latin"), k.person("latin")
    ia = "".join(w[0] for w in a.full.split())
    ib = "".join(w[0] for w in b.full.split())
    return (
        f"Present: {P(a.full)} ({P(ia)}), {P(b.full)} ({P(ib)})\n"
        f"- {P(ia)}: contract with {E('ORG', k.org())} signed\n"
        f"- {P(ib)} to check {P(a.family)}'s numbers by Thu\n"
    )


@pos("email", "name-in-local-part", "only-local-part")
def mail_reply_quote(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"On Mon, 30 Nov 2026 at 10:02, <{E('EMAIL', k.email(a))}> wrote:\n"
        f"> Please cancel my subscription, card ending {k.n(1000, 9999)}.\n\nDone, sorry to see you go.\n"
    )


@neg("docs", "tech-prose")
def n_tech_prose(k: Pick) -> str:
    return k.choice(
        [
            "PostgreSQL 16 ships logical replication for sequences; Kubernetes 1.31 drops the "
            "in-tree cloud providers. Upgrade the Helm chart before the control plane.\n",
            "Run `make test` before pushing. The CI matrix covers Python 3.11 to 3.13 on Ubuntu "
            "24.04 and macOS 14; Windows builds are nightly only.\n",
            "We moved the queue from RabbitMQ to Redis Streams. Consumers ack after the write "
            "commits, so a crash replays at most one batch.\n",
            "The GPU nodes run CUDA 12.4 with driver 550.90.07. Mixed precision halves memory, "
            "and the throughput gain is about 1.7x on the A100 class.\n",
            "Grafana dashboards now read from Prometheus via Thanos; retention is 30 days raw and "
            "13 months downsampled.\n",
            "Terraform state lives in the shared backend; lock timeouts are 5 minutes. Never run "
            "apply from a laptop.\n",
        ]
    )


@neg("policy", "password-policy")
def n_policy(k: Pick) -> str:
    return k.choice(
        [
            "Passwords must be at least 14 characters and are checked against known breaches. "
            "Tokens expire after 90 days; rotate API keys when someone leaves.\n",
            "Never paste a password or token into chat. Use the secrets manager and share a link "
            "that expires.\n",
            "The password field accepts any Unicode character; we hash with Argon2id (m=64 MiB, "
            "t=3, p=1).\n",
            "api_key: str | None = None  # read from the environment, never from this file\n",
            "token = request.headers.get('Authorization', '').removeprefix('Bearer ')\n",
            "password_hash = argon2.hash(password)\nif not argon2.verify(password_hash, attempt):\n"
            "    raise AuthError('wrong password')\n",
        ]
    )


@neg("config", "secret-references")
def n_secret_refs(k: Pick) -> str:
    return k.choice(
        [
            "DB_PASSWORD=${DB_PASSWORD:?set me}\nAPI_TOKEN=$(cat /run/secrets/api_token)\n",
            "password: !vault |\n  path: secret/data/app#password\ntoken_file: /var/run/token\n",
            "env:\n  - name: PGPASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n"
            "        key: password\n",
            '{"password": "<redacted>", "apiKey": "********", "token": null}\n',
            "aws_secret_access_key = {{ lookup('env', 'AWS_SECRET_ACCESS_KEY') }}\n",
            "[auth]\npassword = %(DB_PASS)s\ntoken = ${TOKEN}\n",
        ]
    )


@neg("log", "windows-builds")
def n_windows(k: Pick) -> str:
    return (
        f"OS: Windows 11 Pro 10.0.22631.{k.n(1000, 4999)}, assembly version "
        f"{k.n(1, 4)}.{k.n(0, 9)}.{k.n(0, 9)}.{k.n(0, 99)}, driver {k.n(30, 32)}.0.15.{k.n(1000, 6999)}\n"
    )


@neg("code", "cpp-namespaces")
def n_cpp(k: Pick) -> str:
    return k.choice(
        [
            "std::vector<int> v{1, 2, 3};\nauto it = std::find(v.begin(), v.end(), 2);\n",
            "use std::collections::HashMap;\nlet mut m: HashMap<u32, String> = HashMap::new();\n",
            "SELECT '2026-11-30'::date, interval '1 day'::text;\n",
            "ffmpeg -ss 00:01:30 -t 00:00:45 -i in.mp4 -c copy out.mp4\n",
        ]
    )


@neg("chat", "business-no-pii")
def n_business(k: Pick) -> str:
    return k.choice(
        [
            "Q3 revenue came in 4% above plan; churn was flat. The board wants the pricing review "
            "before the next quarter.\n",
            "Reminder: the office is closed on the 24th and 25th. Tickets raised then are handled "
            "on the 27th.\n",
            "The customer asked for a discount on the annual plan. Policy allows up to 15% without "
            "approval.\n",
            "Can everyone fill in the retro board by Thursday? Keep it blameless.\n",
            "Stand-up moved to 9:45 tomorrow because of the all-hands.\n",
            "Thanks all - the migration went smoothly and the rollback plan was not needed.\n",
        ]
    )


@neg("log", "hex-dumps")
def n_hexdump(k: Pick) -> str:
    lines = []
    for i in range(3):
        row = " ".join(k.hexs(4) for _ in range(8))
        lines.append(f"{i * 16:08x}: {row}  ................")
    return "\n".join(lines) + "\n"


@neg("docs", "example-domains")
def n_example(k: Pick) -> str:
    return k.choice(
        [
            "Point the client at localhost:8080 and use the demo account shown on the login page.\n",
            "Ports 80 and 443 are open; 22 only from the VPN range.\n",
            "The health check answers on /healthz with 200 and an empty body.\n",
            "Set MAX_CONNECTIONS=200 and POOL_TIMEOUT=30 for the batch workers.\n",
        ]
    )


# ---------------------------------------------------------------- third batch


@pos("config", "git-credentials", "secret")
def git_credentials(k: Pick) -> str:
    tok = k.key(k.choice(["github", "gitlab", "github_pat"]))
    form = k.choice(
        [
            f"git clone https://oauth2:{E('SECRET', tok)}@{E('URL', 'gitlab.example.com/infra/deploy.git')}",
            f"# ~/.git-credentials\nhttps://ci-bot:{E('SECRET', tok)}@{E('URL', 'github.com')}",
            f"pip install --index-url https://build:{E('SECRET', k.password())}@{E('URL', 'pypi.example.com/simple')} app",
            f"//registry.npmjs.org/:_authToken={E('SECRET', k.key('npm'))}",
            f'{{"auths": {{"{E("URL", "registry.example.net")}": {{"auth": "{E("SECRET", token(k.r, ALNUM, 36) + "=")}"}}}}}}',
        ]
    )
    return form + "\n"


@pos("config", "java-php-hcl", "secret")
def app_configs(k: Pick) -> str:
    pw = k.password()
    return k.choice(
        [
            f"spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app\n"
            f"spring.datasource.password={E('SECRET', pw)}\n",
            f"<?php\ndefine('DB_USER', 'wp');\ndefine('DB_PASSWORD', '{E('SECRET', pw)}');\n"
            f"define('AUTH_KEY', '{E('SECRET', token(k.r, ALNUM + '!@#$%^&*()', 64))}');\n",
            f'resource "aws_db_instance" "main" {{\n  username = "admin"\n  password = "{E("SECRET", pw)}"\n}}\n',
            f"[default]\naws_access_key_id = {E('SECRET', k.key('aws_id'))}\n"
            f"aws_secret_access_key = {E('SECRET', k.key('aws_secret'))}\n",
            f'<add key="SmtpPassword" value="{E("SECRET", pw)}" />\n',
            f"ansible_become_pass: {E('SECRET', pw)}\nansible_user: deploy\n",
        ]
    )


@pos("email", "titles", "suffixes")
def mail_titles_suffix(k: Pick) -> str:
    a = k.person("latin")
    t = k.choice(["Dr. med.", "Prof. Dr.", "Mag.", "Ing.", "Sr.", "Dña."])
    return (
        f"Sehr geehrte Damen und Herren,\n\nanbei der Befund von {t} {P(a.full)}. Rückfragen bitte "
        f"direkt an {P(a.initial)} unter {E('PHONE', k.phone())}.\n\nMit freundlichen Grüßen\n"
        f"Praxis {P(a.family)}\n"
    )


@pos("chat", "names-like-places")
def names_like_places(k: Pick) -> str:
    given = k.choice(
        ["Florence", "Austin", "Sydney", "Paris", "Lourdes", "Dakota", "Georgia", "Chelsea"]
    )
    family = k.choice(["Achterberg", "Nwachukwu", "Lindholm", "Esposito", "Rautio"])
    return (
        f"{P(given)} {P(family)} joined the team today. {P(given)} is based in "
        f"{E('LOCATION', k.place())} and will cover the night shift. Say hi to {P(given)}!\n"
    ).replace(f"{P(given)} {P(family)}", P(f"{given} {family}"))


@pos("email", "obfuscated-email")
def obfuscated(k: Pick) -> str:
    a = k.person("latin")
    local, domain = a.ascii_local, k.choice(CORP_DOMAINS)
    name, tld = domain.rsplit(".", 1)
    form = k.choice(
        [
            f"{local} [at] {name} [dot] {tld}",
            f"{local}(at){domain}",
            f"{local} AT {name} DOT {tld}",
        ]
    )
    return f"Write to {E('EMAIL', form)} - {P(a.given)} answers within a day.\n"


@pos("url", "name-in-url")
def url_with_name(k: Pick) -> str:
    a = k.person("latin")
    return (
        f"Profile: {E('URL', 'https://intranet.example.com/people/' + a.ascii_local)}\n"
        f"Calendar: {E('URL', 'https://outlook.office.com/bookwithme/user/' + k.hexs(12) + '@' + k.choice(CORP_DOMAINS))}\n"
        f"Owner: {P(a.full)}\n"
    )


@pos("ticket", "ipv6", "network")
def ipv6_ticket(k: Pick) -> str:
    a = k.person()
    v6 = k.choice(IPV6)
    return (
        f"User {P(a.full)} reports packet loss from [{E('IP_ADDRESS', v6)}]:443 and from "
        f"{E('IP_ADDRESS', k.ipv4())}:51820 (WireGuard). MAC of the router: {E('MAC_ADDRESS', k.mac())}.\n"
    )


@pos("crm", "inverted-name", "other-script")
def crm_cyrillic(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "cyrillic"])
    female = a.given.endswith("а")
    patronymic = k.choice(["Петровна", "Андреевна"] if female else ["Иванович", "Сергеевич"])
    return (
        f"Клиент: {P(a.family + ' ' + a.given + ' ' + patronymic)}\n"
        f"Тел.: {E('PHONE', k.phone())}, доб. {E('PHONE', str(k.n(100, 999)))}\n"
        f"Договор подписан. {P(a.given)} {P(patronymic)} просит счёт на {E('EMAIL', k.email(a))}.\n"
    )


@pos("support", "card-variants")
def card_variants(k: Pick) -> str:
    a = k.person("ambiguous")
    c = card(k.r, "space")
    return (
        f"{P(a.given)} read the card out over the phone: {E('CREDIT_CARD', c)}, CVC on the back. "
        f"Then again without spaces: {E('CREDIT_CARD', c.replace(' ', ''))}.\n"
    )


@pos("log", "json-log")
def json_log(k: Pick) -> str:
    a = k.person()
    return (
        f'{{"ts":"2026-11-30T10:00:00Z","level":"error","msg":"payment failed",'
        f'"customer":{{"name":"{P(a.full)}","email":"{E("EMAIL", k.email(a))}"}},'
        f'"card":"{E("CREDIT_CARD", card(k.r, "none"))}","client_ip":"{E("IP_ADDRESS", k.ip())}",'
        f'"trace":"{k.hexs(32)}"}}\n'
    )


@neg("docs", "masked-values")
def n_masked(k: Pick) -> str:
    return k.choice(
        [
            "Key: sk-****************************3f9a (created 2026-10-01, last used today)\n",
            "Card ending in 4242 was declined; the customer will update it in the portal.\n",
            "Set OPENAI_API_KEY=YOUR_API_KEY_HERE before running the examples.\n",
            "password: ******** (hidden)\napi_key: [REDACTED]\n",
            "Account ****1234 (checking) - balance shown in the app only.\n",
            "Token prefix ghp_ identifies a classic GitHub token; rotate it if leaked.\n",
        ]
    )


@neg("docs", "misc-identifiers")
def n_misc(k: Pick) -> str:
    return k.choice(
        [
            f"Colours: primary #1e90ff, accent #{k.hexs(6)}; CRS EPSG:4326; cron `0 3 * * 1-5`.\n",
            f"pi is 3.14159265358979; e is 2.718281828; the answer is {k.n(40, 45)}.\n",
            f"Use semver ranges like ^4.17.21 or ~1.{k.n(0, 9)}.0; pin python>=3.11,<3.14.\n",
            f"Chapter {k.n(1, 20)}, section {k.n(1, 9)}.{k.n(1, 9)}.{k.n(1, 9)}, page {k.n(10, 400)}.\n",
            f"Invoice INV-2026-{k.n(1000, 9999)} is due on 2026-12-{k.n(10, 28)}; net {k.n(15, 60)} days.\n",
            f"HTTP 429 after {k.n(100, 999)} requests in {k.n(10, 60)} s; Retry-After: {k.n(1, 120)}.\n",
        ]
    )


@neg("log", "systemd")
def n_systemd(k: Pick) -> str:
    return (
        f"Nov 30 03:00:{k.n(10, 59)} host systemd[1]: Started backup.service - Nightly backup.\n"
        f"Nov 30 03:{k.n(10, 59)}:01 host backup[{k.n(1000, 99999)}]: wrote {k.n(1, 999)} GiB in "
        f"{k.n(100, 9999)} s (snapshot {k.hexs(8)})\n"
        f"Nov 30 03:{k.n(10, 59)}:02 host systemd[1]: backup.service: Deactivated successfully.\n"
    )


# ---------------------------------------------------------------- fourth batch: more negatives


@neg("log", "stack-trace")
def n_traceback(k: Pick) -> str:
    return (
        "Traceback (most recent call last):\n"
        f'  File "/usr/lib/python3.12/asyncio/runners.py", line {k.n(40, 200)}, in run\n'
        f'  File "/srv/app/worker.py", line {k.n(10, 900)}, in handle\n'
        "    result = await self.client.fetch(job.url, timeout=self.timeout)\n"
        f"TimeoutError: read timed out after {k.n(5, 60)}.0 s (attempt {k.n(1, 5)} of 5)\n"
    )


@neg("log", "js-stack")
def n_js_stack(k: Pick) -> str:
    return (
        "TypeError: Cannot read properties of undefined (reading 'map')\n"
        f"    at renderList (webpack-internal:///./src/List.tsx:{k.n(10, 300)}:{k.n(1, 80)})\n"
        f"    at node_modules/react-dom/cjs/react-dom.development.js:{k.n(1000, 30000)}:{k.n(1, 40)}\n"
    )


@neg("config", "dockerfile")
def n_dockerfile(k: Pick) -> str:
    return (
        f"FROM python:3.{k.n(10, 13)}-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n"
        "RUN pip install --no-cache-dir uv && uv sync --frozen\n"
        f"EXPOSE {k.n(3000, 9000)}\nHEALTHCHECK CMD curl -fs http://localhost:{k.n(3000, 9000)}/healthz\n"
        'CMD ["uv", "run", "app"]\n'
    )


@neg("config", "nginx")
def n_nginx(k: Pick) -> str:
    return (
        "server {\n    listen 443 ssl http2;\n    server_name _;\n"
        f"    client_max_body_size {k.n(1, 100)}m;\n"
        f"    location / {{ proxy_pass http://127.0.0.1:{k.n(3000, 9000)}; }}\n}}\n"
    )


@neg("config", "package-json")
def n_package_json(k: Pick) -> str:
    return (
        '{\n  "name": "dashboard",\n  "version": "'
        f'{k.n(0, 4)}.{k.n(0, 30)}.{k.n(0, 9)}",\n  "dependencies": {{\n'
        f'    "react": "^18.{k.n(0, 3)}.{k.n(0, 9)}",\n    "zod": "~3.{k.n(20, 23)}.{k.n(0, 9)}",\n'
        f'    "lodash": "4.17.21"\n  }},\n  "engines": {{"node": ">=20"}}\n}}\n'
    )


@neg("release-notes", "changelog-refs")
def n_changelog(k: Pick) -> str:
    return (
        f"### Fixed\n- Pagination skipped the last page (#{k.n(100, 9999)}, fixes #{k.n(100, 9999)})\n"
        f"- Memory leak in the uploader ({k.hexs(7)})\n### Changed\n"
        f"- Minimum supported version is now {k.n(2, 5)}.{k.n(0, 9)}; see ADR-{k.n(10, 99)}.\n"
    )


@neg("docs", "statistics")
def n_stats(k: Pick) -> str:
    return (
        f"The treatment group improved by {k.n(2, 15)}.{k.n(0, 9)} points (95 % CI "
        f"{k.n(1, 5)}.{k.n(0, 9)}-{k.n(6, 20)}.{k.n(0, 9)}, p = 0.0{k.n(1, 4)}, n = {k.n(100, 2000)}). "
        "Effect sizes below 0.2 were treated as negligible.\n"
    )


@neg("chat", "recipe-herbs")
def n_recipe(k: Pick) -> str:
    return k.choice(
        [
            "Rosemary and thyme go in first, then the garlic. Sage burns quickly, so add it last.\n",
            "Basil, mint and a pinch of salt; Olive oil to finish. Serve with bread.\n",
            "Pepper the steak, rest it 5 min. Ginger and honey glaze on the side.\n",
            "Heather honey works, but clover is milder. Add a little Summer savory.\n",
        ]
    )


@neg("docs", "travel-logistics")
def n_travel(k: Pick) -> str:
    return (
        f"Flight LH{k.n(100, 2999)} boards at gate B{k.n(1, 60)}, terminal {k.n(1, 3)}, seat "
        f"{k.n(1, 40)}{k.choice(['A', 'C', 'D', 'F'])}. Booking class Y, baggage 1PC, "
        f"departure 07:{k.n(10, 59)}.\n"
    )


@neg("docs", "legal-boilerplate")
def n_legal(k: Pick) -> str:
    return k.choice(
        [
            "Section 4.2: the Licensee shall not sublicense the Software. Clause 9 survives "
            "termination of this Agreement.\n",
            'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.\n',
            "Either Party may terminate with 30 days' written notice. Fees paid are non-refundable.\n",
            "Personal data is processed under Art. 6(1)(b) GDPR; retention is 24 months.\n",
        ]
    )


@neg("log", "epoch-and-ids")
def n_epoch(k: Pick) -> str:
    return (
        f"ts={k.n(1_700_000_000, 1_799_999_999)} seq={k.n(10**9, 10**10 - 1)} "
        f"offset={k.n(10**6, 10**8)} partition={k.n(0, 31)} pod=api-{k.hexs(9)}-{token(k.r, 'bcdfghjklmnpqrstvwxz2456789', 5)}\n"
    )


@neg("docs", "network-theory")
def n_net_theory(k: Pick) -> str:
    return k.choice(
        [
            "fe80::/10 is link-local and ff02::1 reaches all nodes; ::1 is loopback.\n",
            "224.0.0.251 is mDNS; 255.255.255.255 is the limited broadcast; 169.254.0.0/16 is link-local.\n",
            "The multicast MAC 01:00:5e:00:00:fb maps to 224.0.0.251; ff:ff:ff:ff:ff:ff is broadcast.\n",
            "RFC 5737 reserves 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 for documentation.\n",
        ]
    )


@neg("docs", "test-vectors")
def n_vectors(k: Pick) -> str:
    return k.choice(
        [
            'SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n',
            'MD5("") = d41d8cd98f00b204e9800998ecf8427e\n',
            'CRC-32 of "123456789" is 0xCBF43926.\n',
            'The base64 of "hello world" is aGVsbG8gd29ybGQ=.\n',
        ]
    )


@neg("chat", "sports-games")
def n_sports(k: Pick) -> str:
    return k.choice(
        [
            f"We won {k.n(1, 5)}-{k.n(0, 4)} on Saturday; next match is at 14:30.\n",
            "1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 - the Ruy Lopez again.\n",
            f"Leaderboard: 1st 2,{k.n(100, 999)} pts, 2nd 1,{k.n(100, 999)} pts, 3rd 998 pts.\n",
        ]
    )


# ---------------------------------------------------------------- fifth batch: wrapping and markup


@pos("email", "line-split", "wrapped")
def wrapped_values(k: Pick) -> str:
    a, b = k.person("latin"), k.person("latin")
    e = k.email(b, True)
    local, domain = e.split("@")
    key = k.key(k.choice(["openai", "anthropic", "github_pat", "sendgrid"]))
    cut = len(key) // 2
    return (
        f"The request was forwarded to {P(a.given + chr(10) + a.family)} for approval and the\n"
        f"reply goes to {E('EMAIL', local + '@' + chr(10) + domain)} as usual. The old key,\n"
        f"{E('SECRET', key[:cut] + chr(10) + key[cut:])}\nhas been revoked.\n"
    )


@pos("email", "outlook-header", "inverted-name")
def outlook_header(k: Pick) -> str:
    a, b = k.person("latin"), k.person("latin")
    return (
        f"From: {P(a.family + ', ' + a.given)} <{E('EMAIL', k.email(a, True))}>\n"
        f"Sent: Monday, 30 November 2026 09:12\nTo: {P(b.family + ', ' + b.given)}\n"
        f"Subject: RE: budget\n\nFROM: {P(a.full.upper())}\n{P(b.given)} - see below.\n"
    )


@pos("markdown", "markup", "links")
def markdown_links(k: Pick) -> str:
    a, b = k.person("latin"), k.person()
    e = k.email(a)
    return (
        f"**Owner:** [{P(a.full)}](mailto:{E('EMAIL', e)})  \n"
        f"**Reviewer:** _{P(b.full)}_ (`{E('EMAIL', k.email(b))}`)  \n"
        f"> {P(a.given)}: ping me on {E('PHONE', k.phone())}\n"
    )


@pos("html", "markup")
def html_table(k: Pick) -> str:
    a = k.person()
    return (
        f'<tr><td>{P(a.full)}</td><td><a href="mailto:{E("EMAIL", k.email(a))}">mail</a></td>'
        f"<td>{E('PHONE', k.phone())}</td><td>{E('IBAN', k.iban())}</td></tr>\n"
        f"<!-- added by {P(a.initial)} -->\n"
    )


@pos("email", "phone-trunk-forms")
def phone_trunk(k: Pick) -> str:
    a = k.person("latin")
    form = k.choice(
        [
            "+44 (0)20 7946 0" + str(k.n(100, 999)),
            "+49 (0)30 901820-" + str(k.n(10, 99)),
            "0049 (0)89 2180-" + str(k.n(1000, 9999)),
            "+33 (0)1 42 68 53 " + str(k.n(10, 99)),
            "+1.415.555.01" + str(k.n(10, 99)),
            "(0)161 496 0" + str(k.n(100, 999)),
        ]
    )
    return f"{P(a.full)}\nDirect: {E('PHONE', form)}\nPlease call {P(a.family)} before 4 pm.\n"


@pos("chat", "apostrophe-names")
def apostrophe_names(k: Pick) -> str:
    given, family = k.r.choice(
        [
            ("Niamh", "O'Sullivan"),
            ("Gianluca", "D'Angelo"),
            ("Hamish", "McAllister"),
            ("Aoife", "Ní Bhriain"),
            ("Jean-Luc", "Saint-Amand"),
            ("Ana", "Ruiz-Picasso"),
            ("Pieter", "van der Berg"),
            ("Ximena", "de la Cruz"),
        ]
    )
    full = f"{given} {family}"
    return (
        f"Reception: {P(full)} is on leave until Monday. {P(family)}'s deputy signs instead; "
        f"ask {P(given)} on return (badge: {P(family.upper())}).\n"
    )


@pos("ticket", "mixed-language", "repeated-forms")
def mixed_language(k: Pick) -> str:
    a = k.person("other")
    b = k.person("latin")
    return (
        f"Customer {P(a.full)} (ID 4471) wrote in twice. {P(b.given)} answered the first one; "
        f"the second was handled by {P(b.initial)}. {P(a.full)} wants a call back on "
        f"{E('PHONE', k.phone())}. Internal: {P(b.family)}'s queue is full.\n"
    )


# ---------------------------------------------------------------- sixth batch: more scripts


@pos("email", "other-script", "hebrew")
def mail_hebrew(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "hebrew"])
    return (
        f"שלום {P(a.given)},\nההזמנה שלך התקבלה. {P(a.full)} - נא לאשר את מספר הטלפון "
        f"{E('PHONE', k.phone())}.\nבברכה, צוות התמיכה\n"
    )


@pos("chat", "other-script", "devanagari")
def chat_hindi(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "devanagari"])
    b = k.person("latin")
    return (
        f"{P(b.given)}: नमस्ते {P(a.given)} जी, invoice भेज दिया?\n"
        f"{P(a.full)}: हाँ, {E('EMAIL', k.email(b, True))} पर भेजा है। {P(a.family)} (accounts)\n"
    )


@pos("ticket", "other-script", "thai")
def ticket_thai(k: Pick) -> str:
    a = k.choice_person([p for p in OTHER_SCRIPTS if p.script == "thai"])
    return (
        f"ลูกค้า: คุณ{P(a.given)} {P(a.family)}\nโทร {E('PHONE', k.phone())}\n"
        f"คุณ{P(a.given)}แจ้งว่าชำระเงินแล้ว บัตร {E('CREDIT_CARD', k.card())}\n"
    )


NEG_COUNT = 380
POS_COUNT = 1020


def build() -> list[dict[str, Any]]:
    r = random.Random(SEED)
    rows = _fill_positive(r, POS_COUNT)
    for i in range(NEG_COUNT):
        kind, tags, fn = NEGATIVE[i % len(NEGATIVE)]
        text, spans = render(fn(Pick(r)))
        assert not spans
        rows.append(
            {
                "kind": kind,
                "tags": [*tags, fn.__name__],
                "negative": True,
                "text": text,
                "spans": [],
            }
        )
    seen: set[str] = set()
    unique = []
    for row in rows:
        if row["text"] not in seen:  # a negative template can repeat itself exactly
            seen.add(str(row["text"]))
            unique.append(row)
    for n, row in enumerate(unique):
        row["id"] = f"ind-{n:04d}"
    return unique


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(
                json.dumps(
                    {k: row[k] for k in ("id", "kind", "negative", "tags", "text", "spans")},
                    ensure_ascii=False,
                )
                + "\n"
            )
    neg_n = sum(1 for r in rows if r["negative"])
    spans = sum(len(r["spans"]) for r in rows)
    print(f"wrote {OUT.name}: {len(rows)} texts ({neg_n} negative), {spans} labelled values")


if __name__ == "__main__":
    main()
