# ruff: noqa: RUF001  (names and text in Cyrillic, Greek, Arabic and CJK on purpose)
"""An evaluation set for the redaction engine written by another method than both the
detector and ``corpus.py``: hand-written documents of many kinds (mail, tickets, chat,
logs, CRM notes, code, configuration, SQL, curl, Markdown tables) whose values come
from pools chosen here by hand, in many scripts, with hard negatives.

Nothing here imports the plugin or a fake-data library, and no pattern of the detector
is reused: valid card numbers, IBANs and SSNs are built from their published rules.

``build("tuned")`` is the part the engine may be tuned on; ``build("heldout")`` is a
slice that no tuning looks at: another seed *and* document kinds the tuned part never
uses (``HELDOUT_ONLY``). Only its aggregate figures are ever printed.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Label:
    type: str
    start: int
    end: int


@dataclass
class Sample:
    text: str
    labels: list[Label] = field(default_factory=list)
    kind: str = ""

    def value(self, label: Label) -> str:
        return self.text[label.start : label.end]


class Doc:
    """Plain text and labelled values, concatenated with their offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.labels: list[Label] = []
        self.n = 0

    def t(self, text: str) -> Doc:
        self.parts.append(text)
        self.n += len(text)
        return self

    def e(self, type_: str, value: str) -> Doc:
        self.labels.append(Label(type_, self.n, self.n + len(value)))
        return self.t(value)

    def sample(self, kind: str) -> Sample:
        return Sample("".join(self.parts), self.labels, kind)


# --- pools, chosen by hand --------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    script: str
    # An ASCII handle for mail addresses (a romanisation for other scripts).
    handle: str
    family_first: bool = False

    @property
    def full(self) -> str:
        if self.script in ("han", "kana", "hangul"):
            return self.last + self.first
        if self.family_first:
            return f"{self.last} {self.first}"
        return f"{self.first} {self.last}"


def _p(first: str, last: str, script: str = "latin", handle: str = "", ff: bool = False) -> Person:
    handle = handle or f"{first}.{last}".lower()
    return Person(first, last, script, handle, ff)


