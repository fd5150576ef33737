# ruff: noqa: RUF001 - hand-written corpus data: long template lines, names in many
# scripts, and a seeded (not cryptographic) RNG for reproducible values.
"""Hand-chosen values for the independent redaction corpus.

Every name, company, place and number here was written for this corpus by hand; nothing
comes from a fake-data library or from the detector's tests. Tokens that must look random
(API keys) are drawn by ``token`` from a seeded RNG in the vendor's documented shape, and
IBANs, cards and ISBNs get their check digits computed here.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    script: str  # latin, cjk-zh, cjk-ja, cjk-ko, cyrillic, greek, arabic, hebrew, devanagari, thai
    ascii_local: str  # how this person spells an e-mail local part

    @property
    def full(self) -> str:
        if self.script == "cjk-zh" or self.script == "cjk-ko":
            return f"{self.family}{self.given}"
        if self.script == "cjk-ja":
            return f"{self.family} {self.given}"
        return f"{self.given} {self.family}"

    @property
    def initial(self) -> str:
        """``J. Smith`` where the script has initials, else the family name alone."""
        if self.script.startswith("cjk") or self.script in ("arabic", "thai", "devanagari"):
            return self.family
        return f"{self.given[0]}. {self.family}"

    @property
    def inverted(self) -> str:
        """``SMITH, John`` as directories and HR exports write it."""
        if self.script.startswith("cjk") or self.script in (
            "arabic",
            "hebrew",
            "thai",
            "devanagari",
        ):
            return self.full
        return f"{self.family.upper()}, {self.given}"

    @property
    def latin(self) -> bool:
        return self.script == "latin"


LATIN = [
    Person("Zofia", "Wiśniewska", "latin", "zofia.wisniewska"),
    Person("Håkon", "Lunde", "latin", "hakon.lunde"),
    Person("Inês", "Carvalho", "latin", "ines.carvalho"),
    Person("Thibault", "Mercier", "latin", "t.mercier"),
    Person("Dagny", "Øvergaard", "latin", "dagny.overgaard"),
    Person("Tomás", "Ó Briain", "latin", "tomas.obriain"),
    Person("Agnieszka", "Dąbrowska", "latin", "adabrowska"),
    Person("Jiří", "Novotný", "latin", "jiri.novotny"),
    Person("Émilie", "Fauré", "latin", "emilie.faure"),
    Person("Ngozi", "Okafor", "latin", "ngozi.okafor"),
    Person("Rahul", "Venkataraman", "latin", "rvenkataraman"),
    Person("Keiko", "Tanabe", "latin", "keiko.tanabe"),
    Person("Mateus", "Brandão", "latin", "mateus.brandao"),
    Person("Sigrún", "Pálsdóttir", "latin", "sigrun.p"),
    Person("Björn", "Ekström", "latin", "bjorn.ekstrom"),
    Person("Luis Ángel", "Zamora", "latin", "luisangel.zamora"),
    Person("Femi", "Adeyemi", "latin", "femi.adeyemi"),
    Person("Priya", "Raghunathan", "latin", "priya.r"),
    Person("Declan", "Mulrooney", "latin", "declan.mulrooney"),
    Person("Annelies", "de Vries", "latin", "annelies.devries"),
    Person("Kwame", "Boateng", "latin", "kboateng"),
    Person("Márta", "Szabó", "latin", "marta.szabo"),
    Person("Oğuz", "Yıldırım", "latin", "oguz.yildirim"),
    Person("Ewa", "Kowalczyk", "latin", "ewa.kowalczyk"),
    Person("Siobhán", "Kavanagh", "latin", "siobhan.kavanagh"),
    Person("Nguyễn", "Thị Lan", "latin", "lan.nguyen"),
    Person("Raphaël", "Lefèvre-Dubois", "latin", "raphael.lefevre"),
    Person("Gunnhild", "Sæther", "latin", "gunnhild.saether"),
    Person("Dario", "Pellegrini", "latin", "dario.pellegrini"),
    Person("Chidinma", "Eze", "latin", "chidinma.eze"),
    Person("Tariq", "Haddad", "latin", "tariq.haddad"),
    Person("Magdalena", "Hořejší", "latin", "magda.horejsi"),
    Person("Kofi", "Mensah-Bonsu", "latin", "kofi.mensahbonsu"),
    Person("Lukas", "Grünwald", "latin", "lukas.gruenwald"),
    Person("Marisol", "Echeverría", "latin", "marisol.echeverria"),
    Person("Aurelio", "Castañeda", "latin", "aurelio.castaneda"),
]

# First names that are also ordinary English words: the hard case for both sides.
AMBIGUOUS = [
    Person("Will", "Barraclough", "latin", "will.barraclough"),
    Person("Grace", "Tolliver", "latin", "grace.tolliver"),
    Person("Bill", "Oduya", "latin", "bill.oduya"),
    Person("Hope", "Lindqvist", "latin", "hope.lindqvist"),
    Person("Mark", "Ferreira", "latin", "mark.ferreira"),
    Person("June", "Whitcombe", "latin", "june.whitcombe"),
    Person("Drew", "Castellanos", "latin", "drew.castellanos"),
    Person("Chase", "Albright", "latin", "chase.albright"),
    Person("Penny", "Ashdown", "latin", "penny.ashdown"),
    Person("Dawn", "Okonjo", "latin", "dawn.okonjo"),
    Person("Frank", "Belmonte", "latin", "frank.belmonte"),
    Person("Rose", "Kaminski", "latin", "rose.kaminski"),
    Person("Faith", "Muriuki", "latin", "faith.muriuki"),
    Person("Sky", "Halvorsen", "latin", "sky.halvorsen"),
    Person("Iris", "Vandermeer", "latin", "iris.vandermeer"),
    Person("Rich", "Tremblay", "latin", "rich.tremblay"),
]

OTHER_SCRIPTS = [
    Person("秀英", "王", "cjk-zh", "wang.xiuying"),
    Person("建国", "李", "cjk-zh", "li.jianguo"),
    Person("雨桐", "陈", "cjk-zh", "chen.yutong"),
    Person("美咲", "佐藤", "cjk-ja", "misaki.sato"),
    Person("健太", "山本", "cjk-ja", "kenta.yamamoto"),
    Person("陽菜", "高橋", "cjk-ja", "hina.takahashi"),
    Person("민준", "김", "cjk-ko", "minjun.kim"),
    Person("서연", "박", "cjk-ko", "seoyeon.park"),
    Person("Дмитрий", "Соколов", "cyrillic", "d.sokolov"),
    Person("Анна", "Кузнецова", "cyrillic", "anna.kuznetsova"),
    Person("Олександр", "Бондаренко", "cyrillic", "o.bondarenko"),
    Person("Светлана", "Морозова", "cyrillic", "svetlana.morozova"),
    Person("Νικόλαος", "Παπαδόπουλος", "greek", "n.papadopoulos"),
    Person("Ελένη", "Γεωργίου", "greek", "eleni.georgiou"),
    Person("Δημήτρης", "Κωνσταντίνου", "greek", "dkonstantinou"),
    Person("محمد", "العتيبي", "arabic", "m.alotaibi"),
    Person("فاطمة", "الزهراني", "arabic", "fatima.alzahrani"),
    Person("يوسف", "حداد", "arabic", "youssef.haddad"),
    Person("ليلى", "منصور", "arabic", "layla.mansour"),
    Person("נועה", "לוי", "hebrew", "noa.levi"),
    Person("איתי", "מזרחי", "hebrew", "itai.mizrahi"),
    Person("अनन्या", "शर्मा", "devanagari", "ananya.sharma"),
    Person("विक्रम", "जोशी", "devanagari", "vikram.joshi"),
    Person("สมชาย", "ใจดี", "thai", "somchai.j"),
]

ORGS = [
    "Brightwater Logistics GmbH",
    "Kessler & Voigt AG",
    "Nordlicht Analytics",
    "Okonkwo Holdings Ltd",
    "Maple Ridge Dental",
    "Tarrant Valley Credit Union",
    "Solvang Marine AS",
    "Vireo Health Inc.",
    "Halden & Pryce LLP",
    "Quintana Ferreira Arquitetos",
    "Bluefinch Insurance",
    "Ostrava Steelworks a.s.",
    "Lindqvist Bygg AB",
    "Meridian Pediatrics",
    "Cobaltline Freight S.A.",
    "Harrowgate Building Society",
]

PLACES = [
    "Wrocław",
    "Tromsø",
    "Porto",
    "Bilbao",
    "Leeds",
    "Cork",
    "Ghent",
    "Eindhoven",
    "Kraków",
    "Thessaloniki",
    "Nagoya",
    "Daejeon",
    "Kazan",
    "Lviv",
    "Amman",
    "Sfax",
    "Kumasi",
    "Pune",
    "Halifax",
    "Tampere",
    "Valparaíso",
    "Bergen",
    "Brno",
    "Gdańsk",
]

WEBMAIL = [
    "gmail.com",
    "outlook.com",
    "proton.me",
    "yahoo.co.uk",
    "web.de",
    "icloud.com",
    "yandex.ru",
    "163.com",
    "naver.com",
    "gmx.at",
    "hotmail.fr",
    "libero.it",
]
CORP_DOMAINS = [
    "brightwater-logistics.de",
    "nordlicht.io",
    "kessler-voigt.com",
    "vireohealth.com",
    "bluefinch-insurance.co.uk",
    "solvangmarine.no",
    "meridianpeds.org",
    "cobaltline.pt",
    "tarrantvalleycu.org",
    "halden-pryce.com",
]

PHONES = [
    "+44 20 7946 0958",
    "+44 7700 900461",
    "+1 (415) 555-0132",
    "+1 212-555-0187",
    "(646) 555-0143",
    "+49 30 901820-17",
    "+49 170 3345 912",
    "+33 1 42 68 53 00",
    "+33 6 12 34 56 78",
    "+31 20 794 6213",
    "+48 512 334 918",
    "+353 87 614 2291",
    "+47 912 45 377",
    "+34 612 48 09 31",
    "+39 347 556 2210",
    "+81 90-4823-1176",
    "+82 10-5521-8834",
    "+7 916 204-33-18",
    "+380 67 412 8830",
    "+30 694 512 7781",
    "+971 50 418 2236",
    "+962 79 553 1820",
    "0044 161 496 0753",
    "020 7946 0321",
    "030 4577 2210",
    "06 48 22 91 05",
    "+61 491 570 156",
    "+1 604 555 0199",
    "+55 11 98765-4321",
    "+91 98450 12377",
    "+234 803 555 0182",
    "+90 532 418 77 05",
]

# IBANs as (country, BBAN); check digits are computed.
BBANS = [
    ("DE", "370400440532013000"),
    ("DE", "500105175407324931"),
    ("GB", "NWBK60161331926819"),
    ("GB", "BARC20035370447765"),
    ("FR", "30006000011234567890189"),
    ("NL", "ABNA0417164300"),
    ("ES", "21000418450200051332"),
    ("IT", "X0542811101000000123456"),
    ("PL", "109010140000071219812874"),
    ("CH", "0483 0000 0000 0555 7"),
    ("BE", "539007547034"),
    ("NO", "86011117947"),
    ("AT", "1904300234573201"),
    ("IE", "AIBK93115212345678"),
    ("PT", "000201231234567890154"),
    ("SE", "50000000058398257466"),
]

# Card prefixes; digits filled from the RNG and the Luhn digit computed.
CARD_SHAPES = [
    ("4", 16),
    ("51", 16),
    ("55", 16),
    ("2221", 16),
    ("34", 15),
    ("37", 15),
    ("6011", 16),
    ("35", 16),
    ("4", 13),
]

SSNS = [
    "219-09-9998",
    "078-05-1121",
    "512-44-3178",
    "123-45-6780",
    "401-73-2290",
    "665-12-4431",
    "302-58-9917",
    "287-65-4321",
]

IPV4_PRIVATE = [
    "10.14.3.27",
    "10.0.88.201",
    "172.16.40.12",
    "172.22.5.190",
    "192.168.1.47",
    "192.168.178.23",
]
IPV4_PUBLIC = [
    "81.2.69.160",
    "88.217.40.133",
    "151.101.42.9",
    "185.44.210.7",
    "94.130.18.66",
    "212.58.244.71",
    "37.120.190.18",
    "62.141.33.204",
]
IPV6 = [
    "2a02:8070:abcd:1200::17",
    "2a01:4f8:c17:b8f::2",
    "fe80::1c2d:3eff:fe4a:9b01%eth0",
    "2600:1700:5e10:4c90:8d1f:22ab:91c3:7d04",
]
MACS = [
    "3c:22:fb:91:7a:0e",
    "A4-83-E7-1F-22-C9",
    "00:1b:63:84:45:e6",
    "f0:18:98:4b:2a:77",
    "b827.eb5f.19a2",
]

PASSWORDS = [
    "Tr0ub4dor&3",
    "hunter2-Sept!",
    "Kestrel-Meadow-42",
    "Winter2025!",
    "p@ssw0rd-prod",
    "s3cr3t!",
    "blueJay_1987",
    "Qw7#vLm2pX",
    "letmein-again",
    "Sommer2026$",
    "rosebud",
    "N0t.So.Secret",
    "Zx!9kk2Lq",
    "gr4pefruit",
    "m0nday-Morn1ng",
    "Az9$Bz8%Cz7",
    "hello123",
    "dragon-fly-77",
    "Fj3d$8s!",
    "correct-battery-9",
]
PASSPHRASES = [
    "correct horse battery staple",
    "purple monkey dishwasher 88",
    "the owls are not what they seem",
    "tall ships sail at dawn",
    "seven green lanterns",
    "my dog eats socks daily",
]

ALNUM = string.ascii_letters + string.digits
UPPER_NUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
URLSAFE = string.ascii_letters + string.digits + "-_"


def token(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def api_key(r: random.Random, vendor: str) -> str:
    """A key in ``vendor``'s documented shape (values are random, never real)."""
    shapes = {
        "openai": lambda: "sk-proj-" + token(r, URLSAFE, 48),
        "openai_legacy": lambda: "sk-" + token(r, ALNUM, 48),
        "anthropic": lambda: "sk-ant-api03-" + token(r, URLSAFE, 93) + "AA",
        "github": lambda: "ghp_" + token(r, ALNUM, 36),
        "github_pat": lambda: "github_pat_" + token(r, ALNUM, 22) + "_" + token(r, ALNUM, 59),
        "gitlab": lambda: "glpat-" + token(r, URLSAFE, 20),
        "slack_bot": lambda: (
            f"xoxb-{r.randint(10**10, 10**11)}-{r.randint(10**12, 10**13)}-" + token(r, ALNUM, 24)
        ),
        "slack_webhook": lambda: (
            "https://hooks.slack.com/services/T"
            + token(r, UPPER_NUM, 8)
            + "/B"
            + token(r, UPPER_NUM, 10)
            + "/"
            + token(r, ALNUM, 24)
        ),
        "aws_id": lambda: "AKIA" + token(r, UPPER_NUM, 16),
        "aws_secret": lambda: token(r, ALNUM + "/+", 40),
        "google": lambda: "AIza" + token(r, URLSAFE, 35),
        "hf": lambda: "hf_" + token(r, ALNUM, 34),
        "stripe": lambda: "sk_live_" + token(r, ALNUM, 99),
        "stripe_restricted": lambda: "rk_live_" + token(r, ALNUM, 24),
        "stripe_webhook": lambda: "whsec_" + token(r, ALNUM, 32),
        "npm": lambda: "npm_" + token(r, ALNUM, 36),
        "sendgrid": lambda: "SG." + token(r, URLSAFE, 22) + "." + token(r, URLSAFE, 43),
        "twilio_token": lambda: token(r, HEX, 32),
        "mailgun": lambda: "key-" + token(r, HEX, 32),
        "shopify": lambda: "shpat_" + token(r, HEX, 32),
        "digitalocean": lambda: "dop_v1_" + token(r, HEX, 64),
        "datadog": lambda: token(r, HEX, 32),
        "telegram": lambda: f"{r.randint(10**8, 10**9)}:AA" + token(r, URLSAFE, 33),
        "vault": lambda: "hvs." + token(r, URLSAFE, 90),
        "linear": lambda: "lin_api_" + token(r, ALNUM, 40),
        "postman": lambda: "PMAK-" + token(r, HEX, 24) + "-" + token(r, HEX, 34),
        "grafana": lambda: "glsa_" + token(r, ALNUM, 32) + "_" + token(r, HEX, 8),
        "docker": lambda: "dckr_pat_" + token(r, URLSAFE, 27),
        "databricks": lambda: "dapi" + token(r, HEX, 32),
        "notion": lambda: "secret_" + token(r, ALNUM, 43),
        "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + token(r, URLSAFE, 60),
        "newrelic": lambda: "NRAK-" + token(r, UPPER_NUM, 27),
        "doppler": lambda: "dp.st.prd." + token(r, ALNUM, 40),
        "cloudflare": lambda: token(r, URLSAFE, 40),
        "azure_storage": lambda: token(r, B64, 86) + "==",
        "figma": lambda: "figd_" + token(r, URLSAFE, 40),
        "atlassian": lambda: "ATATT3xFfGF0" + token(r, URLSAFE, 180),
        "square": lambda: "EAAA" + token(r, URLSAFE, 60),
        "okta": lambda: "00" + token(r, URLSAFE, 40),
        "jwt": lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            + token(r, URLSAFE, 60)
            + "."
            + token(r, URLSAFE, 43)
        ),
    }
    return shapes[vendor]()


