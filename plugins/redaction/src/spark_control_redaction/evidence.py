"""What the model reads as a name, a place or an organisation but the words around it
show is something else (issue 21, round 6): the name of a secret ("Passcode:"), an
identifier written in CamelCase ("KeyError", "HWaddr"), a part of a path or a time zone
("Europe/Berlin", "TZ=Europe"), a defined term of a contract ("the Licensee"), a
heading or feature named with a word for a thing of software or paperwork ("Disk Usage
Report", "the Privacy Policy"), a lone word on a log line ("INFO Scheduler ready").
Round 8 (negatives): a phrase made only of words of software, interfaces and teams
("Consumer Group", "Bulk Export", "the Search Team"), a word right before a version or
a noun of software ("Chrome 120+", "Prometheus metrics", "Kafka topic"), a step of an
interface's path ("Settings > Workspace"), and a lone word on a line that starts with a
time stamp (syslog, dmesg, ISO) whatever the model calls it.
Round 9 (prose docs): a word any mention of which shows it is software ("Vivaldi 6"
beside "Edge 118+", "install Hugo", "Loki's API"), written in the text's code
(`use_nginx`, `hugo server`), or joined to such a word ("from Vite to Consul").
The word lists are English of ordinary usage, written by hand; none holds a word that is
also a common given name ("Will", "Grace", "Bill"), so those stay with the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span
from spark_control_redaction.prefilter import guarded
from spark_control_redaction.rules import secret_name

# "KeyError", "WireGuard", "HWaddr": a capital after a lower-case letter, or two capitals
# and then lower case. (People's names do that too — "McDonald", "DiCaprio" — so the
# test is for organisations and places only.)
_CAMEL = re.compile(r"^[^\W\d_]*[a-z][A-Z]|^[A-Z]{2,}[a-z]")
# Characters that glue a word into an identifier, a path or a setting.
_GLUE = "/=_\\.:@"
_THE_BEFORE = re.compile(r"(?i)(?<![\w])the[ \t]+$")


# Words that name a thing of software, work or paperwork — a report, a review, a
# service, a policy — or say what happened to it ("Started", "Failed"): a title-cased
# phrase with one of them is a heading or a feature ("Disk Usage Report", "Load
# Balancer", "the Privacy Policy"), never a person, and not an organisation or a place
# either (an organisation's own heads — "Group", "Services", "Systems" — are not here).
_THING_WORDS_TEXT = """
    report reports review reviews balancer dashboard latency overview summary usage
    metrics statistics module modules manager scheduler queue worker job jobs task tasks
    rule rules board pipeline pipelines cluster server servers engine proxy gateway
    cache monitor monitoring check checks alert alerts settings page menu button form
    table panel console portal plan planning meeting standup retro sprint release
    releases update updates upgrade patch issue issues ticket tickets request requests
    error errors exception warning notice terms conditions agreement policy policies
    guide manual documentation docs tutorial quickstart directories directory folder
    folders volume disk memory storage backup backups database logs log cleanup
    deployment deployments started finished deployed completed failed updated added
    removed fixed changed enabled disabled scheduled crashed loaded info warn debug
    trace fatal critical err
