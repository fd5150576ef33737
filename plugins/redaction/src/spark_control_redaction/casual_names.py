"""People in Latin script that informal or structured text names without the cues the
model reads (issue 21, round 16): a short mail signed by a given name on the line right
after its body, an account's login in a log, a command line or a configuration, a
device named after its owner (``tamar-iphone``, ``iphone-de-maria``, ``Keziah's
iPad``), a person's role field in a form or a court paper written in capitals or in
another language, a chat client's ``Family, Given 10:02`` header, and initials that
own an action item (``AI: MK to fix …``).

Each reader needs the setting as well as the word; the word lists are ordinary words
of those settings, written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import PERSON, Span
from spark_control_redaction.lower import NOT_LOWER
from spark_control_redaction.names import CAP_WORD, NOT_NAMES, NOT_SPEAKERS

# --- a short mail: a salutation line, a body, the writer's given name on the last line

# "Salam Malam Aminu," / "Hi Ola," / "Kia ora Wiremu,": a first line of at most five
# words closed by a comma or "!" (a colon closes a heading), a salutation in any language.
_SALUTATION = re.compile(
    r"^[ \t]*(?:(?:[^\W\d_]+[ \t]+){0,4}[^\W\d_]+[ \t]*[,!][ \t]*\n"
    # or on the body's line: "Ćao Jelena, Nemanja je poslao …"
    r"|(?:[^\W\d_]+[ \t]+){1,3}[^\W\d_a-z][^\W\d_]+,[ \t])"
)
# The last line: one capitalised word, perhaps after a slash ("/Maja"), right after a
# line that ends a sentence.
_LAST_NAME_LINE = re.compile(
    r"[.!?)\]][ \t]*\n[ \t]*/?[ \t]*"
    # a closing word of any language may stand first ("Cofion, Dafydd", "Nā Mere")
    rf"(?:(?P<closing>[^\W\d_]+),?[ \t]+)?(?P<name>{CAP_WORD})[ \t]*[.!]?\s*$"
)
# The same in lower case: "…al 347 812 3390.\nfede" after "ciao giulia,".
_LAST_LOWER_LINE = re.compile(r"[.!?)\]][ \t]*\n[ \t]*(?P<name>[^\W\d_A-Z]{3,20})[ \t]*$")
# Words that close a mail and are no one's name ("…\nThanks").
_CLOSING_WORDS_TEXT = """
    thanks thank thx ta cheers regards best bye love kisses hugs later ciao salut
    danke merci gracias grazie obrigado obrigada bedankt dank tack takk tak kiitos
    dziękuję dzięki děkuji köszönöm mulțumesc hvala благодарю asante terima kasih
    salam saludos groeten groetjes hälsningar hilsen pozdrawiam pozdrav pozdravy
    gruß grüße tschüss tschüs adios adiós chao tot ttyl xoxo xx xxx ok okay done
    enjoy welcome end fin sent attachment attachments enclosure enclosures signature confidential
    disclaimer unsubscribe team support admin office management grüßen gruss bald
    luego bientôt ziens serdecznie mvh mfg lg vg bg mvg groet pozdr slds rgds brgds
    cordialement atentamente abrazos besos bisous baci bacioni kram knus klem