PEOPLE = [
    _p("Marguerite", "Oyelaran"), _p("Tobias", "Wennerström", handle="tobias.wennerstrom"),
    _p("Priyanka", "Raghunathan"), _p("Declan", "Fitzmaurice"), _p("Ngozi", "Eze"),
    _p("Henrik", "Baumgartner"), _p("Lucía", "Ferreyra", handle="lucia.ferreyra"),
    _p("Kwame", "Asante"), _p("Ilse", "Vandersteen"), _p("Mateusz", "Wróblewski",
    handle="mateusz.wroblewski"), _p("Aylin", "Demirtaş", handle="aylin.demirtas"),
    _p("Nguyễn", "Thị Lan", handle="lan.nguyen"), _p("Rashida", "Okonjo"),
    _p("Callum", "McAllister"), _p("Solène", "Marchetti", handle="solene.marchetti"),
    _p("Björn", "Halvorsen", handle="bjorn.halvorsen"), _p("Farah", "Haddad"),
    _p("Esteban", "Quiroga"), _p("Oluwaseun", "Balogun"), _p("Ingrid", "Lindqvist"),
    _p("Dmitri", "Volkonsky"), _p("Anneke", "de Groot", handle="anneke.degroot"),
    _p("Thandiwe", "Mokoena"), _p("Rafael", "Saldanha"), _p("Yusuf", "Karaca"),
    _p("Siobhan", "O'Rourke", handle="siobhan.orourke"), _p("Matthias", "Oberholzer"),
    _p("Chiara", "Benedetti"), _p("Arjun", "Venkataraman"), _p("Leilani", "Kahananui"),
    # ambiguous first names that are also English words
    _p("Will", "Pemberton"), _p("Rose", "Abernathy"), _p("Mark", "Ellingsworth"),
    _p("Grace", "Nakamura"), _p("Hope", "Castellanos"), _p("June", "Halloran"),
    _p("Bill", "Oduya"), _p("Faith", "Kowalczyk"), _p("Hunter", "Blackwood"),
    _p("Dawn", "Riordan"), _p("Frank", "Ostrowski"), _p("Summer", "Adebayo"),
    # other scripts
    _p("Алексей", "Смирнов", "cyrillic", "a.smirnov"), _p("Екатерина", "Волкова", "cyrillic",
    "e.volkova"), _p("Олег", "Кузнецов", "cyrillic", "oleg.k"), _p("Наталья", "Орлова",
    "cyrillic", "n.orlova"), _p("Тарас", "Шевченко", "cyrillic", "taras.sh"),
    _p("Δημήτρης", "Κωνσταντίνου", "greek", "d.konstantinou"), _p("Σοφία", "Αλεξίου", "greek",
    "sofia.alexiou"), _p("Νίκος", "Παππάς", "greek", "nikos.pappas"),
    _p("يوسف", "الحسيني", "arabic", "y.alhusseini"), _p("ليلى", "منصور", "arabic",
    "layla.mansour"), _p("عمر", "الخطيب", "arabic", "omar.khatib"),
    _p("伟", "王", "han", "wang.wei"), _p("秀英", "李", "han", "li.xiuying"),
    _p("建国", "张", "han", "zhang.jianguo"), _p("敏", "陈", "han", "chen.min"),
    _p("太郎", "山田", "kana", "t.yamada"), _p("さくら", "佐藤", "kana", "sakura.sato"),
    _p("健", "高橋", "kana", "ken.takahashi"), _p("민수", "김", "hangul", "minsu.kim"),
    _p("지은", "박", "hangul", "jieun.park"), _p("राहुल", "शर्मा", "devanagari",
    "rahul.sharma"), _p("אורי", "כהן", "hebrew", "uri.cohen"),
]  # fmt: skip
LATIN = [p for p in PEOPLE if p.script == "latin"]
ORGS = [
    "Bramblecote Analytics", "Harrow & Lane LLP", "Kestrel Freight GmbH", "Quillon Medical",
    "Tamsin Foods Ltd", "Vandermeer Capital", "Ostara Biotech", "Pellucid Systems Inc.",
    "Rookwood Insurance", "Saffron Lane Bakery", "the Ministry of Coastal Affairs",
    "Marrowbone Hospital", "Lindenhof Stiftung", "Corvid Labs", "Wexcombe County Council",
]  # fmt: skip
PLACES = [
    "Valparaíso", "Tbilisi", "Winnipeg", "Bergen", "Kraków", "Nairobi", "Porto Alegre",
    "Leeds", "Osaka", "Adelaide", "Cluj-Napoca", "Ljubljana", "Montevideo", "Tartu",
    "Guadalajara", "Rotterdam", "Kumasi", "Chiang Mai", "Halifax", "Aarhus",
]  # fmt: skip
DOMAINS = ["mailbox.test", "corp.example", "northmail.example", "uni.example.edu", "post.test"]
_WORDS_TEXT = (
    "amber kettle lantern orbit pepper quartz ribbon saddle tundra velvet walrus yodel "
    "harbor cobalt meadow thistle granite falcon juniper maple onyx prism summit willow"
)
WORDS = _WORDS_TEXT.split()
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def person(self, latin: bool = False) -> Person:
        return self.r.choice(LATIN if latin else PEOPLE)

    def email(self, person: Person | None = None) -> str:
        handle = person.handle if person else self.r.choice(["ops", "j.doe", "m_b", "kx"])
        if self.r.random() < 0.3:
            handle += str(self.r.randint(1, 99))
        return f"{handle}@{self.r.choice(DOMAINS)}"

    def phone(self) -> str:
        r = self.r
        d = lambda n: "".join(r.choice(string.digits) for _ in range(n))  # noqa: E731
        forms = [
            f"+1 ({r.randint(201, 989)}) {r.randint(200, 989)}-{d(4)}",
            f"{r.randint(201, 989)}.{r.randint(200, 989)}.{d(4)}",
            f"+44 20 {r.randint(3000, 8999)} {d(4)}",
            f"+49 30 {d(7)}",
            f"030 {d(7)}",
            f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+81 3-{d(4)}-{d(4)}",
            f"+86 13{r.randint(0, 9)} {d(4)} {d(4)}",
            f"+7 495 {d(3)}-{d(2)}-{d(2)}",
            f"(0{r.randint(20, 99)}) {d(3)} {d(4)}",
        ]
        phone = r.choice(forms)
        if r.random() < 0.15:
            phone += r.choice([f" Ext. {d(3)}", f" x.{d(4)}", f" ext {d(2)}", f" x{d(3)}"])
        return phone

    def card(self) -> str:
        r = self.r
        prefix, length = r.choice([("4", 16), ("51", 16), ("55", 16), ("37", 15), ("6011", 16)])
        body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
        for check in string.digits:  # the one digit that makes the weighted sum end in 0
            digits = body + check
            total = 0
            for i, ch in enumerate(reversed(digits)):
                x = int(ch) * (2 if i % 2 else 1)
                total += x - 9 if x > 9 else x
            if total % 10 == 0:
                break
        if length == 15:
            groups = [digits[:4], digits[4:10], digits[10:]]
        else:
            groups = [digits[i : i + 4] for i in range(0, 16, 4)]
        sep = r.choice([" ", "-", "", " "])
        return sep.join(groups)

    def ssn(self) -> str:
        r = self.r
        area = r.choice([a for a in range(1, 900) if a != 666])
        return f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"

    def iban(self) -> str:
        r = self.r
        country, bban = r.choice(
            [
                ("DE", "".join(r.choice(string.digits) for _ in range(18))),
                ("GB", "NWBK" + "".join(r.choice(string.digits) for _ in range(14))),
                ("NL", "ABNA" + "".join(r.choice(string.digits) for _ in range(10))),
                ("FR", "".join(r.choice(string.digits) for _ in range(23))),
                ("ES", "".join(r.choice(string.digits) for _ in range(20))),
            ]
        )
        rearranged = bban + country + "00"
        number = int("".join(str(int(c, 36)) for c in rearranged))
        iban = f"{country}{98 - number % 97:02d}{bban}"
        if r.random() < 0.5:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def ip(self) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.5:
            first = r.choice([23, 37, 46, 62, 81, 85, 91, 104, 142, 151, 176, 185, 212])
            return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        if kind < 0.8:
            return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        groups = [f"{r.randint(0, 0xFFFF):x}" for _ in range(5)]
        return f"2a0{r.randint(1, 9)}:{':'.join(groups)}::{r.randint(1, 0xFFFF):x}"

    def mac(self) -> str:
        octets = [f"{self.r.randint(0, 255):02x}" for _ in range(6)]
        sep = self.r.choice([":", "-"])
        mac = sep.join(octets)
        return mac.upper() if self.r.random() < 0.5 else mac

    def url(self, person: Person | None = None) -> str:
        host = self.r.choice(["intranet.corp.example", "files.example.net", "crm.example.org"])
        path = person.handle.replace(".", "-") if person else self.r.choice(WORDS)
        return f"https://{host}/u/{path}/{self.r.randint(100, 99999)}"

    def token(self, n: int = 32, alphabet: str = B64) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def password(self) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.3:
            return " ".join(r.sample(WORDS, 4))  # a passphrase
        if kind < 0.6:
            return r.choice(WORDS).capitalize() + str(r.randint(10, 9999)) + r.choice("!#$%&*")
        return self.token(r.randint(10, 20), B64 + "!@#%^&*()-_+")

    def api_key(self) -> str:
        r = self.r
        return r.choice(
            [
                "ghp_" + self.token(36),
                "sk-" + self.token(40),
                "AKIA" + self.token(16, string.ascii_uppercase + string.digits),
                "xoxb-" + self.token(11, string.digits) + "-" + self.token(24),
                self.token(40, B64 + "/+"),
                self.token(32, HEX),
                "sk_live_" + self.token(24),
            ]
        )