"""
_THING_WORDS = frozenset(_THING_WORDS_TEXT.split())
# Words of software, interfaces, process and teams that title case turns into what reads
# like a name ("Consumer Group", "Dark Mode", "Desktop Client", "the Platform Team"). A
# phrase of these words alone (and the small words between them) is no entity. Kept out:
# surnames that are words ("Page", "Price", "Banks", "Hall") and given names ("Will").
_SOFTWARE_WORDS_TEXT = """
    account accounts admin advanced agent analytics app apps archive archived audit
    automation bulk billing build builds canary client clients cloud code config
    configuration consumer consumers control cost costs data default desktop dark deploy
    delivery design edge editor enterprise environment explorer export exports feature
    features feed filter filters flag flags group groups incident incidents index infra
    infrastructure ingest integration integrations inventory key keys layer layout light
    limit limits live load mobile mode network notifications observability on-call
    operations ops pending platform preview pricing product production profile quota
    quotas rate reliability retention retries retry runtime saved search security session
    sessions sign-on sign single smart staging status success successful support sync
    team teams template templates tenant tenants test testing tests trail upload uploads
    user users web webhook webhooks window workflow workflows workspace workspaces
    maintenance ok passed pass failure timeout unknown enabled inbox ledger
    scanner crawler indexer limiter notifier linter compiler bundler loader parser
    renderer resolver dispatcher handler listener watcher watchdog reaper compactor
    replicator uploader downloader installer updater migrator exporter importer
    formatter validator analyzer analyser profiler debugger tracer logger emitter
    producer publisher subscriber router controller orchestrator provisioner allocator
    collector sweeper janitor poller spooler throttler sampler successfully unstable
    stable kib mib gib tib kb mb gb tb changelog reference applications portal sidebar
    sales marketing finance legal engineering success procurement accounting payroll
    recruiting customer partnerships revenue growth research developer developers
    service services node nodes instance instances bucket buckets runner runners member
    members joined duration progress datacenter localhost checkout degraded healthy
    unhealthy online offline target extract nightly daily weekly hourly monthly
    filesystem size used avail available mounted total free capacity core bot robot
    lunch drive handbook coffee kitchen easter christmas xmas thanksgiving halloween
    hanukkah diwali ramadan