"""
_CLOSING_WORDS = frozenset(_CLOSING_WORDS_TEXT.split())
# Latin letters only: a last line in another script is scripts_people's to read, with
# its own guards (a department or a "thank you" there is no signature).
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff'\u2019.\-]+")


def _given_name_ok(word: str, text: str) -> bool:
    low = word.casefold()
    return (
        len(word) >= 3
        and _LATIN_WORD.fullmatch(word) is not None
        and not word.isupper()
        and low not in _CLOSING_WORDS
        and low not in NOT_NAMES
        and low not in NOT_SPEAKERS
        # a word the text also writes in lower case is that word
        and re.search(rf"(?<![\w'\u2019]){re.escape(low)}(?!\w)", text) is None
    )


def signed_mail(text: str) -> Iterator[Span]:
    """The writer of a short mail that opens with a salutation and ends with a given
    name alone on the line after its last sentence."""
    if "\n" not in text or _SALUTATION.match(text) is None:
        return
    tail_at = max(0, len(text) - 120)
    m = _LAST_NAME_LINE.search(text, tail_at)
    if m is not None and _given_name_ok(m.group("name"), text):
        yield Span(PERSON, m.start("name"), m.end("name"))
        closing = m.group("closing")
        # "Ines Carvalho" rather than "Cofion, Dafydd": a given name before the family
        comma = closing is not None and text[m.end("closing")] == ","
        if closing is not None and not comma and _given_name_ok(closing, text):
            yield Span(PERSON, m.start("closing"), m.end("closing"))
    low = _LAST_LOWER_LINE.search(text, tail_at)
    if low is not None:
        word = low.group("name")
        before = text[: low.start("name")]
        if (
            _LATIN_WORD.fullmatch(word) is not None
            and _lower_ok([word])
            and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", before) is None
        ):
            yield Span(PERSON, low.start("name"), low.end("name"))


# --- an account's login: logs, command lines, configuration

_LOGIN = r"(?P<login>[a-z][a-z'\-]{1,24}(?:[._][a-z][a-z\-]{0,24})?)"
_LOGIN_AT = re.compile(
    r"(?:"
    # sshd, RADIUS, audit lines, key=value logs
    r"\b(?:Accepted|Failed)[ \t]+(?:publickey|password|keyboard-interactive)[ \t]+for"
    r"(?:[ \t]+invalid[ \t]+user)?[ \t]+"
    r"|\bLogin[ \t]+(?:OK|incorrect)[ \t]*:[ \t]*\["
    r"|\bRADIUS:[ \t]+user[ \t]+"
    r"|(?<![\w\-])(?:user|login|username|account|actor)=[\"']?"
    # .netrc, Ansible, container environments
    r"|^[ \t]*login[ \t]+"
    r"|\bansible_(?:ssh_)?user[ \t]*[:=][ \t]*[\"']?"
    r"|\b[A-Z][A-Z0-9]*_USER(?:NAME)?[ \t]*[:=][ \t]*[\"']?"
    # an Apache or nginx access log: "203.0.113.9 - jdoe [05/Dec/2026:…"
    r"|^\S+[ \t]+-[ \t]+(?=[a-z][\w.\-]*[ \t]+\[\d)"
    r")" + _LOGIN + r"(?![\w@/.\-])",
    re.MULTILINE,
)
# Database and transfer clients: "-u tvo", "-U reyes_m", "curl -u ahmed.rashid:…".
_CLIENT = re.compile(
    r"\b(?:mysql|mysqldump|mariadb|psql|pg_dump|pg_restore|pg_dumpall|curl|mongosh|"
    r"mongo|redis-cli|sqlcmd|lftp|smbclient)\b[^\n]*?[ \t]-[uU][ \t]*" + _LOGIN + r"(?=[:\s])"
)
# Accounts of machines, services and examples, not of people.
_NOT_LOGINS_TEXT = """
    root admin administrator postgres mysql mariadb redis www www-data nginx apache
    httpd daemon nobody deploy deployer ubuntu debian centos fedora alpine ec2-user git
    gitlab github jenkins runner app application service svc test tester guest user
    username demo dev developer backup sa sysadmin operator oracle ftp anonymous mail
    postfix dovecot sshd pi vagrant docker ansible terraform readonly reader writer
    monitor monitoring nagios zabbix grafana prometheus elastic kibana api web worker
    cron system default local master replica replication repl superuser support
    helpdesk info noreply no-reply webmaster postmaster hostmaster bot ci cd build
    release ops devops sre jira confluence airflow celery rabbit rabbitmq guest
    invalid unknown none null true false yes no on off
    crm erp etl cms wiki blog portal shop store catalog search orders order billing
    payments payment invoices ledger inventory analytics metrics report reports
    reporting alerts alerting mailer notifier logs logging audit sync importer exporter
    batch jobs queue scheduler backend frontend hr finance sales marketing accounting
    nextcloud wordpress keycloak gitea sonar
    alice bob carol dave eve mallory trent john jane jdoe johndoe janedoe foo bar baz