# --- documents ----------------------------------------------------------------------------

Template = Callable[[Doc, Values], None]
TEMPLATES: dict[str, Template] = {}
NEGATIVE_TEMPLATES: dict[str, Template] = {}
# Kinds only the held-out slice uses.
HELDOUT_ONLY = {
    "mail_fr", "ticket_markdown", "crm_repeat_upper", "config_toml", "sql_update",
    "chat_ru", "neg_release_notes", "neg_meeting_invite", "kubernetes_secret",
    "voicemail_transcript",
}  # fmt: skip


def template(name: str, negative: bool = False) -> Callable[[Template], Template]:
    def register(fn: Template) -> Template:
        (NEGATIVE_TEMPLATES if negative else TEMPLATES)[name] = fn
        return fn

    return register


@template("mail_en")
def _mail_en(d: Doc, v: Values) -> None:
    a, b = v.person(latin=True), v.person()
    d.t("Subject: contract renewal\n\nHi ").e("PERSON", a.first).t(",\n\nI spoke with ")
    d.e("PERSON", b.full).t(" from ").e("ORG", v.r.choice(ORGS)).t(" yesterday. ")
    d.t("Could you send the draft to ").e("EMAIL", v.email(b)).t(" before Friday? ")
    d.e("PERSON", b.first if b.script == "latin" else b.full).t(" prefers a call on ")
    d.e("PHONE", v.phone()).t(".\n\nThanks,\n").e("PERSON", a.first)