"""
_SOFTWARE_WORDS = frozenset(_SOFTWARE_WORDS_TEXT.split()) | _THING_WORDS
_SMALL_WORDS = frozenset(
    {"the", "a", "an", "and", "or", "of", "for", "to", "on", "in", "with", "&"}
)
# Nouns of software after a product's name ("Prometheus metrics", "Kafka topic",
# "Jenkins pipeline"); lower case, so "Smith Group" is not one.
_SOFTWARE_AFTER = re.compile(
    r"[ \t]+(?:metrics|dashboards?|clusters?|exporters?|operators?|charts?|plugins?|drivers?|"
    r"clients?|servers?|instances?|containers?|images?|pods?|nodes?|brokers?|topics?|"
    r"queues?|index(?:es)?|buckets?|daemons?|agents?|controllers?|sdk|cli|librar(?:y|ies)|"
    r"packages?|modules?|extensions?|config(?:uration)?|jobs?|pipelines?|builds?|"
    r"releases?|versions?|docs|integration|connectors?|backend|frontend|deployments?|"
    r"namespaces?|endpoints?|workers?|scheduler|runners?|templates?|schemas?|"
    r"migrations?|quer(?:y|ies)|logs|traces|tracing|alerting|cache|database|repo(?:sitory)?|"
    r"upgrade|binary|binaries|daemon|shell|console|sidecar|proxy|gateway|tickets?|bugs?|"
    r"issues?|channels?|board|workspaces?)\b"
    # an imperative's object: "Ping me", "Email us" (a name is not followed by one)
    r"|[ \t]+(?:me|us|them)\b"
)
# Nouns of software before a name they give to a thing ("runner Hermes", "Build Agent
# Atlas"); "host" (of a meeting), "owner", "user" and "project" are left out.
_SOFTWARE_BEFORE = re.compile(
    r"(?i)\b(?:container|runner|agent|node|pool|cluster|instance|bucket|queue|job|task|"
    r"service|worker|pod|volume|image|repo|repository|branch|database|table|topic|bot|vm|"
    r"daemon|plugin|module|package|library|model|pipeline|workflow|namespace|region)[ \t]+$"
)
# A version right after the word: "Chrome 120+", "PostgreSQL 16.2", "Python 3.12", "v2".
_VERSION_AFTER = re.compile(r"[ \t]+(?:v?\d+(?:\.\d+)+|\d+\+|v\d+)(?![\w])")
# " > " between the steps of an interface's path: "Settings > Workspace > Advanced".
_UI_PATH = re.compile(r"[ \t]>[ \t]")
# A line that opens with a time stamp: ISO ("2026-03-01T10:00:00"), syslog ("Dec  7
# 10:00:01") or a kernel's ("[ 1234.567890]")…
_STAMPED_LINE = re.compile(
    r"\s*\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}[\d:.,]*(?:Z|[+-]\d{2}:?\d{2})?|"
    r"[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\s*\d+\.\d+)\]?"
)
# … unless a speaker follows it, as in a chat's export ("2026-03-01 10:02 Jane Roe: ok").
_SPEAKER = re.compile(r"[\s,\-\u2013]*(?:[^\W\d_][^\W\d_'.\-]*[ \t]?){1,3}:\s")
# A line of a log: a level word.
_LOG_LEVEL = re.compile(
    r"\b(?:INFO|WARN|WARNING|ERROR|ERR|DEBUG|TRACE|FATAL|CRITICAL|NOTICE|SEVERE)\b"
)
# Words after which a capitalised word is a person's ("by Jenkins", "user Kim").
_PERSON_BEFORE = re.compile(
    r"(?i)(?:\b(?:by|with|from|for|to|in|at|near|of|cc|user|owner|author|assignee|contact|ask|ping|"
    r"thanks|dear|hi|hello)|@)[ \t:]+$"
)


def identifier_or_term(text: str, span: Span, value: str) -> bool:
    """Whether the NER span ``value`` (``text[span.start:span.end]``, stripped) is one of
    the kinds above."""
    if secret_name(value.replace(" ", "_")):
        return True  # "Passcode", "Api Token": what a secret is called
    if _code_or_message(text, span, value) or (
        span.type in (ORG, LOCATION) and infrastructure_place(text, span, value)
    ):
        return True
    if any(w.casefold() in _THING_WORDS for w in value.split()):
        return True
    single = " " not in value
    if _software_context(text, span, value, single=single):
        return True
    # "CI Bot <ci@…>", "Renovate Bot": an account of a program, not of a person.
    if span.type == PERSON and value.split()[-1].casefold() in ("bot", "robot"):
        return True
    if span.type in (ORG, LOCATION) and single:
        if _CAMEL.match(value):
            return True
        before = text[span.start - 1] if span.start else " "
        after = text[span.end] if span.end < len(text) else " "
        # "Europe/Berlin", "TZ=Europe", "config.Settings": glued into a longer token (a
        # place's name ends a sentence with "." and a space, which is no glue).
        if before in _GLUE or (after in _GLUE and not _sentence_end(text, span.end)):
            return True
    # "the Licensee shall not …", "the Software": a contract's defined term; a person
    # is not "the Alice" (a place may be: "the Hague").
    if span.type in (PERSON, ORG) and single:
        return _THE_BEFORE.search(text, max(0, span.start - 8), span.start) is not None
    return False


def _software_context(text: str, span: Span, value: str, *, single: bool) -> bool:
    """Round 8: words of software, a log line, a version or a noun of software after
    the word, a step of an interface's path, a lone word in a technical text."""
    if software_phrase(value) or _ui_step(text, span):
        return True
    if not single:
        return _joined_products(text, span, value)
    if _in_log_line(text, span) or value.lower() in _dotted_parts(text):
        return True
    if _VERSION_AFTER.match(text, span.end) or _SOFTWARE_AFTER.match(text, span.end):
        return True
    if _SOFTWARE_BEFORE.search(text, max(0, span.start - 14), span.start):
        return True  # "runner Hermes", "container Portainer": a machine's or a job's name
    # Round 9: one word, one thing in a text: any mention of it shows it is software
    # ("Vivaldi 6" beside "Edge 118+", "from Vite to Consul" beside `use_consul`).
    if (
        value.isascii()
        and not _PERSON_CUE.search(text, max(0, span.start - 16), span.start)
        and (_mentioned_as_software(text, value) or _beside_a_product(text, value))
    ):
        return True
    if (
        span.type != PERSON
        and value.isascii()
        and value.lower() in _code_twins(text)
        and not _PERSON_CUE.search(text, max(0, span.start - 16), span.start)
    ):
        return True  # "Nginx" beside `use_nginx`, "Sentry" beside `sentry-sdk`
    # (Products' names are written in ASCII; "Solène" is someone the model took for one.)
    return (
        span.type in (ORG, LOCATION)
        and value.isascii()
        and _technical(text)
        and not _cued(text, span)
    )