"""
_NOT_LOGINS = frozenset(_NOT_LOGINS_TEXT.split())
# Parts of an example's or a service's account name ("myuser", "db_admin", "svc-backup").
_SERVICE_PART = re.compile(
    r"user|admin|example|sample|test|demo|service|svc|bot|^my|^your|^db|_r[ow]$|^r[ow]_"
)


def _person_login(login: str) -> bool:
    low = login.casefold()
    parts = re.split(r"[._\-]", low)
    return (
        len(low) >= 3
        and low not in _NOT_LOGINS
        and not any(p in _NOT_LOGINS for p in parts)
        and _SERVICE_PART.search(low) is None
    )


def _named_service(login: str, text: str) -> bool:
    """Whether the text also names a database, an image or an application by the login
    ("POSTGRES_DB: orders" beside "POSTGRES_USER: orders")."""
    return (
        re.search(
            rf"(?i)(?:db|database|dbname|catalog|schema|image|app|service|name)[ \t]*[:=]"
            rf"[ \t]*[\"']?(?:[\w.\-]+/)?{re.escape(login)}(?![\w.\-])",
            text,
        )
        is not None
    )


def login_names(text: str) -> Iterator[Span]:
    """Logins of people in logs, command lines and configuration."""
    for pattern in (_LOGIN_AT, _CLIENT):
        for m in pattern.finditer(text):
            login = m.group("login")
            if _person_login(login) and not _named_service(login, text):
                yield Span(PERSON, m.start("login"), m.end("login"))


# --- a device named after its owner

_DEVICE = (
    r"(?:iphone|ipad|ipod|macbook(?:-?pro|-?air)?|mbp|mba|imac|pc|laptop|desktop|"
    r"android|galaxy|pixel|ps4|ps5|xbox|thinkpad|surface|phone|tablet|kindle|"
    r"chromebook|notebook|portatil|handy)"
)
# "tamar-iphone", "alices-macbook-pro", "rohans-thinkpad.local"
_OWNER_THEN_DEVICE = re.compile(
    rf"(?<![\w.\-])(?P<name>[a-z]{{3,15}})(?:s|'s)?-(?i:{_DEVICE})(?![a-z])", re.IGNORECASE
)
# "iphone-de-maria", "pc-di-luca", "handy-von-jonas"
_DEVICE_OF_OWNER = re.compile(
    rf"(?i:{_DEVICE})-(?:de|di|da|do|del|von|van|of)-(?P<name>[a-z]{{3,15}})(?![\w\-])",
    re.IGNORECASE,
)
# "Keziah's iPad", "Tom's MacBook Pro" (either apostrophe)
_OWNERS_DEVICE = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z][a-z]{2,15})['\u2019]s[ \t]+"
    r"(?:iPhone|iPad|iPod|MacBook|iMac|Mac|Apple Watch|AirPods|Galaxy|Pixel|Kindle|"
    r"ThinkPad|Surface|PC|Laptop|Chromebook)\b"
)
# Owners that are a room, a role or a brand.
_NOT_OWNERS_TEXT = """
    office guest guests lab kitchen living lounge bed bedroom conference meeting
    reception front desk build test dev prod staging home family kids shared work
    admin printer server media main spare lobby hall studio garage basement attic
    apple samsung google microsoft sony amazon lenovo dell asus acer huawei xiaomi
    android the new old my your our their his her its demo store loaner pool team
"""
_NOT_OWNERS = frozenset(_NOT_OWNERS_TEXT.split())


def device_owners(text: str) -> Iterator[Span]:
    """Owners' names inside the names of their devices."""
    for pattern in (_OWNER_THEN_DEVICE, _DEVICE_OF_OWNER, _OWNERS_DEVICE):
        for m in pattern.finditer(text):
            name = m.group("name")
            low = name.casefold()
            if low in _NOT_OWNERS or low in NOT_NAMES or low in NOT_SPEAKERS:
                continue
            if low.endswith("s") and low[:-1] in _NOT_OWNERS:
                continue
            yield Span(PERSON, m.start("name"), m.end("name"))


# --- role fields of forms, court papers and tickets, in capitals or another language

# A name word: capitalised, in capitals, with a particle between ("Kuipers-de Boer").
_FORM_WORD = r"[^\W\d_a-z][^\W\d_]*(?:['\u2019\-][^\W\d_]+)*"
_PARTICLE = r"(?:van|von|de|der|den|du|da|di|del|della|dos|das|ter|te|le|la|ap|i|y|bin|binti)"
_FORM_NAME = rf"{_FORM_WORD}(?:[ \t](?:{_PARTICLE}[ \t]){{0,2}}{_FORM_WORD}){{1,3}}"
_ROLE_FIELD = re.compile(
    r"(?m)(?:^[ \t]*(?:[-*\u2022][ \t]+)?|[ \t]{2,}|[|;][ \t]*)"
    r"(?i:claimant|defendant|respondent|appellant|plaintiff|petitioner|witness|applicant|"
    r"forenames?|forename\(s\)|given names?|"
    r"surname|naam|voornaam|achternaam|cliente|client|tenant|landlord|inquilino|"
    r"locataire|mieter(?:in)?|patient(?:in)?|paciente|demandante|demandado|"
    r"demandeur|défendeur|kläger(?:in)?|beklagte[rn]?|contact|name|full name)"
    r"[ \t]*[:=][ \t]*(?P<name>" + _FORM_NAME + r")(?=[ \t]*(?:$|[,;(<|]|[ \t][-\u2013\u2014]))"
)
# Role words themselves, which a field's value never is.
_NOT_FORM_WORDS_TEXT = """
    n/a na none unknown tbd tba pending same see above below not applicable
    the a an of and or for to in on at by with from
    sarl sa sas sasu gmbh ag kg ltd llc llp inc corp plc bv nv srl spa sl sac oy ab as
    company society association trust foundation council ministry
"""
_NOT_FORM_WORDS = frozenset(_NOT_FORM_WORDS_TEXT.split())