VENDORS = [
    "openai",
    "openai_legacy",
    "anthropic",
    "github",
    "github_pat",
    "gitlab",
    "slack_bot",
    "aws_id",
    "aws_secret",
    "google",
    "hf",
    "stripe",
    "stripe_restricted",
    "stripe_webhook",
    "npm",
    "sendgrid",
    "twilio_token",
    "mailgun",
    "shopify",
    "digitalocean",
    "datadog",
    "telegram",
    "vault",
    "linear",
    "postman",
    "grafana",
    "docker",
    "databricks",
    "notion",
    "pypi",
    "newrelic",
    "doppler",
    "cloudflare",
    "azure_storage",
    "figma",
    "atlassian",
    "square",
    "okta",
    "jwt",
]


def _mod97(s: str) -> int:
    digits = "".join(str(int(c, 36)) for c in s)
    return int(digits) % 97


def iban(country: str, bban: str, spaced: bool) -> str:
    bban = bban.replace(" ", "")
    check = 98 - _mod97(bban + country + "00")
    compact = f"{country}{check:02d}{bban}"
    if not spaced:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def luhn_complete(partial: str) -> str:
    total = 0
    for i, c in enumerate(reversed(partial)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return partial + str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_complete(number[:-1]) == number


def card(r: random.Random, grouped: str) -> str:
    prefix, length = r.choice(CARD_SHAPES)
    body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    number = luhn_complete(body)
    if grouped == "none":
        return number
    sep = " " if grouped == "space" else "-"
    if length == 15:
        return sep.join([number[:4], number[4:10], number[10:]])
    return sep.join(number[i : i + 4] for i in range(0, length, 4))


def isbn13_luhn(r: random.Random) -> str:
    """An ISBN-13 whose digits also pass Luhn: the look-alike the issue names."""
    while True:
        body = "978" + "".join(r.choice(string.digits) for _ in range(9))
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
        isbn = body + str((10 - total % 10) % 10)
        if luhn_ok(isbn):
            return f"{isbn[:3]}-{isbn[3]}-{isbn[4:7]}-{isbn[7:12]}-{isbn[12]}"