# Round 9 (prose docs): a list of products with their versions ("Chrome 121+, Firefox
# 109+ and Safari 15"): a word with a bare number after it next to an item with a version.
_BARE_NUMBER_AFTER = re.compile(r"[ \t]+\d+\+?(?![\w.,:/]\w)")
# (The item's version has a dot, a "+" or a "v": "Bob 9" in a list of scores is none.)
_VERSIONED_ITEM = r"[A-Z][\w.+\-]*[ \t]+(?:v?\d+(?:\.\d+)+\+?|\d+\+|v\d+)"
_LIST_JOIN = r"(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)"
_SIBLING_BEFORE = re.compile(rf"{_VERSIONED_ITEM}{_LIST_JOIN}$")
_SIBLING_AFTER = re.compile(rf"{_LIST_JOIN}{_VERSIONED_ITEM}")


# "Jinja's sandboxed environment", "Rust's compiler": what only software has (a person
# has a client, a laptop or a docs folder, so those are not here).
_POSSESSIVE_OF_SOFTWARE = re.compile(
    r"['\u2019]s[ \t]+(?:sdk|api|apis|cli|compiler|runtime|syntax|orm|toolchain|stdlib|"
    r"standard[ \t]+library|type[ \t]+system|sandbox(?:ed)?|launcher|parser|broker|plugins?|"
    r"bindings|source[ \t]+code|release[ \t]+notes|changelog|test[ \t]+suite)\b",
    re.I,
)
# What one does to software only: "install Hugo", "pip install Flask", "import Pandas".
_INSTALL_BEFORE = re.compile(
    r"(?i)\b(?:install|installs|installed|installing|uninstall|import)[ \t]+$"
)


@lru_cache(maxsize=256)
def _mentioned_as_software(text: str, word: str) -> bool:
    """Whether a mention of ``word`` in ``text`` has a version or a noun of software
    after it, is listed with products' versions ("Vivaldi 6" beside "Edge 118+"), has
    what only software has ("Jinja's sandbox") or is installed ("install Hugo")."""
    for start, end in _mentions(text, word):
        if (
            _VERSION_AFTER.match(text, end)
            or _SOFTWARE_AFTER.match(text, end)
            or _POSSESSIVE_OF_SOFTWARE.match(text, end)
            or _listed_with_versions(text, start, end)
            or _INSTALL_BEFORE.search(text, max(0, start - 24), start)
        ):
            return True
    return False


def _listed_with_versions(text: str, start: int, end: int) -> bool:
    """A word and a number among products and their versions; a person's name is not
    listed with a number beside "Firefox 109+"."""
    after = _BARE_NUMBER_AFTER.match(text, end)
    if after is None:
        return False
    return bool(
        _SIBLING_BEFORE.search(text, max(0, start - 40), start)
        or _SIBLING_AFTER.match(text, after.end())
    )