def role_fields(text: str) -> Iterator[Span]:
    """Names in the role fields of forms and court papers, in any case."""
    if ":" not in text and "=" not in text:
        return
    for m in _ROLE_FIELD.finditer(text):
        words = re.split(r"[ \t]+", m.group("name"))
        if any(w.casefold() in _NOT_FORM_WORDS or w.casefold() in NOT_NAMES for w in words):
            continue
        yield Span(PERSON, m.start("name"), m.end("name"))


# --- a chat client's header "Mahlangu, Thandeka 10:02"

_FAMILY_GIVEN_HEADER = re.compile(
    rf"(?m)^[ \t]*(?P<name>{CAP_WORD},[ \t]+{CAP_WORD}(?:[ \t]{CAP_WORD})?)"
    r"[ \t]+\d{1,2}[:.]\d{2}(?:[ \t]?[AaPp][Mm])?[ \t]*$"
)


def chat_headers(text: str) -> Iterator[Span]:
    """Speakers of a chat copied with ``Family, Given time`` headers."""
    if "," not in text:
        return
    for m in _FAMILY_GIVEN_HEADER.finditer(text):
        words = re.split(r"[,\s]+", m.group("name"))
        if not any(w.casefold() in NOT_NAMES for w in words):
            yield Span(PERSON, m.start("name"), m.end("name"))


# --- initials that own an action item: "AI: MK to fix …; AS to ask …"

_ACTION_LINE = re.compile(
    r"(?m)^[ \t]*(?:[-*\u2022][ \t]+)?(?:AI|Action(?: items?)?|ACTION|TODO)[ \t]*:[^\n]*"
)
_ACTION_INITIALS = re.compile(r"(?:^|[:;])[ \t]*(?P<name>[A-Z]{2,3})[ \t]+to[ \t]+[a-z]")
# Roles and teams written in capitals, which own actions too but are no one.
_NOT_INITIALS_TEXT = """
    QA CI CD PM PO HR IT OPS DEV SRE CEO CTO CFO COO ALL TBD DBA UX UI BA SM TL IOS AWS GCP
"""
_NOT_INITIALS = frozenset(_NOT_INITIALS_TEXT.split())


def action_initials(text: str) -> Iterator[Span]:
    """Initials that own an action item in minutes."""
    for line in _ACTION_LINE.finditer(text):
        for m in _ACTION_INITIALS.finditer(line.group()):
            if m.group("name") not in _NOT_INITIALS:
                at = line.start()
                yield Span(PERSON, at + m.start("name"), at + m.end("name"))


# --- lower case: greetings of other languages, fields, titles, kin, possessives

