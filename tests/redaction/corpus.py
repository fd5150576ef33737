"""The generated test corpus: texts with labelled PII, for the leak suite and the
benchmark. Values come from Faker (several locales) and from a small secret-token
maker here; the detectors never see this module or Faker's word lists.

``generate(n, seed)`` mixes everyday templates with hand-written hard cases (names
inside e-mail addresses, PII glued to punctuation, repeated and overlapping entities,
unicode names, PII split across lines, Markdown, placeholder-shaped input).
"""

from __future__ import annotations

import ipaddress
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES")
RULE_TYPES = (
    "EMAIL", "PHONE", "CREDIT_CARD", "SSN", "IBAN", "IP_ADDRESS", "URL", "MAC_ADDRESS", "SECRET",
)  # fmt: skip
NER_TYPES = ("PERSON", "ORG", "LOCATION")


@dataclass(frozen=True)
class Label:
    type: str
    start: int
    end: int


@dataclass
class Sample:
    text: str
    labels: list[Label] = field(default_factory=list)
    kind: str = "template"

    def value(self, label: Label) -> str:
        return self.text[label.start : label.end]


class _Builder:
    """Concatenates plain text and labelled values, keeping offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.labels: list[Label] = []
        self.length = 0

    def t(self, text: str) -> _Builder:
        self.parts.append(text)
        self.length += len(text)
        return self

    def e(self, type_: str, value: str) -> _Builder:
        self.labels.append(Label(type_, self.length, self.length + len(value)))
        return self.t(value)

    def build(self, kind: str) -> Sample:
        return Sample("".join(self.parts), self.labels, kind)


class Values:
    """Random PII values of every type."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(seed * 31 + i)
        self.f = self.fakers["en_US"]

    def pick(self) -> Faker:
        return self.fakers[self.rng.choice(LOCALES)]

    def person(self) -> str:
        f = self.pick()
        return f"{f.first_name()} {f.last_name()}"

    def company(self) -> str:
        return self.f.company()

    def city(self) -> str:
        return self.pick().city()

    def email(self, name: str | None = None) -> str:
        if name is None:
            return self.rng.choice([self.f.email, self.f.company_email, self.f.free_email])()
        first, *rest = name.lower().split()
        last = rest[-1] if rest else "x"
        sep = self.rng.choice([".", "_", ""])
        return f"{first}{sep}{last}@{self.f.domain_name()}"

    def phone(self) -> str:
        loc = self.rng.choice(("en_US", "en_US", "en_GB", "de_DE", "fr_FR"))
        return self.fakers[loc].phone_number()

    def card(self) -> str:
        number = self.f.credit_card_number(
            self.rng.choice(["visa16", "mastercard", "amex", "discover", "jcb16", "diners"])
        )
        style = self.rng.random()
        if style < 0.3 and len(number) == 16:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        if style < 0.45 and len(number) == 16:
            return "-".join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def ssn(self) -> str:
        return self.f.ssn()

    def iban(self) -> str:
        iban = self.pick().iban()
        if self.rng.random() < 0.4:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def ip(self) -> str:
        choice = self.rng.random()
        if choice < 0.4:
            return self.f.ipv4_public()
        if choice < 0.6:
            return self.f.ipv4_private()
        address = self.f.ipv6()
        return ipaddress.IPv6Address(address).compressed if choice < 0.8 else address

    def url(self) -> str:
        return self.rng.choice([self.f.url, self.f.uri, lambda: "www." + self.f.domain_name()])()

    def mac(self) -> str:
        mac = self.f.mac_address()
        style = self.rng.random()
        if style < 0.3:
            return mac.upper().replace(":", "-")
        if style < 0.45:
            raw = mac.replace(":", "")
            return ".".join(raw[i : i + 4] for i in range(0, 12, 4))
        return mac

    def _random(self, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def secret(self) -> str:
        kind = self.rng.randrange(8)
        if kind == 0:
            return "sk-" + self._random(48)
        if kind == 1:
            return "sk-proj-" + self._random(40) + "_" + self._random(20)
        if kind == 2:
            return "ghp_" + self._random(36)
        if kind == 3:
            return "AKIA" + self._random(16, string.ascii_uppercase + string.digits)
        if kind == 4:
            return "xoxb-" + self._random(11, string.digits) + "-" + self._random(24)
        if kind == 5:
            return "sk_live_" + self._random(24)
        if kind == 6:
            return "hf_" + self._random(34, string.ascii_letters)
        return self._random(40, string.ascii_letters + string.digits + "-_")

    def password(self) -> str:
        return self.f.password(length=self.rng.randint(10, 18))


def _filler(v: Values) -> str:
    return v.f.sentence(nb_words=v.rng.randint(6, 14))


# --- everyday templates -----------------------------------------------------------------


def _intro(v: Values) -> Sample:
    b = _Builder().t("Hi, this is ").e("PERSON", v.person()).t(" from ").e("ORG", v.company())
    b.t(" in ").e("LOCATION", v.city()).t(". You can reach me at ").e("EMAIL", v.email())
    b.t(" or on ").e("PHONE", v.phone()).t(". ").t(_filler(v))
    return b.build("template")


def _payment(v: Values) -> Sample:
    b = _Builder().t("Please charge card ").e("CREDIT_CARD", v.card()).t(" for the order of ")
    b.e("PERSON", v.person()).t(". Refunds go to IBAN ").e("IBAN", v.iban()).t(". ")
    b.t(_filler(v))
    return b.build("template")


def _hr(v: Values) -> Sample:
    name = v.person()
    b = _Builder().t("Employee record: ").e("PERSON", name).t(", SSN ").e("SSN", v.ssn())
    b.t(", based in ").e("LOCATION", v.city()).t(". Personal e-mail: ").e("EMAIL", v.email(name))
    b.t(". ").t(_filler(v))
    return b.build("template")


def _ops(v: Values) -> Sample:
    b = _Builder().t("The build agent at ").e("IP_ADDRESS", v.ip()).t(" (MAC ")
    b.e("MAC_ADDRESS", v.mac()).t(") pulls from ").e("URL", v.url()).t(" with token ")
    b.e("SECRET", v.secret()).t(". ").t(_filler(v))
    return b.build("template")


def _config(v: Values) -> Sample:
    b = _Builder().t("db_host = ").e("IP_ADDRESS", v.ip()).t("\npassword = ")
    b.e("SECRET", v.password()).t("\napi_key: ").e("SECRET", v.secret())
    b.t("\n# owner: ").e("EMAIL", v.email()).t("\n")
    return b.build("template")


def _meeting(v: Values) -> Sample:
    a, c = v.person(), v.person()
    b = _Builder().e("PERSON", a).t(" met ").e("PERSON", c).t(" at the ").e("ORG", v.company())
    b.t(" office in ").e("LOCATION", v.city()).t(". ").t(_filler(v)).t(" Follow-up call: ")
    b.e("PHONE", v.phone()).t(".")
    return b.build("template")


def _support(v: Values) -> Sample:
    b = _Builder().t("Ticket from ").e("EMAIL", v.email()).t(": my router ")
    b.e("MAC_ADDRESS", v.mac()).t(" lost its address ").e("IP_ADDRESS", v.ip())
    b.t(" after the update. ").t(_filler(v)).t(" See ").e("URL", v.url()).t(" for the log.")
    return b.build("template")


# --- hand-written hard cases ------------------------------------------------------------


def _name_in_email(v: Values) -> Sample:
    name = v.person()
    b = _Builder().e("PERSON", name).t(" <").e("EMAIL", v.email(name)).t("> wrote: ")
    b.t(_filler(v)).t(" Regards, ").e("PERSON", name.split()[0]).t(".")
    return b.build("name_in_email")


def _glued(v: Values) -> Sample:
    b = _Builder().t("Contact:").e("EMAIL", v.email()).t(";tel:").e("PHONE", v.phone())
    b.t(';card="').e("CREDIT_CARD", v.card()).t('";host=[').e("IP_ADDRESS", v.ip())
    b.t("];ssn:").e("SSN", v.ssn()).t(",(").e("URL", v.url()).t(").")
    return b.build("glued")


def _repeated(v: Values) -> Sample:
    email, name, phone = v.email(), v.person(), v.phone()
    b = _Builder().e("PERSON", name).t(" (").e("EMAIL", email).t(") asked again. ")
    b.t("Reply to ").e("EMAIL", email).t(" or ").e("EMAIL", email.upper()).t(". ")
    b.e("PERSON", name).t(" said ").e("PHONE", phone).t(" is best; ").e("PHONE", phone)
    b.t(" works after six.")
    return b.build("repeated")


def _overlapping(v: Values) -> Sample:
    email = v.email()
    b = _Builder().t("Unsubscribe: ").e("URL", f"https://{v.f.domain_name()}/u?email={email}")
    b.t(" or write to mailto:").e("EMAIL", email).t(". Server ").e(
        "URL", f"http://{v.f.ipv4()}:8080/admin"
    )
    b.t(" answered.")
    return b.build("overlapping")


def _unicode(v: Values) -> Sample:
    f = v.fakers[v.rng.choice(("de_DE", "fr_FR", "es_ES"))]
    name = f"{f.first_name()} {f.last_name()}"
    b = _Builder().t("Notes from ").e("PERSON", name).t(" in ").e("LOCATION", f.city())
    b.t(": write to ").e("EMAIL", v.email()).t(" or call ").e("PHONE", f.phone_number())
    b.t(". IBAN ").e("IBAN", f.iban()).t(".")
    return b.build("unicode")


def _split_lines(v: Values) -> Sample:
    card = v.f.credit_card_number("visa16")
    iban = v.iban().replace(" ", "")
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    cut = grouped.rfind(" ", 0, 12)
    first, last = v.person().split(" ", 1)
    b = _Builder().t("Card:\n").e("CREDIT_CARD", f"{card[:8]}\n{card[8:]}").t("\nAccount ")
    b.e("IBAN", grouped[:cut] + "\n" + grouped[cut + 1 :]).t("\nSigned,\n").e(
        "PERSON", first + "\n" + last
    )
    b.t("\nPhone\n").e("PHONE", v.phone()).t("\n")
    return b.build("split_lines")


def _markdown(v: Values) -> Sample:
    b = _Builder().t("| name | email | ip |\n|---|---|---|\n| **").e("PERSON", v.person())
    b.t("** | ").e("EMAIL", v.email()).t(" | `").e("IP_ADDRESS", v.ip()).t("` |\n\n> key: `")
    b.e("SECRET", v.secret()).t("`\n")
    return b.build("markdown")


def _placeholder_shaped(v: Values) -> Sample:
    b = _Builder().t("Template <PERSON_1> and [EMAIL_2] stay literal; real one: ")
    b.e("EMAIL", v.email()).t(", person_3 too, and ").e("PERSON", v.person()).t(".")
    return b.build("placeholder_shaped")


TEMPLATES: list[Callable[[Values], Sample]] = [
    _intro, _payment, _hr, _ops, _config, _meeting, _support,
]  # fmt: skip
HARD_CASES: list[Callable[[Values], Sample]] = [
    _name_in_email, _glued, _repeated, _overlapping, _unicode, _split_lines, _markdown,
    _placeholder_shaped,
]  # fmt: skip


def generate(n: int, seed: int = 1) -> list[Sample]:
    """``n`` samples, a third of them hard cases, reproducible from ``seed``."""
    values = Values(seed)
    samples = []
    for i in range(n):
        maker = HARD_CASES[i % len(HARD_CASES)] if i % 3 == 2 else TEMPLATES[i % len(TEMPLATES)]
        samples.append(maker(values))
    return samples


def parse_marked(line: str) -> Sample:
    """A hand-labelled line: ``[PERSON Maria Lopez] works at [ORG Globex].``"""
    b = _Builder()
    position = 0
    while True:
        start = line.find("[", position)
        if start == -1:
            break
        space = line.find(" ", start)
        close = line.find("]", start)
        type_ = line[start + 1 : space] if space != -1 else ""
        if close == -1 or type_ not in (*RULE_TYPES, *NER_TYPES):
            b.t(line[position : start + 1])
            position = start + 1
            continue
        b.t(line[position:start]).e(type_, line[space + 1 : close].replace("\\n", "\n"))
        position = close + 1
    b.t(line[position:])
    return b.build("hand_labelled")