# Round 9: identifiers of code joined by "_" or "-" ("use_nginx", "sentry-sdk",
# "kafka-bridge"): a capitalised word whose lower case is one of their parts names the
# software. Not addresses (a person's e-mail), paths (home directories) or handles, and
# not parts glued to digits ("alice-01" is a machine named after someone).
_SNAKE_OR_KEBAB = re.compile(r"(?<![\w@/.\-])[a-z][a-z0-9]*(?:[_\-][a-z][a-z0-9]*)+(?![\w@/\-])")
# Words before a person's name only ("ask Nginx" is no product); "from" and "to" introduce
# products too ("from Webpack to Nginx").
_PERSON_CUE = re.compile(
    r"(?i)(?:\b(?:by|cc|user|owner|author|assignee|contact|ask|ping|thanks|dear|hi|hello|"
    r"thank)|@)[ \t:,]+$"
)
_PATHS = re.compile(r"\S*/\S*")


_CODE = re.compile(r"`[^`\n]+`|^```[^\n]*\n.*?^```", re.M | re.S)


@lru_cache(maxsize=16)
def _code_twins(text: str) -> frozenset[str]:
    """The parts of the snake_case and kebab-case identifiers in the code of ``text``
    (backticks and fences: a host named "alice-laptop" in a log is no product)."""
    code = " ".join(m.group() for m in _CODE.finditer(text))
    bare = _PATHS.sub(" ", _ADDRESSES.sub(" ", code))
    parts = {part for m in _SNAKE_OR_KEBAB.finditer(bare) for part in re.split(r"[_\-]", m.group())}
    parts.update(m.group("program") for m in _COMMAND.finditer(bare))
    return frozenset(part for part in parts if len(part) > 2)


# A program run or a package installed in code: "`hugo server -D`", "$ celery -A app",
# "pip install flask" ("Hugo" and "Celery" in the prose name them).
_COMMAND = re.compile(
    r"(?:^|(?<=[`\n])|(?<=\$ )|(?<=install ))[ \t]*(?P<program>[a-z][a-z0-9]+)(?=[ \t`]|$)", re.M
)


# Round 9: a word joined to a product by "and", "or", "to", "vs." or a comma ("from Vite
# to Consul", "ClickHouse and Pydantic", "Kafka vs. RabbitMQ") is one too; the product is
# a word with evidence of its own (in CamelCase, written in code, a version after it).
_JOINED = (
    r"(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or|to|vs\.?|versus)[ \t]+"
    r"|[ \t]*/[ \t]*)"
)
_PRODUCT_WORD = r"[A-Z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]"


def _mentions(text: str, word: str) -> Iterator[tuple[int, int]]:
    """What ``re.finditer(rf"(?<![\\w.\\-]){re.escape(word)}(?![\\w\\-])", text)`` finds,
    without compiling a pattern per word (that cost more than the search and pushed
    other patterns out of ``re``'s cache): left to right, a match ends the search there."""
    if not word:  # (an empty pattern matches between characters: never asked for)
        yield from (m.span() for m in re.finditer(r"(?<![\w.\-])(?![\w\-])", text))
        return
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _word_dot_or_dash(text[at - 1])) and not (
            end < len(text) and _word_or_dash(text[end])
        ):
            yield at, end
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)


def _word_dot_or_dash(char: str) -> bool:
    """What ``[\\w.\\-]`` matches (``\\w`` is ``str.isalnum()`` or "_")."""
    return char.isalnum() or char in "_.-"


def _word_or_dash(char: str) -> bool:
    """What ``[\\w\\-]`` matches."""
    return char.isalnum() or char in "_-"


# What must stand right after or right before ``word`` for ``_beside_a_product``'s
# pattern to match there: a join and a product's word after it, or a join before it.
_JOINED_PRODUCT_AFTER = re.compile(rf"{_JOINED}{_PRODUCT_WORD}(?![\w\-])")
_JOIN_ENDS = (",", "/", "and", "or", "to", "vs", "vs.", "versus")