_LOWER = r"[a-zà-öø-ÿāăąćčďēęěğīıłńňōőœřśşšţťūůűźżž]{2,20}(?:['\-][a-zà-öø-ÿ]{2,20})?"
# What may follow a lower-case name: the end of a clause, or a word that goes on
# talking about the person ("kuba to collect", "noura said").
_AFTER_NAME = (
    r"(?=[ \t]*(?:[,.!?;:)\n\u2014\u2013]|$|[ \t](?:to|if|and|or|u|you|will|is|was|"
    r"said|says|has|had|can|could|wants|from|this|that|the|at|in|on|for|about|with|"
    r"today|yesterday|tomorrow|again|here|there|by)\b))"
)
# "ciao giulia," "merci ya noura" "hola marta!" "kia ora mere"
_GREETING = re.compile(
    r"(?<![\w@'\-])(?i:ciao|hola|hallo|salut|bonjour|bonsoir|coucou|ol[aá]|hej|hei|moi|"
    r"ahoj|cze[sś][cć]|szia|merhaba|selam|salam|salaam|kia ora|habari|sawubona|"
    r"grazie|merci|gracias|danke|obrigad[oa]|tack|takk|dank je|dzi[eę]ki|shukran|"
    r"asante|kiitos|xin ch[aà]o|terima kasih)(?:[ \t]+(?i:ya|mi|mon|ma|cara|caro|querid[oa]))?"
    rf"[ \t]+(?P<name>{_LOWER}){_AFTER_NAME}"
)
# "opened by kasia", "assigned: ravi", "> from: yuki", "to: lucy chang,", "(name: x y)"
_LOWER_FIELD = re.compile(
    r"(?m)(?:(?:^|(?<=[\s(]))(?:opened by|reported by|raised by|assigned to|owner)"
    r"|(?:^|(?<=[\s(]))(?i:opened by|reported by|assigned(?: to)?|owner|tenant|patient)[ \t]*:"
    # "(name: …)" inline; a YAML "name:" holds a resource's name
    r"|(?<=\()(?i:name)[ \t]*:"
    r"|^(?:>[ \t]*)?(?i:from|to|cc)[ \t]*:)"
    rf"[ \t]+(?P<name>{_LOWER}(?:[ \t]{_LOWER}){{0,2}})"
    r"(?=[ \t]*(?:[,;)\n\u2014\u2013]|$))"
)
# "mr. tomasz zieliński", "dr ana pereira": a title, a given and a family name.
_LOWER_TITLED = re.compile(
    rf"(?<![\w@'\-])(?:mr|mrs|ms|mx|dr)\.?[ \t]+(?P<name>{_LOWER}[ \t]{_LOWER})(?![\w'\-])"
)
# "his son kuba", "my wife ana": kin, then a name.
_LOWER_KIN = re.compile(
    r"(?<![\w@'\-])(?i:his|her|my|our|their|your)[ \t]+(?:son|daughter|wife|husband|partner|"
    r"brother|sister|mum|mom|dad|mother|father|boyfriend|girlfriend|nephew|niece|"
    rf"grandson|granddaughter|cousin|flatmate|roommate)[ \t]+(?P<name>{_LOWER}){_AFTER_NAME}"
)
# "send hamid's email": a lower-case owner of something only a person has.
_LOWER_BELONGING = re.compile(
    rf"(?<![\w@'\-])(?P<name>{_LOWER})['\u2019]s[ \t]+(?:e-?mail|number|phone|mobile|cell|"
    r"address|contact|details|birthday|mum|mom|dad|wife|husband|kids|son|daughter|"
    r"flat|house|place|car)\b"
)
_DETERMINER_BEFORE = re.compile(
    r"(?i:\b(?:the|a|an|my|your|his|her|our|their|its|this|that|each|every|any|no))[ \t]+\Z"
)
# Owners and holders that are a role, not a person.
_ROLES_TEXT = """
    user users client customer patient driver member owner tenant guest caller sender
    recipient employee manager company team vendor supplier school office store shop
    someone somebody anyone anybody everyone everybody nobody person people other
    mother father mum mom dad wife husband son daughter brother sister
"""
_ROLES = frozenset(_ROLES_TEXT.split())
# Words that follow a greeting or a thanks of another language, or stand in a field,
# and name no one ("merci beaucoup", "ciao tutti", "opened by mistake").
_NOT_LOWER_MORE_TEXT = """
    beaucoup bcp mille infiniment encore bien tous toutes vous toi tout tutti tutte
    ragazzi ragazze raga gente todos todas amigos chicos chicas mucho muchas muchos
    muito muita vielmals sehr allen alle allemaal wszystkim mindenkinek herkese kila
    semua lahat sana wote mistake accident default error hand mail email phone chat api
    system script automation unassigned nobody none tbd tba pending open closed self
    myself yourself
"""
_NOT_LOWER_MORE = frozenset(_NOT_LOWER_MORE_TEXT.split())


def _lower_ok(words: list[str]) -> bool:
    return all(
        w.islower()
        and w not in NOT_LOWER
        and w not in _NOT_LOGINS
        and w not in _ROLES
        and w not in _CLOSING_WORDS
        and w not in _NOT_LOWER_MORE
        for w in words
    )


def lower_case_people(text: str) -> Iterator[Span]:
    """People written in lower case after cues of other languages, in fields, after a
    title, a word of kin, or owning what only a person owns."""
    for pattern in (_GREETING, _LOWER_FIELD, _LOWER_TITLED, _LOWER_KIN, _LOWER_BELONGING):
        for m in pattern.finditer(text):
            words = m.group("name").split()
            if not _lower_ok(words) or (pattern is _LOWER_FIELD and "-" in words[0]):
                continue
            if pattern is _LOWER_BELONGING and _DETERMINER_BEFORE.search(
                text, max(0, m.start() - 12), m.start()
            ):
                continue
            yield Span(PERSON, m.start("name"), m.end("name"))


def casual_names(text: str) -> list[Span]:
    """Every person the readers of this module find in ``text``."""
    return [
        *signed_mail(text),
        *login_names(text),
        *device_owners(text),
        *role_fields(text),
        *chat_headers(text),
        *action_initials(text),
        *lower_case_people(text),
    ]