@template("mail_fr")
def _mail_fr(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("Bonjour ").e("PERSON", p.full).t(",\n\nVotre dossier est transmis à notre agence de ")
    d.e("LOCATION", v.r.choice(PLACES)).t(". Le virement vers l'IBAN ").e("IBAN", v.iban())
    d.t(" est prévu lundi.\n\nCordialement,\n").e("PERSON", v.person(latin=True).full)


@template("mail_ru")
def _mail_ru(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "cyrillic"][v.r.randrange(5)]
    d.t("Здравствуйте, ").e("PERSON", p.first).t("!\n\nОтправил договор на ")
    d.e("EMAIL", v.email(p)).t(". Мой телефон: ").e("PHONE", v.phone())
    d.t(".\n\nС уважением,\n").e("PERSON", p.full)


@template("chat_ru")
def _chat_ru(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "cyrillic"][v.r.randrange(5)]
    d.t("[10:02] ").e("PERSON", p.full).t(": привет, сервер ").e("IP_ADDRESS", v.ip())
    d.t(" не отвечает\n[10:03] bot: ").e("PERSON", p.first).t(", проверю")


@template("mail_zh")
def _mail_zh(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "han"][v.r.randrange(4)]
    d.t("尊敬的").e("PERSON", p.full).t("先生：\n您的订单已发货，请拨打").e("PHONE", v.phone())
    d.t("联系我们。\n此致\n").e("PERSON", v.person(latin=True).full)


@template("mail_ja")
def _mail_ja(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "kana"][v.r.randrange(3)]
    d.e("PERSON", p.full).t("様\n\nいつもお世話になっております。請求書を").e("EMAIL", v.email(p))
    d.t("にお送りしました。\nよろしくお願いいたします。")


@template("mail_ko")
def _mail_ko(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "hangul"][v.r.randrange(2)]
    d.e("PERSON", p.full).t("님, 회의 자료를 보냅니다. 연락처: ").e("PHONE", v.phone())


@template("mail_el")
def _mail_el(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "greek"][v.r.randrange(3)]
    d.t("Αγαπητέ ").e("PERSON", p.full).t(",\nη κάρτα ").e("CREDIT_CARD", v.card())
    d.t(" χρεώθηκε.\nΜε εκτίμηση,\n").e("PERSON", v.person(latin=True).full)


@template("mail_ar")
def _mail_ar(d: Doc, v: Values) -> None:
    p = [x for x in PEOPLE if x.script == "arabic"][v.r.randrange(3)]
    d.t("مرحبا ").e("PERSON", p.first).t("، تم تحديث حسابك. البريد: ").e("EMAIL", v.email(p))


@template("ticket_plain")
def _ticket(d: Doc, v: Values) -> None:
    p = v.person()
    d.t(f"Ticket #{v.r.randint(1000, 99999)}\nReporter: ").e("PERSON", p.full)
    d.t("\nSummary: cannot log in from ").e("IP_ADDRESS", v.ip())
    d.t("\nDetails: user says the reset mail to ").e("EMAIL", v.email(p))
    d.t(" never arrived. Device MAC ").e("MAC_ADDRESS", v.mac()).t(".\n")


@template("ticket_markdown")
def _ticket_md(d: Doc, v: Values) -> None:
    a, b = v.person(latin=True), v.person(latin=True)
    d.t("| owner | contact | phone |\n| --- | --- | --- |\n| ").e("PERSON", a.full)
    d.t(" | ").e("EMAIL", v.email(a)).t(" | ").e("PHONE", v.phone()).t(" |\n| ")
    d.e("PERSON", b.full).t(" | ").e("EMAIL", v.email(b)).t(" | ").e("PHONE", v.phone())
    d.t(" |\n\n**Escalated by** ").e("PERSON", f"{a.first[0]}. {a.last}")


@template("chat_slack")
def _chat(d: Doc, v: Values) -> None:
    a, b = v.person(latin=True), v.person(latin=True)
    d.t("10:41 ").e("PERSON", a.first.lower()).t(": @").e("PERSON", b.first.lower())
    d.t(" can you rotate the key? it's ").e("SECRET", v.api_key()).t("\n10:42 ")
    d.e("PERSON", b.first.lower()).t(": done, pinged ").e("PERSON", a.last).t(" too")


@template("crm_note")
def _crm(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("Call note - ").e("PERSON", p.full).t(" (").e("ORG", v.r.choice(ORGS)).t(")\n")
    d.e("PERSON", p.last).t("'s team in ").e("LOCATION", v.r.choice(PLACES))
    d.t(" wants a demo. Follow up: ").e("PHONE", v.phone()).t(". Spoke again with ")
    d.e("PERSON", f"{p.last.upper()}, {p.first}").t(" on Tuesday.")


@template("crm_repeat_upper")
def _crm_upper(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("CUSTOMER: ").e("PERSON", p.full.upper()).t("\nNOTES: ").e("PERSON", p.first)
    d.t(" asked to update card on file to ").e("CREDIT_CARD", v.card())
    d.t(". ").e("PERSON", f"{p.first[0]}. {p.last}").t(" confirmed by mail.")


@template("hr_record")
def _hr(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("Employee: ").e("PERSON", p.full).t("\nSSN: ").e("SSN", v.ssn())
    d.t("\nPayroll IBAN: ").e("IBAN", v.iban()).t("\nStarts in ")
    d.e("LOCATION", v.r.choice(PLACES)).t(" on the 3rd.")


@template("log_lines")
def _log(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("2024-03-02T10:15:22Z INFO login ok user=").e("EMAIL", v.email(p))
    d.t(" src=").e("IP_ADDRESS", v.ip()).t("\n2024-03-02T10:15:23Z WARN token refresh for ")
    d.e("EMAIL", v.email(p)).t(" from ").e("IP_ADDRESS", v.ip()).t(" took 812ms\n")


@template("env_file")
def _env(d: Doc, v: Values) -> None:
    d.t("APP_ENV=production\nDB_HOST=db.internal\nDB_PASSWORD=").e("SECRET", v.password())
    d.t("\nAWS_SECRET_ACCESS_KEY=").e("SECRET", v.token(40, B64 + "/+"))
    d.t("\nGITHUB_TOKEN=").e("SECRET", "ghp_" + v.token(36))
    d.t("\nSTRIPE_SECRET=").e("SECRET", v.token(24)).t("\nLOG_LEVEL=info\n")


@template("config_yaml")
def _yaml(d: Doc, v: Values) -> None:
    d.t("database:\n  host: db.internal\n  user: app\n  password: ")
    pw = v.password()
    if " " in pw or v.r.random() < 0.5:
        d.t('"').e("SECRET", pw).t('"')
    else:
        d.e("SECRET", pw)
    d.t("\nmail:\n  admin: ").e("EMAIL", v.email(v.person(latin=True)))
    d.t("\n  secret_key: ").e("SECRET", v.token(30)).t("\n")


@template("config_json")
def _json(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t('{\n  "owner": "').e("PERSON", p.full).t('",\n  "apiKey": "').e("SECRET", v.api_key())
    d.t('",\n  "clientSecret": "').e("SECRET", v.password()).t('",\n  "notify": "')
    d.e("EMAIL", v.email(p)).t('"\n}')


@template("config_ini")
def _ini(d: Doc, v: Values) -> None:
    d.t("[smtp]\nserver = mail.internal\nusername = relay\npassword = ").e("SECRET", v.password())
    d.t("\n\n[default]\naws_access_key_id = ")
    d.e("SECRET", "AKIA" + v.token(16, string.ascii_uppercase + string.digits))
    d.t("\naws_secret_access_key = ").e("SECRET", v.token(40, B64 + "/+")).t("\n")


@template("config_toml")
def _toml(d: Doc, v: Values) -> None:
    d.t('[service]\nname = "billing"\ntoken = "').e("SECRET", v.token(28)).t('"\n')
    d.t('db_pass = "').e("SECRET", v.password()).t('"\nport = 8443\n')


@template("netrc")
def _netrc(d: Doc, v: Values) -> None:
    d.t("machine git.corp.example\n  login deploy\n  password ").e("SECRET", v.token(14))
    d.t("\nmachine ftp.corp.example login backup password ").e("SECRET", v.token(12)).t("\n")


@template("connection_string")
def _conn(d: Doc, v: Values) -> None:
    d.t("DATABASE_URL=postgres://app:").e("SECRET", v.token(14)).t("@db.internal:5432/main\n")
    d.t("Server=sql01;User Id=sa;Password=").e("SECRET", v.token(12)).t(";Encrypt=true\n")


@template("curl_snippet")
def _curl(d: Doc, v: Values) -> None:
    d.t("curl -s ").e("URL", "https://api.corp.example/v2/users").t(' -H "Authorization: Bearer ')
    d.e("SECRET", v.api_key()).t('" -d \'{"email": "').e("EMAIL", v.email(v.person()))
    d.t("\"}'\n")


@template("cli_flags")
def _cli(d: Doc, v: Values) -> None:
    d.t("$ mysql -u root -p").e("SECRET", v.token(10)).t(" shop\n$ backup-tool --password ")
    d.e("SECRET", v.token(12)).t(" --target s3://bucket\n$ sshpass -p '")
    d.e("SECRET", v.password()).t("' ssh admin@bastion\n")


@template("kubernetes_secret")
def _k8s(d: Doc, v: Values) -> None:
    d.t("apiVersion: v1\nkind: Secret\nstringData:\n  REDIS_PASSWORD: ")
    d.e("SECRET", v.token(18)).t("\n  SMTP_API_KEY: ").e("SECRET", v.api_key()).t("\n")


@template("python_code")
def _py(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("# maintainer: ").e("PERSON", p.full).t(" <").e("EMAIL", v.email(p)).t(">\n")
    d.t('client = Client(api_key="').e("SECRET", v.api_key()).t('", timeout=30)\n')
    d.t('client.notify(phone="').e("PHONE", v.phone()).t('")\n')


@template("sql_insert")
def _sql(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("INSERT INTO customers (name, email, card) VALUES ('").e("PERSON", p.full)
    d.t("', '").e("EMAIL", v.email(p)).t("', '").e("CREDIT_CARD", v.card()).t("');")


@template("sql_update")
def _sql_update(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("UPDATE accounts SET iban = '").e("IBAN", v.iban()).t("', phone = '")
    d.e("PHONE", v.phone()).t("' WHERE owner = '").e("PERSON", p.full).t("';")


@template("split_lines")
def _split(d: Doc, v: Values) -> None:
    card = v.card().replace("-", " ")
    if " " in card:
        first, rest = card.split(" ", 1)
        card = first + "\n" + rest
    d.t("Card on file:\n").e("CREDIT_CARD", card).t("\nexp 09/27. IBAN\n").e("IBAN", v.iban())


@template("glued_punctuation")
def _glued(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("(").e("EMAIL", v.email(p)).t('),"').e("PHONE", v.phone()).t('";card:')
    d.e("CREDIT_CARD", v.card().replace(" ", "")).t(";ip=").e("IP_ADDRESS", v.ip())
    d.t(";mac=").e("MAC_ADDRESS", v.mac()).t(".")


@template("signature_block")
def _sig(d: Doc, v: Values) -> None:
    p = v.person()
    d.t("Please find the minutes attached.\n\nBest regards,\n").e("PERSON", p.full)
    d.t("\n").e("ORG", v.r.choice(ORGS)).t("\nTel ").e("PHONE", v.phone()).t("\n")
    d.e("URL", v.url(p)).t("\n")


@template("repeated_forms")
def _repeat(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("Meeting with ").e("PERSON", p.full).t(" went well. ").e("PERSON", p.last)
    d.t(" will send numbers; ").e("PERSON", f"{p.first[0]}. {p.last}")
    d.t(" also asked about ").e("PERSON", p.last).t("'s budget. Mail ")
    d.e("EMAIL", v.email(p)).t(" if ").e("PERSON", p.first.lower()).t(" forgets.")


@template("ambiguous_names")
def _ambiguous(d: Doc, v: Values) -> None:
    p = v.r.choice([x for x in LATIN if x.first in {"Will", "Rose", "Mark", "Grace", "Hope",
                    "June", "Bill", "Faith", "Hunter", "Dawn", "Frank", "Summer"}])  # fmt: skip
    d.t("I will ask ").e("PERSON", p.full).t(" to mark the invoice; ").e("PERSON", p.first)
    d.t(" said the bill is due in June.")


@template("voicemail_transcript")
def _voicemail(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("Voicemail: hi, this is ").e("PERSON", p.full).t(" calling about the claim, my number ")
    d.t("is ").e("PHONE", v.phone()).t(", and my date of birth... SSN is ").e("SSN", v.ssn())
    d.t(". Thanks, bye.")


@template("devanagari_hebrew")
def _other_scripts(d: Doc, v: Values) -> None:
    p = v.r.choice([x for x in PEOPLE if x.script in ("devanagari", "hebrew")])
    d.t("Dear ").e("PERSON", p.full).t(", your parcel to ").e("LOCATION", v.r.choice(PLACES))
    d.t(" is delayed. Contact: ").e("EMAIL", v.email(p))


@template("url_profile")
def _url(d: Doc, v: Values) -> None:
    p = v.person(latin=True)
    d.t("Profile moved to ").e("URL", v.url(p)).t(" - ask ").e("PERSON", p.first)
    d.t(" for access.")


# --- negatives: no personal data, things that look like it -----------------------------


@template("neg_versions", negative=True)
def _n_versions(d: Doc, v: Values) -> None:
    d.t(
        f"Upgraded to version {v.r.randint(1, 20)}.{v.r.randint(0, 9)}.{v.r.randint(0, 99)}."
        f"{v.r.randint(0, 9999)} (build {v.r.randint(1000, 99999)}); kernel "
        f"{v.r.randint(4, 6)}.{v.r.randint(0, 19)}.{v.r.randint(0, 99)}-generic. "
        "Tests pass on Python 3.12.1."
    )


@template("neg_loopback", negative=True)
def _n_loopback(d: Doc, v: Values) -> None:
    d.t(
        f"Start the server on 127.0.0.1:{v.r.randint(1024, 65000)} and open "
        f"http://localhost:{v.r.randint(3000, 9000)}/health; bind ::1 for IPv6. The docs "
        f"use 192.0.2.{v.r.randint(1, 254)} and 2001:db8::{v.r.randint(1, 999)} as examples; "
        "netmask 255.255.255.0."
    )


@template("neg_tracking", negative=True)
def _n_tracking(d: Doc, v: Values) -> None:
    digits = "".join(v.r.choice(string.digits) for _ in range(22))
    d.t(
        f"Your parcel is on its way. Tracking number: {digits}. Order #{v.r.randint(10**6, 10**7)} "
        f"ships from warehouse {v.r.randint(1, 40)}."
    )


@template("neg_meeting_invite", negative=True)
def _n_meeting(d: Doc, v: Values) -> None:
    d.t(
        f"Join the weekly sync. Meeting ID: {v.r.randint(100, 999)} {v.r.randint(1000, 9999)} "
        f"{v.r.randint(1000, 9999)}, passcode {v.r.randint(100000, 999999)}. Agenda: "
        "roadmap, hiring, on-call."
    )


@template("neg_isbn", negative=True)
def _n_isbn(d: Doc, v: Values) -> None:
    body = "978" + "".join(v.r.choice(string.digits) for _ in range(9))
    check = (10 - sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(body)) % 10) % 10
    isbn = body + str(check)
    d.t(f"Recommended reading: ISBN {isbn[:3]}-{isbn[3]}-{isbn[4:7]}-{isbn[7:12]}-{isbn[12]}.")


@template("neg_git", negative=True)
def _n_git(d: Doc, v: Values) -> None:
    sha = v.token(40, HEX)
    d.t(
        f"Merged in commit {sha} after review. CI run {v.r.randint(1000, 9999)} green; "
        f"request id {v.token(8, HEX)}-{v.token(4, HEX)}-4{v.token(3, HEX)}-a{v.token(3, HEX)}-"
        f"{v.token(12, HEX)}."
    )


@template("neg_prose", negative=True)
def _n_prose(d: Doc, v: Values) -> None:
    d.t(
        v.r.choice(
            [
                "The password reset flow now expires tokens after 15 minutes.",
                "Hi team, thanks all for the quick turnaround on the release.",
                "Set max_tokens to 512 and the temperature to 0.2 for the summariser.",
                "Dear customer, your subscription renews next month.",
                "We will mark the sprint done once the build is green.",
                "Rotate the API key every 90 days; never paste it in chat.",
            ]
        )
    )


@template("neg_config", negative=True)
def _n_config(d: Doc, v: Values) -> None:
    d.t(
        "database:\n  host: db.internal\n  port: 5432\n  password: ${DB_PASSWORD}\n"
        "  pool_size: 10\nauth:\n  token_ttl: 3600\n  password_min_length: 12\n"
    )


@template("neg_release_notes", negative=True)
def _n_release(d: Doc, v: Values) -> None:
    d.t(
        f"Release {v.r.randint(1, 9)}.{v.r.randint(0, 30)}.0 - fixed a crash in the uploader, "
        f"raised the limit to {v.r.randint(2, 64)} MB, build {v.r.randint(100, 999)}.4."
    )


def build(part: str, size: int | None = None) -> list[Sample]:
    """The tuned part (seed 1, no held-out kinds) or the held-out slice (seed 2, every
    kind): about 2,000 and 600 texts, a fifth of them negatives."""
    if part == "tuned":
        rng, count = random.Random(20261206), size or 2000
        kinds = {k: f for k, f in TEMPLATES.items() if k not in HELDOUT_ONLY}
        negatives = {k: f for k, f in NEGATIVE_TEMPLATES.items() if k not in HELDOUT_ONLY}
    elif part == "heldout":
        rng, count = random.Random(88011), size or 600
        kinds, negatives = dict(TEMPLATES), dict(NEGATIVE_TEMPLATES)
    else:
        raise ValueError(part)
    values = Values(rng)
    out = []
    names, neg_names = sorted(kinds), sorted(negatives)
    for i in range(count):
        doc = Doc()
        if i % 5 == 4:
            kind = neg_names[(i // 5) % len(neg_names)]
            negatives[kind](doc, values)
        else:
            kind = names[rng.randrange(len(names))]
            kinds[kind](doc, values)
        out.append(doc.sample(kind))
    return out