def _maybe_beside(text: str, word: str) -> bool:
    """Whether ``_beside_a_product``'s pattern can match ``text`` at all: an occurrence
    of ``word`` with a join and a product after it, or with a join before it and nothing
    of a word after it. A necessary condition, checked without compiling a pattern."""
    at = text.find(word) if word else -1
    while at >= 0:
        end = at + len(word)
        if _JOINED_PRODUCT_AFTER.match(text, end):
            return True
        if not (end < len(text) and _word_or_dash(text[end])):
            window = text[max(0, at - 48) : at]
            before = window.rstrip(" \t")
            # (a long run of blanks: the join may have begun before the window)
            if len(window) - len(before) > 40 or before.endswith(_JOIN_ENDS):
                return True
        at = text.find(word, at + 1)
    return False


@lru_cache(maxsize=256)
def _beside_a_product(text: str, word: str) -> bool:
    """Whether ``word``, somewhere in ``text``, is joined to a word that shows it is
    software by itself."""
    if not _maybe_beside(text, word):
        return False  # (most words: no pattern compiled for them)
    w = re.escape(word)
    pattern = re.compile(
        rf"(?<![\w.\-])(?:{w}{_JOINED}(?P<after>{_PRODUCT_WORD})|(?P<before>{_PRODUCT_WORD}){_JOINED}{w})(?![\w\-])"
    )
    for m in pattern.finditer(text):
        other = m.group("after") or m.group("before")
        if other == word:
            continue
        end = m.end("after") if m.group("after") else m.end("before")
        if _product_by_itself(text, other, end):
            return True
    return False


def _joined_products(text: str, span: Span, value: str) -> bool:
    """A span the model made of two words joined ("ClickHouse and Pydantic", "Webpack to
    Nginx"), each a product by itself or beside one ("Procter and Gamble" has neither)."""
    m = re.fullmatch(rf"({_PRODUCT_WORD}){_JOINED}({_PRODUCT_WORD})", value)
    if m is None or not value.isascii():
        return False
    at = text.find(value, span.start)
    return all(
        _product_by_itself(text, part, at + m.end(i)) or _beside_a_product(text, part)
        for i, part in ((1, m.group(1)), (2, m.group(2)))
    )


# "ClickHouse", "FastAPI", "RabbitMQ": a capital after three small letters or two capitals
# inside; people's names with an inner capital have one or two before it ("JoAnn",
# "DeShawn", "McKenzie", "MacArthur").
_PRODUCT_CAMEL = re.compile(r"^[A-Z][a-z]{3,}[A-Z]|[a-z][A-Z]{2}")


def _product_by_itself(text: str, word: str, end: int) -> bool:
    """Evidence in ``word`` alone (ending at ``end``) that it names software."""
    return bool(
        _PRODUCT_CAMEL.search(word)
        or word.lower() in _code_twins(text)
        or word.lower() in _dotted_parts(text)
        or _VERSION_AFTER.match(text, end)
        or _SOFTWARE_AFTER.match(text, end)
    )


# A dotted name of code: "java.lang.OutOfMemoryError", "kafka.consumer.Fetcher".
_DOTTED_NAME = re.compile(r"(?<![\w.@])[a-z_]\w*(?:\.[A-Za-z_]\w*){2,}")


@lru_cache(maxsize=16)
def _dotted_parts(text: str) -> frozenset[str]:
    """The parts of the dotted names of code in ``text`` (not of addresses: "Smith" is
    someone beside "jo@smith.example.com"): "Java" beside "java.lang.Error" is code."""
    bare = _ADDRESSES.sub(" ", text)
    return frozenset(part for m in _DOTTED_NAME.finditer(bare) for part in m.group().split("."))


def software_phrase(value: str) -> bool:
    """Every word of ``value`` a word of software, interfaces or teams (above)."""
    words = [w.casefold() for w in re.split(r"[\s/,;]+", value) if w]
    return bool(words) and all(w in _SOFTWARE_WORDS or w in _SMALL_WORDS for w in words)


def _ui_step(text: str, span: Span) -> bool:
    """A step of an interface's path: "Settings > Workspace > Advanced"."""
    return bool(
        _UI_PATH.match(text, span.end) or (span.start >= 3 and _UI_PATH.match(text, span.start - 3))
    )


# Marks of a technical text: code in backticks or a fence, a shell prompt, a version of
# three numbers, a long command-line flag, a dotted module, an assignment, a path.
_TECH_MARKS = (
    re.compile(r"`[^`\n]+`|^[ \t]*(?:\$ |```|> )", re.M),
    re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+(?![\w.])"),
    re.compile(r"(?<![\w\-])--[a-z][\w\-]+"),
    re.compile(r"(?<![\w.])[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*"),
    re.compile(r"(?<![\w.])[a-z_][a-z0-9_]*=\S"),
    re.compile(r"(?<![\w.])/[a-z0-9_.\-]+/[a-z0-9_.\-]+"),
)
# What introduces a place or an organisation: a preposition, a field's label or a quote.
_ENTITY_BEFORE = re.compile(
    r"(?i)(?:\b(?:in|at|from|to|for|near|of|with|by|via|based|visit|office|branch|"
    r"company|customer|client|vendor|partner|employer|city|country|region|site)"
    r"|[:=]|[\"'])[ \t:]*$"
)


@lru_cache(maxsize=16)
def _technical(text: str) -> bool:
    """Whether ``text`` shows two kinds of marks of a technical text (docs, configuration,
    a log): there, a lone capitalised word the model calls an organisation or a place is
    mostly a product or a component ("Vault", "Kubernetes")."""
    bare = _ADDRESSES.sub(" ", text)  # a URL's host and path are no code
    return sum(p.search(bare) is not None for p in _TECH_MARKS) >= 2


_ADDRESSES = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.\-]*://|www\.)\S+|\S+@\S+")


def _cued(text: str, span: Span) -> bool:
    """Whether a word introducing a place or an organisation stands before ``span``."""
    start = max(0, span.start - 16)
    return (
        _ENTITY_BEFORE.search(text, start, span.start) is not None
        or _PERSON_BEFORE.search(text, start, span.start) is not None
    )


def _sentence_end(text: str, at: int) -> bool:
    """A full stop or colon at ``at`` followed by a space or the end of the text."""
    return text[at] in ".:" and (at + 1 >= len(text) or text[at + 1] in " \t\n\r")


def _in_log_line(text: str, span: Span) -> bool:
    """A lone word the model calls a name on a line of a log ("INFO Scheduler
    ready", "Dec  7 10:00:01 web-01 systemd[1]: Started Vault agent"), not after a
    word that introduces a person or a place ("… by Jenkins", "login from Berlin").
    (Also counting lines with identifiers, versions or paths as technical dropped more
    names than false positives: not done.)"""
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    line = text[start : len(text) if end == -1 else end]
    if _PERSON_BEFORE.search(text, max(start, span.start - 12), span.start):
        return False
    if _LOG_LEVEL.search(line) is not None:
        return True
    stamp = _STAMPED_LINE.match(line)
    return stamp is not None and _SPEAKER.match(line, stamp.end()) is None


# Round 10: a place that names a cloud's region, zone or data centre ("the Frankfurt
# region", "the Oregon zone", "Frankfurt Data Center", "eu-central-1 (Frankfurt)"):
# where machines are, not where someone is. A noun of infrastructure after the place (at
# any mention of it: one word, one thing in a text), or a region's code on the line of a
# place (not of an organisation: a customer is configured beside its region).
# "Region" and "zone" alone are also said of where people live ("the Paris region", "the
# Berlin time zone"): they count only in a text about machines.
_DC_NOUN = (
    r"(?:data[ \t]*cent(?:er|re)s?|edge[ \t]+(?:locations?|zones?|nodes?|sites?)|"
    r"points?[ \t]+of[ \t]+presence|pops?)"
)
_INFRA_NOUN = rf"(?:regions?|zones?|availability[ \t]+zones?|{_DC_NOUN})"
_INFRA_AFTER = re.compile(rf"(?i)[ \t]+{_INFRA_NOUN}\b")
_INFRA_TAIL = re.compile(rf"(?i)[ \t]+{_INFRA_NOUN}$")
_DC_AFTER = re.compile(rf"(?i)[ \t]+{_DC_NOUN}\b|[ \t]+{_DC_NOUN}$")
# A cloud's region or zone code: "us-east-1", "ap-southeast-2", "us-east-1a",
# "europe-west3", "europe-west3-a", "us-gov-west-1".
_REGION_CODE = re.compile(
    r"(?<![\w\-.])[a-z]{2,12}-(?:[a-z]{2,6}-)?(?:north|south|east|west|central)[a-z]{0,9}"
    r"-?\d{1,2}(?:-?[a-z])?(?![\w\-])"
)
_MACHINES = re.compile(
    r"(?i)\b(?:cloud|clusters?|servers?|instances?|nodes?|deploy\w*|latency|host(?:ed|ing)|"
    r"traffic|replica\w*|failover|outage|maintenance|uptime|storage|buckets?|cdn)\b"
)


def infrastructure_place(text: str, span: Span, value: str) -> bool:
    """Whether the place or organisation ``value`` names a cloud's region, zone or data
    centre (see above)."""
    tail = _INFRA_TAIL.search(value)
    if (tail and _DC_AFTER.search(value)) or _DC_AFTER.match(text, span.end):
        return True
    if not _about_machines(text):
        return False
    if tail or _INFRA_AFTER.match(text, span.end):
        return True
    if value.isascii() and _named_as_infrastructure(text, value):
        return True
    if span.type != LOCATION:
        return False  # "`region=eu-west-1` for the customer Meridian": a customer
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    return _REGION_CODE.search(text, start, len(text) if end == -1 else end) is not None


@lru_cache(maxsize=16)
def _about_machines(text: str) -> bool:
    """A region's code, a word of machines or two marks of a technical text."""
    return bool(_REGION_CODE.search(text) or _MACHINES.search(text) or _technical(text))


@lru_cache(maxsize=256)
def _named_as_infrastructure(text: str, value: str) -> bool:
    """Whether a mention of ``value`` in ``text`` has a noun of infrastructure after it."""
    for m in re.finditer(rf"(?<![\w.\-]){re.escape(value)}(?![\w\-])", text):
        if _INFRA_AFTER.match(text, m.end()):
            return True
    return False


# Round 10: what code and its errors write. An identifier in camelCase ("compileKotlin",
# "useEffect", "macOS": a small letter first, a capital inside; no name is written so);
# the first word of an error's message ("TypeError: Cannot read …", "…Exception:
# Sequence contains no elements"); a name qualified by a package ("io.Reader").
_LOWER_CAMEL = re.compile(r"(?<![^\s(\[])[a-z]+[A-Z][A-Za-z0-9]*(?![^\s,.;:)\]])")
_ERROR_BEFORE = re.compile(r"\w(?:Error|Exception|Fault|Failure)[ \t]*:[ \t]+$")
_QUALIFIER_BEFORE = re.compile(r"(?<![\w.])[a-z_][a-z0-9_]*\.$")
# A team of a company, not a person: "Tidewater Support", "Northwind Billing".
_UNIT_TAIL = re.compile(
    r"[ \t](?:Support|Team|Desk|Helpdesk|Operations|Billing|Accounts|Sales|Care)$"
)


def _code_or_message(text: str, span: Span, value: str) -> bool:
    if _LOWER_CAMEL.search(value):
        return True
    if " " not in value and _ERROR_BEFORE.search(text, max(0, span.start - 24), span.start):
        return True
    if " " not in value and _QUALIFIER_BEFORE.search(text, max(0, span.start - 24), span.start):
        return True
    return span.type == PERSON and _UNIT_TAIL.search(value) is not None


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_MACHINES = guarded(_MACHINES)
_REGION_CODE = guarded(_REGION_CODE)
_CODE = guarded(_CODE)
