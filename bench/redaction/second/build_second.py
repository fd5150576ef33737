# ruff: noqa: E501, RUF001, S311 - hand-written check-set data: long template lines, names in many scripts, seeded (not cryptographic) draws
"""Build ``second.jsonl``: a second, small, frozen check set for the redaction gateway.

    python bench/redaction/second/build_second.py     # rewrites second.jsonl (deterministic)

Written for issue 21, round 2, before the round's detector changes, without reading the
detector's word lists (``names.py``, ``places.py``), its tests' evaluation set or the
templates of ``bench/redaction/independent/build_corpus.py``. It is never used for
tuning: only its summary figures are read.

Where the values come from:
- Latin-script people: given names per country from ``nam_dict.txt`` and family names
  from the 1990 U.S. Census surname list, drawn once into ``name_pool.json`` by
  ``extract_names.py`` (see there);
- people in other scripts (Cyrillic, Greek, Arabic, Hebrew, Chinese, Japanese, Korean,
  Devanagari, Thai, Georgian, Armenian): written by hand below;
- numbers and keys: random digits and characters from this file's seeded RNG, with
  IBAN (mod 97) and card (Luhn) check digits computed; key shapes from vendors' public
  documentation.

Labelling (the scorer's types): PERSON is every written form of a person (full, given
or family name alone, initials with a family name); EMAIL the whole address; PHONE the
number with its extension; SECRET the secret value only (not its key, not the quotes);
IP_ADDRESS public addresses only (loopback and documentation ranges are negatives);
URL a personal URL; IBAN, CREDIT_CARD, SSN, MAC_ADDRESS the value; LOCATION a town in
a postal address. Negatives hold no labelled value: look-alikes only.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = json.loads((HERE / "name_pool.json").read_text(encoding="utf-8"))
OUT = HERE / "second.jsonl"
SEED = 20261207

Part = str | tuple[str, str]

# Hand-written people in other scripts: (given, family, order) where order "fg" means
# the family name is written first.
OTHER_SCRIPTS: dict[str, list[tuple[str, str, str]]] = {
    "cyrillic": [
        ("Алексей", "Горбунов", "gf"), ("Марина", "Ефимова", "gf"),
        ("Богдан", "Шевчук", "gf"), ("Людмила", "Зайцева", "gf"),
        ("Ярослав", "Климов", "gf"), ("Вера", "Тихонова", "gf"),
    ],
    "greek": [
        ("Σταύρος", "Καραγιάννης", "gf"), ("Δέσποινα", "Αλεξίου", "gf"),
        ("Θανάσης", "Μπακάλης", "gf"), ("Κατερίνα", "Ρήγα", "gf"),
    ],
    "arabic": [
        ("خالد", "الشمري", "gf"), ("نورة", "القحطاني", "gf"),
        ("سامي", "حداد", "gf"), ("رنا", "الخطيب", "gf"),
    ],
    "hebrew": [
        ("נועה", "ברק", "gf"), ("איתי", "שפירא", "gf"), ("רותם", "גולן", "gf"),
    ],
    "chinese": [
        ("志强", "黄", "fg"), ("秀英", "周", "fg"), ("建国", "孙", "fg"),
        ("婷", "欧阳", "fg"), ("晓明", "郭", "fg"),
    ],
    "japanese": [
        ("翔太", "山口", "fg"), ("さくら", "中村", "fg"), ("和也", "小林", "fg"),
        ("恵子", "松本", "fg"),
    ],
    "korean": [
        ("하은", "윤", "fg"), ("도윤", "강", "fg"), ("지우", "임", "fg"),
    ],
    "devanagari": [
        ("विकास", "मिश्रा", "gf"), ("अनीता", "चौहान", "gf"), ("संजय", "गुप्ता", "gf"),
    ],
    "thai": [("ปรีชา", "วงศ์สวัสดิ์", "gf"), ("มาลี", "แก้วประเสริฐ", "gf")],
    "georgian": [("ნინო", "ბერიძე", "gf"), ("გიორგი", "კაპანაძე", "gf")],
    "armenian": [("Արամ", "Պետրոսյան", "gf")],
}  # fmt: skip

TOWNS = {
    "de": ["Bielefeld", "Göttingen", "Würzburg", "Rostock", "Kassel"],
    "fr": ["Besançon", "Limoges", "Perpignan", "Nancy", "Rouen"],
    "it": ["Bergamo", "Lecce", "Trieste", "Modena", "Parma"],
    "es": ["Valladolid", "Córdoba", "Alicante", "Gijón", "Vigo"],
    "gb": ["Norwich", "Swindon", "Dundee", "Exeter", "Bolton"],
    "us": ["Tulsa", "Spokane", "Fresno", "Omaha", "Boise"],
    "pl": ["Lublin", "Białystok", "Rzeszów", "Toruń", "Opole"],
}
STREETS = {
    "de": ["Lindenstraße", "Am Markt", "Bahnhofweg"],
    "fr": ["rue des Lilas", "avenue Jean Jaurès", "place du Marché"],
    "it": ["via Roma", "corso Garibaldi", "viale dei Mille"],
    "es": ["calle Mayor", "avenida de la Paz", "plaza España"],
    "gb": ["Mill Lane", "Church Road", "Station Road"],
    "us": ["Maple Avenue", "Oak Street", "Ridge Road"],
    "pl": ["ul. Kwiatowa", "ul. Lipowa", "ul. Polna"],
}


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, seq: list[str]) -> str:
        return self.rng.choice(seq)

    def person(self, country: str | None = None) -> tuple[str, str]:
        c = country or self.pick(sorted(POOL["given"]))
        return self.pick(POOL["given"][c]), self.pick(POOL["family"])

    def other(self, script: str) -> tuple[str, str, str]:
        return self.rng.choice(OTHER_SCRIPTS[script])

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def chars(self, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def email(self, given: str, family: str, domain: str | None = None) -> str:
        import unicodedata

        def ascii_(s: str) -> str:
            return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()

        g, f = ascii_(given), ascii_(family)
        local = self.pick([f"{g}.{f}", f"{g[0]}{f}", f"{g}_{f}", f"{f}.{g[0]}", f"{g}{f[:1]}"])
        dom = domain or self.pick(
            ["kestrel-logistics.com", "mailbox.org", "web.de", "outlook.com", "ferrovia.it",
             "bluefin.co.uk", "univ-nord.fr", "gmail.com", "tarnhelm.io"]
        )  # fmt: skip
        return f"{local}@{dom}"

    def phone(self, country: str) -> str:
        d = self.digits
        forms = {
            "de": [f"+49 {d(2)} {d(4)} {d(3)}", f"0{d(3)} / {d(6)}", f"+49 (0){d(3)} {d(7)}"],
            "fr": [f"+33 {self.rng.randint(1, 9)} {d(2)} {d(2)} {d(2)} {d(2)}",
                   f"0{self.rng.randint(1, 7)}.{d(2)}.{d(2)}.{d(2)}.{d(2)}"],
            "it": [f"+39 3{d(2)} {d(3)} {d(4)}", f"0{d(2)} {d(7)}"],
            "es": [f"+34 6{d(2)} {d(3)} {d(3)}", f"9{d(2)} {d(2)} {d(2)} {d(2)}"],
            "gb": [f"+44 7{d(3)} {d(6)}", f"0{d(4)} {d(6)}", f"+44 (0)1{d(2)} {d(3)} {d(4)}"],
            "us": [f"({self.rng.randint(201, 989)}) {self.rng.randint(200, 989)}-{d(4)}",
                   f"+1-{self.rng.randint(201, 989)}-{self.rng.randint(200, 989)}-{d(4)}",
                   f"{self.rng.randint(201, 989)}.{self.rng.randint(200, 989)}.{d(4)}"],
            "pl": [f"+48 {self.rng.randint(500, 899)} {d(3)} {d(3)}", f"{d(2)} {d(3)} {d(2)} {d(2)}"],
            "jp": [f"03-{d(4)}-{d(4)}", f"+81 90-{d(4)}-{d(4)}"],
            "in": [f"+91 9{d(4)} {d(5)}", f"0{d(2)}-{d(8)}"],
            "br": [f"+55 11 9{d(4)}-{d(4)}", f"(21) 9{d(4)}-{d(4)}"],
            "ru": [f"+7 9{d(2)} {d(3)}-{d(2)}-{d(2)}", f"8 (4{d(2)}) {d(3)}-{d(2)}-{d(2)}"],
            "kr": [f"010-{d(4)}-{d(4)}"],
            "cn": [f"+86 13{d(1)} {d(4)} {d(4)}"],
        }  # fmt: skip
        return self.pick(forms[country])

    def iban(self, country: str) -> str:
        lengths = {"DE": 22, "FR": 27, "ES": 24, "NL": 18, "IT": 27, "PL": 28, "GB": 22}
        n = lengths[country]
        if country == "NL":
            bban = self.pick(["ABNA", "RABO", "INGB"]) + self.digits(10)
        elif country == "GB":
            bban = self.pick(["NWBK", "BARC", "LOYD"]) + self.digits(14)
        elif country == "IT":
            bban = self.pick(string.ascii_uppercase) + self.digits(22)
        else:
            bban = self.digits(n - 4)
        num = "".join(str(int(ch, 36)) for ch in bban + country + "00")
        check = 98 - int(num) % 97
        raw = f"{country}{check:02d}{bban}"
        if self.rng.random() < 0.6:
            return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
        return raw

    def card(self) -> str:
        prefix = self.pick(["4", "51", "53", "55", "2221", "6011", "37"])
        length = 15 if prefix == "37" else 16
        body = prefix + self.digits(length - len(prefix) - 1)
        total = 0
        for i, ch in enumerate(reversed(body)):
            v = int(ch)
            if i % 2 == 0:
                v *= 2
                v -= 9 if v > 9 else 0
            total += v
        full = body + str((10 - total % 10) % 10)
        if length == 15:
            return self.pick([full, f"{full[:4]} {full[4:10]} {full[10:]}"])
        sep = self.pick(["", " ", "-"])
        return sep.join(full[i : i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        area = self.rng.randint(1, 899)
        while area == 666:
            area = self.rng.randint(1, 899)
        return f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"

    def ip(self) -> str:
        while True:
            a = self.rng.randint(1, 223)
            if a not in (10, 100, 127, 169, 172, 192, 198, 203):
                return f"{a}.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"

    def mac(self) -> str:
        sep = self.pick([":", "-"])
        return sep.join(f"{self.rng.randint(0, 255):02x}" for _ in range(6)).upper()

    def key(self) -> str:
        a = string.ascii_letters + string.digits
        return self.pick([
            "ghp_" + self.chars(36, a),
            "github_pat_" + self.chars(22, a) + "_" + self.chars(59, a),
            "AKIA" + self.chars(16, string.ascii_uppercase + string.digits),
            "sk_live_" + self.chars(24, a),
            "xoxb-" + self.digits(12) + "-" + self.digits(13) + "-" + self.chars(24, a),
            "glpat-" + self.chars(20, a + "-_"),
            "hf_" + self.chars(34, a),
            "SG." + self.chars(22, a + "-_") + "." + self.chars(43, a + "-_"),
            "AIza" + self.chars(35, a + "-_"),
            "sk-ant-api03-" + self.chars(80, a + "-_") + "AA",
            "dop_v1_" + self.chars(64, "0123456789abcdef"),
            "npm_" + self.chars(36, a),
            "shpat_" + self.chars(32, "0123456789abcdef"),
        ])  # fmt: skip

    def password(self) -> str:
        words = ["lantern", "obsidian", "marmalade", "quiver", "tundra", "walrus", "saffron",
                 "gazebo", "nimbus", "pickle", "harbor", "juniper", "cobalt", "meadow"]  # fmt: skip
        return self.pick([
            self.chars(14, string.ascii_letters + string.digits + "!#%&*+?@^"),
            self.pick(words).capitalize() + self.digits(2) + self.pick(list("!$%&")) + self.pick(words),
            "-".join(self.rng.sample(words, 3)) + self.digits(1),
            self.pick(words) + self.digits(4),
        ])  # fmt: skip

    def passphrase(self) -> str:
        words = ["purple", "elephant", "dances", "quietly", "under", "seven", "orange",
                 "moons", "river", "stone", "velvet", "thunder"]  # fmt: skip
        return " ".join(self.rng.sample(words, 4))


def assemble(parts: list[Part]) -> tuple[str, list[dict[str, object]]]:
    text, spans = "", []
    for p in parts:
        if isinstance(p, tuple):
            value, typ = p
            spans.append({"start": len(text), "end": len(text) + len(value), "type": typ,
                          "value": value})  # fmt: skip
            text += value
        else:
            text += p
    return text, spans


P, E, T, S = "PERSON", "EMAIL", "PHONE", "SECRET"

# ---------------------------------------------------------------- positive templates


def mail_en(g: Gen) -> tuple[str, list[Part], list[str]]:
    c = g.pick(["gb", "us"])
    gv, fv = g.person(c)
    g2, f2 = g.person()
    mail = g.email(gv, fv)
    return (
        "email",
        [
            "From: ",
            (f"{gv} {fv}", P),
            " <",
            (mail, E),
            ">\nTo: support@tarnhelm.io\n"
            "Subject: Invoice 2291 - wrong billing address\n\nHi team,\n\n"
            "the invoice you sent last week still shows my old address. My colleague ",
            (f"{g2} {f2}", P),
            " already flagged it on the phone (",
            (g.phone(c), T),
            "). Could you reissue it?\n\nThanks,\n",
            (gv, P),
            "\n",
        ],
        ["repeated-forms", "signature"],
    )


def mail_de(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person("de")
    town = g.pick(TOWNS["de"])
    return (
        "email",
        [
            "Sehr geehrte Frau ",
            (fv, P),
            ",\n\nvielen Dank für Ihre Nachricht. Die Rücksendung "
            "wird an folgende Adresse abgeholt:\n\n",
            (f"{gv} {fv}", P),
            "\n",
            g.pick(STREETS["de"]),
            " ",
            str(g.rng.randint(1, 80)),
            "\n",
            g.digits(5),
            " ",
            (town, "LOCATION"),
            "\n\nRückfragen gern unter ",
            (g.phone("de"), T),
            ".\n\nMit freundlichen Grüßen\nKundenservice\n",
        ],
        ["german", "address"],
    )


def ticket_fr(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person("fr")
    mail = g.email(gv, fv)
    return (
        "ticket",
        [
            "Ticket #",
            g.digits(6),
            " - Statut : ouvert\nDemandeur : ",
            (f"{fv.upper()} {gv}", P),
            "\nCourriel : ",
            (mail, E),
            "\nTéléphone : ",
            (g.phone("fr"), T),
            "\n\nBonjour,\nMme ",
            (fv, P),
            " signale que le prélèvement a échoué sur le compte ",
            (g.iban("FR"), "IBAN"),
            ". Merci de la rappeler avant vendredi.\n",
        ],
        ["french", "upper-family"],
    )


def ticket_es(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person("es")
    f2 = g.pick(POOL["family"])
    return (
        "ticket",
        [
            "Incidencia ",
            g.digits(5),
            "\nCliente: ",
            (f"{gv} {fv} {f2}", P),
            "\nTel.: ",
            (g.phone("es"), T),
            "\nDescripción: el cliente ",
            (f"{fv} {f2}", P),
            " no puede acceder desde la IP ",
            (g.ip(), "IP_ADDRESS"),
            ". Se le ha enviado un enlace de recuperación.\n",
        ],
        ["spanish", "repeated-forms"],
    )


def chat_slack(g: Gen) -> tuple[str, list[Part], list[str]]:
    a, _af = g.person()
    b, _bf = g.person()
    c, cf = g.person()
    hh = g.rng.randint(8, 17)
    return (
        "chat",
        [
            f"[{hh}:0{g.rng.randint(0, 9)}] ",
            (a.lower(), P),
            ": has anyone heard back from ",
            (f"{c} {cf}", P),
            "?\n",
            f"[{hh}:1{g.rng.randint(0, 9)}] ",
            (b.lower(), P),
            ": yes, ",
            (c, P),
            " said the contract is fine, she'll sign tomorrow\n",
            f"[{hh}:2{g.rng.randint(0, 9)}] ",
            (a.lower(), P),
            ": great, ping ",
            (cf, P),
            " again if nothing by noon\n",
        ],
        ["lowercase", "first-name-alone"],
    )


def chat_mention(g: Gen) -> tuple[str, list[Part], list[str]]:
    a, af = g.person()
    b, bf = g.person()
    return (
        "chat",
        [
            "#ops  ",
            (f"{a} {af}", P),
            "  10:42\n@",
            (b.lower() + "." + bf.lower(), P),
            " can you rotate the staging key? the old one is ",
            (g.key(), S),
            "\n\n",
            (f"{b} {bf}", P),
            "  10:47\ndone, new one is in the vault\n",
        ],
        ["mention", "secret"],
    )


def csv_export(g: Gen) -> tuple[str, list[Part], list[str]]:
    parts: list[Part] = ["customer_id,first_name,last_name,email,phone,city\n"]
    for _ in range(3):
        c = g.pick(["de", "fr", "it", "es", "gb", "us", "pl"])
        gv, fv = g.person(c)
        parts += [g.digits(5), ",", (gv, P), ",", (fv, P), ",", (g.email(gv, fv), E), ",",
                  (g.phone(c), T), ",", (g.pick(TOWNS[c]), "LOCATION"), "\n"]  # fmt: skip
    return "csv", parts, ["names-in-fields", "table"]


def json_api(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "json",
        [
            '{\n  "order": "SO-',
            g.digits(7),
            '",\n  "customer": {\n    "fullName": "',
            (f"{gv} {fv}", P),
            '",\n    "email": "',
            (g.email(gv, fv), E),
            '",\n    "phone": "',
            (g.phone(g.pick(["us", "gb", "de"])), T),
            '"\n  },\n  "payment": {"card": "',
            (g.card(), "CREDIT_CARD"),
            '", "expiry": "0',
            str(g.rng.randint(1, 9)),
            "/2",
            str(g.rng.randint(7, 9)),
            '"},\n  "client_ip": "',
            (g.ip(), "IP_ADDRESS"),
            '"\n}\n',
        ],
        ["json", "names-in-fields"],
    )


def yaml_config(g: Gen) -> tuple[str, list[Part], list[str]]:
    return (
        "config",
        [
            "database:\n  host: db-primary.internal\n  port: 5432\n  user: app_rw\n  password: ",
            (g.password(), S),
            '\nsmtp:\n  relay: smtp.internal\n  api_token: "',
            (g.key(), S),
            '"\ncache:\n  ttl_seconds: 300\n',
        ],
        ["yaml", "secret"],
    )


def env_file(g: Gen) -> tuple[str, list[Part], list[str]]:
    return (
        "config",
        [
            "# production\nAPP_ENV=production\nLOG_LEVEL=info\nREDIS_URL=redis://:",
            (g.password(), S),
            "@cache:6379/0\nJWT_SIGNING_SECRET=",
            (g.chars(40), S),
            "\nPAYMENTS_KEY=",
            (g.key(), S),
            "\nWORKERS=4\n",
        ],
        ["env", "secret"],
    )


def curl_cmd(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "code",
        [
            "curl -sS -X POST https://api.tarnhelm.io/v2/users \\\n  -H 'Authorization: Bearer ",
            (g.key(), S),
            "' \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"name\": \"",
            (f"{gv} {fv}", P),
            '", "email": "',
            (g.email(gv, fv), E),
            "\"}'\n",
        ],
        ["curl", "secret"],
    )


def sql_insert(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    g2, f2 = g.person()
    return (
        "code",
        [
            "INSERT INTO employees (given_name, family_name, email, ssn) VALUES\n  ('",
            (gv, P),
            "', '",
            (fv, P),
            "', '",
            (g.email(gv, fv), E),
            "', '",
            (g.ssn(), "SSN"),
            "'),\n  ('",
            (g2, P),
            "', '",
            (f2, P),
            "', '",
            (g.email(g2, f2), E),
            "', '",
            (g.ssn(), "SSN"),
            "');\n",
        ],
        ["sql", "names-in-fields"],
    )


def git_log(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    g2, f2 = g.person()
    return (
        "log",
        [
            "commit ",
            g.chars(40, "0123456789abcdef"),
            "\nAuthor: ",
            (f"{gv} {fv}", P),
            " <",
            (g.email(gv, fv), E),
            ">\nDate:   Tue Mar 4 11:02:13 2025 +0100\n\n    Fix retry loop in exporter\n\n"
            "    Reported-by: ",
            (f"{g2} {f2}", P),
            " <",
            (g.email(g2, f2), E),
            ">\n",
        ],
        ["git"],
    )


def rota_md(g: Gen) -> tuple[str, list[Part], list[str]]:
    parts: list[Part] = ["| week | on call | mobile |\n| --- | --- | --- |\n"]
    for w in range(3):
        c = g.pick(["de", "gb", "us", "fr"])
        gv, fv = g.person(c)
        parts += [f"| {w + 10} | ", (f"{gv} {fv}", P), " | ", (g.phone(c), T), " |\n"]
    return "markdown", parts, ["table"]


def access_log(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "log",
        [
            "2025-06-02T08:14:55Z WARN auth: login failed user=",
            (g.email(gv, fv), E),
            " src=",
            (g.ip(), "IP_ADDRESS"),
            " attempts=3\n2025-06-02T08:15:02Z INFO auth: account locked user=",
            (g.email(gv, fv), E),
            "\n",
        ],
        ["log"],
    )


def mail_ru(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("cyrillic")
    return (
        "email",
        [
            "Здравствуйте, ",
            (gv, P),
            "!\n\nПересылаю договор, подпишите, пожалуйста, до пятницы. "
            "Если будут вопросы, звоните: ",
            (g.phone("ru"), T),
            ".\n\nС уважением,\n",
            (f"{fv} {gv}", P),
            "\n",
        ],
        ["cyrillic", "other-script"],
    )


def chat_zh(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("chinese")
    g2, f2, _ = g.other("chinese")
    return (
        "chat",
        [
            (f"{fv}{gv}", P),
            "：明天的评审会改到下午三点了\n",
            (f"{f2}{g2}", P),
            "：收到，我通知一下",
            (fv, P),
            "经理的助理\n",
            (f"{fv}{gv}", P),
            "：好的，电话 ",
            (g.phone("cn"), T),
            "\n",
        ],
        ["chinese", "other-script"],
    )


def mail_ja(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("japanese")
    return (
        "email",
        [
            (fv, P),
            "様\n\nいつもお世話になっております。\n請求書を添付いたしましたのでご確認ください。\n\n"
            "――――――\n株式会社ミナト物流\n",
            (f"{fv} {gv}", P),
            "\nTEL ",
            (g.phone("jp"), T),
            "\n",
        ],
        ["japanese", "other-script"],
    )


def chat_ko(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("korean")
    return (
        "chat",
        [
            (f"{fv}{gv}", P),
            ": 회의록 공유드립니다\n팀장: 고마워요 ",
            (f"{gv}", P),
            " 씨, 연락처 다시 알려줄래요?\n",
            (f"{fv}{gv}", P),
            ": ",
            (g.phone("kr"), T),
            " 입니다\n",
        ],
        ["korean", "other-script"],
    )


def mail_ar(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("arabic")
    return (
        "email",
        [
            "السلام عليكم ",
            (gv, P),
            "،\n\nتم تحويل المبلغ إلى الحساب ",
            (g.iban("DE"), "IBAN"),
            ".\nيرجى التأكيد.\n\nمع التحية،\n",
            (f"{gv} {fv}", P),
            "\n",
        ],
        ["arabic", "other-script"],
    )


def note_he(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("hebrew")
    return (
        "crm",
        [
            "שיחה עם ",
            (f"{gv} {fv}", P),
            " - ביקשה להעביר את הפגישה ליום ראשון. טלפון: ",
            (g.phone("us"), T),
            "\n",
        ],
        ["hebrew", "other-script"],
    )


def note_el(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("greek")
    return (
        "email",
        [
            "Καλησπέρα κ. ",
            (fv, P),
            ",\n\nσας στέλνω τα στοιχεία της παραγγελίας.\n\nΜε εκτίμηση,\n",
            (f"{gv} {fv}", P),
            "\n",
        ],
        ["greek", "other-script"],
    )


def chat_hi(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv, _ = g.other("devanagari")
    return (
        "chat",
        [
            "नमस्ते ",
            (gv, P),
            " जी, आपका टिकट बुक हो गया है। ",
            (f"{gv} {fv}", P),
            " के नाम पर कन्फर्मेशन ",
            (g.email("guest", g.digits(3), "rail-mail.in"), E),
            " पर भेजा गया है।\n",
        ],
        ["devanagari", "other-script"],
    )


def ticket_th_ka(g: Gen) -> tuple[str, list[Part], list[str]]:
    script = g.pick(["thai", "georgian", "armenian"])
    gv, fv, _ = g.other(script)
    return (
        "ticket",
        [
            "Ticket ",
            g.digits(5),
            "\nName: ",
            (f"{gv} {fv}", P),
            "\nPhone: ",
            (g.phone("us"), T),
            "\nNote: customer asked for a refund to card ending ",
            g.digits(4),
            ".\n",
        ],
        [script, "other-script", "names-in-fields"],
    )


def transcript(g: Gen) -> tuple[str, list[Part], list[str]]:
    a, af = g.person()
    b, bf = g.person()
    return (
        "transcript",
        [
            (af.upper(), P),
            ": Thanks for joining. Let's start with the budget.\n",
            (bf.upper(), P),
            ": Sure. ",
            (a, P),
            ", did finance approve the extra headcount?\n",
            (af.upper(), P),
            ": Not yet. I'll ask ",
            (f"{b[0]}. {bf}", P),
            " to send the numbers again.\n",
        ],
        ["transcript", "upper-family", "initials"],
    )


def phone_ext(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person(g.pick(["us", "gb"]))
    ext = g.pick(
        [f"ext. {g.digits(3)}", f"x{g.digits(4)}", f"Ext {g.digits(2)}", f"ext={g.digits(3)}"]
    )
    base = g.phone(g.pick(["us", "gb"]))
    return (
        "email",
        [
            "Best regards,\n",
            (f"{gv} {fv}", P),
            "\nAccount Manager\nDirect: ",
            (f"{base} {ext}" if "=" not in ext else f"{base};{ext}", T),
            "\n",
        ],
        ["extension", "signature"],
    )


def payment_log(g: Gen) -> tuple[str, list[Part], list[str]]:
    return (
        "log",
        [
            'level=error msg="charge declined" card=',
            (g.card(), "CREDIT_CARD"),
            " amount=",
            str(g.rng.randint(10, 900)),
            ".",
            g.digits(2),
            " currency=EUR payer_iban=",
            (g.iban(g.pick(["DE", "NL", "ES", "IT"])).replace(" ", ""), "IBAN"),
            " device=",
            (g.mac(), "MAC_ADDRESS"),
            "\n",
        ],
        ["log"],
    )


def inverted(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "ticket",
        [
            "Assignee: ",
            (f"{fv}, {gv}", P),
            "\nWatchers: 2\nComment: Reassigned from ",
            (fv, P),
            " to the billing queue; ",
            (gv, P),
            " is out until the 14th.\n",
        ],
        ["inverted-name", "first-name-alone"],
    )


def crm_lower(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "crm",
        [
            "call w/ ",
            (f"{gv.lower()} {fv.lower()}", P),
            " re renewal - wants 3y term, decision by eom. ",
            (fv.lower(), P),
            " cc'd cfo. mobile ",
            (g.phone(g.pick(["us", "de", "it"])), T),
            "\n",
        ],
        ["lowercase"],
    )


def python_code(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "code",
        [
            'def test_invoice_pdf(client):\n    user = make_user(name="',
            (f"{gv} {fv}", P),
            '", email="',
            (g.email(gv, fv), E),
            '")\n    client.login(user, password="',
            (g.password(), S),
            "\")\n    assert client.get('/invoices/1.pdf').status_code == 200\n",
        ],
        ["code-literal", "secret"],
    )


def http_dump(g: Gen) -> tuple[str, list[Part], list[str]]:
    return (
        "log",
        [
            "GET /api/v1/me HTTP/1.1\nHost: app.tarnhelm.io\nX-Api-Key: ",
            (g.key(), S),
            "\nCookie: sessionid=",
            (g.chars(32, "0123456789abcdef"), S),
            "; theme=dark\nX-Forwarded-For: ",
            (g.ip(), "IP_ADDRESS"),
            "\nAccept: */*\n",
        ],
        ["http", "secret"],
    )


def k8s_secret(g: Gen) -> tuple[str, list[Part], list[str]]:
    import base64

    pw = base64.b64encode(g.password().encode()).decode()
    return (
        "config",
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: billing-db\ntype: Opaque\ndata:\n"
            "  username: YmlsbGluZw==\n  password: ",
            (pw, S),
            "\n",
        ],
        ["k8s", "secret"],
    )


def cli_flags(g: Gen) -> tuple[str, list[Part], list[str]]:
    return (
        "code",
        [
            "$ mysqldump -u backup -p",
            (g.password(), S),
            ' --single-transaction shop > shop.sql\n$ psql "postgresql://report:',
            (g.password(), S),
            "@db.internal:5432/analytics\" -c 'select 1'\n",
        ],
        ["cli-flags", "connection-string", "secret"],
    )


def prose_secret(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "chat",
        [
            (f"{gv} {fv}", P),
            ": the wifi password for the guest network is ",
            (g.password(), S),
            " and the printer PIN is in the binder\n",
        ],
        ["prose-password"],
    )


def passphrase_toml(g: Gen) -> tuple[str, list[Part], list[str]]:
    return (
        "config",
        [
            '[signing]\nkey_file = "/etc/app/sign.pem"\npassphrase = "',
            (g.passphrase(), S),
            '"\n\n[server]\nport = 8443\n',
        ],
        ["toml", "passphrase", "secret"],
    )


def wrapped(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    iban = g.iban(g.pick(["DE", "FR", "ES"])).replace(" ", "")
    cut = g.rng.randint(8, len(iban) - 6)
    return (
        "email",
        [
            "> Please refund the deposit to ",
            (f"{gv} {fv}", P),
            "'s account ",
            (iban[:cut] + "\n" + iban[cut:], "IBAN"),
            "\n> as agreed.\n\nOK, done. Receipt sent to ",
            (g.email(gv, fv), E),
            ".\n",
        ],
        ["possessive", "quoted-mail", "line-split"],
    )


def address_letter(g: Gen) -> tuple[str, list[Part], list[str]]:
    c = g.pick(["it", "es", "pl", "gb", "us"])
    gv, fv = g.person(c)
    return (
        "letter",
        [
            (f"{gv} {fv}", P),
            "\n",
            g.pick(STREETS[c]),
            " ",
            str(g.rng.randint(2, 120)),
            "\n",
            g.digits(5),
            " ",
            (g.pick(TOWNS[c]), "LOCATION"),
            "\n\nDear Sir or Madam,\n\nI am writing to dispute charge ",
            g.digits(8),
            " on my statement. My customer number is ",
            g.digits(9),
            ".\n\nYours faithfully,\n",
            (f"{gv} {fv}", P),
            "\n",
        ],
        ["address", "letter"],
    )


def title_possessive(g: Gen) -> tuple[str, list[Part], list[str]]:
    gv, fv = g.person()
    return (
        "note",
        [
            "Dr. ",
            (fv, P),
            "'s referral arrived; patient ",
            (f"{g.person()[0]} {g.pick(POOL['family'])}", P),
            " (SSN ",
            (g.ssn(), "SSN"),
            ") booked for a follow-up. Personal page: ",
            (f"https://{fv.lower()}-lab.org/~{gv.lower()}", "URL"),
            "\n",
        ],
        ["title", "possessive"],
    )


POSITIVE: list[Callable[[Gen], tuple[str, list[Part], list[str]]]] = [
    mail_en, mail_de, ticket_fr, ticket_es, chat_slack, chat_mention, csv_export, json_api,
    yaml_config, env_file, curl_cmd, sql_insert, git_log, rota_md, access_log, mail_ru,
    chat_zh, mail_ja, chat_ko, mail_ar, note_he, note_el, chat_hi, ticket_th_ka, transcript,
    phone_ext, payment_log, inverted, crm_lower, python_code, http_dump, k8s_secret,
    cli_flags, prose_secret, passphrase_toml, wrapped, address_letter, title_possessive,
]  # fmt: skip

# ---------------------------------------------------------------- negative templates


def neg_release(g: Gen) -> list[Part]:
    v = f"{g.rng.randint(1, 9)}.{g.rng.randint(0, 30)}.{g.rng.randint(0, 12)}"
    return [
        f"## v{v} ({g.rng.randint(2024, 2026)}-0{g.rng.randint(1, 9)}-1{g.rng.randint(0, 9)})\n\n"
        f"- Bump protobuf to 5.{g.rng.randint(20, 29)}.{g.rng.randint(0, 9)}\n- Fix #{g.digits(4)}: crash when "
        f"the cache dir is read-only\n- Build {g.rng.randint(1, 9)}.{g.rng.randint(0, 9)}.{g.digits(4)}.{g.digits(3)}"
        f" signed\n"
    ]


def neg_metrics(g: Gen) -> list[Part]:
    rows = "".join(
        f"| {g.pick(['p50', 'p95', 'p99', 'max'])} | {g.rng.randint(1, 900)} ms | {g.digits(7)} |\n"
        for _ in range(4)
    )
    return [f"| stat | latency | requests |\n| --- | --- | --- |\n{rows}"]


def neg_nginx(g: Gen) -> list[Part]:
    return [
        f"server {{\n  listen 127.0.0.1:{g.rng.randint(8000, 8999)};\n  location / {{\n"
        f"    proxy_pass http://localhost:{g.rng.randint(3000, 3999)};\n    proxy_set_header Host $host;\n  }}\n}}\n"
    ]


def neg_traceback(g: Gen) -> list[Part]:
    return [
        'Traceback (most recent call last):\n  File "/srv/app/worker.py", line '
        f'{g.rng.randint(10, 400)}, in run\n    result = self.handler(job)\n  File "/srv/app/jobs.py", '
        f'line {g.rng.randint(10, 400)}, in handler\n    raise TimeoutError(f"job {{job.id}} exceeded {g.rng.randint(10, 90)}s")\n'
        "TimeoutError: job 7f3e2a1c exceeded the limit\n"
    ]


def neg_cron(g: Gen) -> list[Part]:
    return [
        f"TZ=America/Chicago\n{g.rng.randint(0, 59)} {g.rng.randint(0, 23)} * * 1-5 /usr/local/bin/backup --keep "
        f"{g.rng.randint(3, 30)}\n*/15 * * * * /usr/local/bin/healthcheck --timeout 10\n"
    ]


def neg_json_ids(g: Gen) -> list[Part]:
    uid = "-".join(g.chars(n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
    return [
        f'{{"request_id": "{uid}", "ts": 17{g.digits(8)}, "duration_ms": {g.rng.randint(2, 999)}, '
        f'"status": 200, "region": "eu-west-{g.rng.randint(1, 3)}", "build": "{g.digits(4)}.{g.digits(2)}"}}\n'
    ]


def neg_versions(g: Gen) -> list[Part]:
    return [
        f"Requirements: Python >= 3.{g.rng.randint(9, 13)}, CUDA {g.rng.randint(11, 12)}.{g.rng.randint(0, 8)}, "
        f"driver {g.rng.randint(500, 580)}.{g.digits(2)}.{g.digits(2)}\nTested on Windows 10.0.{g.digits(5)}.{g.digits(4)}"
        f" and kernel 6.{g.rng.randint(1, 12)}.{g.rng.randint(0, 40)}-generic\n"
    ]


def neg_hashes(g: Gen) -> list[Part]:
    return [
        f"sha256  {g.chars(64, '0123456789abcdef')}  dist/app-{g.rng.randint(1, 4)}.{g.rng.randint(0, 9)}.tar.gz\n"
        f"md5     {g.chars(32, '0123456789abcdef')}  dist/app.whl\n"
    ]


def neg_shipping(g: Gen) -> list[Part]:
    return [
        f"Your parcel 1Z{g.chars(16, string.ascii_uppercase + string.digits)} left the depot. "
        f"Order {g.digits(3)}-{g.digits(7)}-{g.digits(7)}, {g.rng.randint(1, 5)} items, "
        f"weight {g.rng.randint(1, 20)}.{g.digits(1)} kg. Estimated delivery: Thursday.\n"
    ]


def neg_calendar(g: Gen) -> list[Part]:
    return [
        f"Reminder: the office is closed on Monday, May {g.rng.randint(1, 28)}. Payroll runs on June "
        f"{g.rng.randint(1, 28)} as usual. Meeting ID {g.digits(3)} {g.digits(4)} {g.digits(4)}, passcode shared in the invite.\n"
    ]


def neg_recipe(g: Gen) -> list[Part]:
    return [
        f"Roast the squash at {g.rng.randint(180, 220)} °C for {g.rng.randint(25, 45)} minutes. Add sage, "
        "a sprig of rosemary and a pinch of ginger; finish with basil and a little olive oil.\n"
    ]


def neg_policy(g: Gen) -> list[Part]:
    return [
        f"Passwords must be at least {g.rng.randint(12, 16)} characters, rotated every {g.rng.randint(60, 180)} days, "
        "and never sent by e-mail. API keys are stored in the secrets manager; set API_KEY=${API_KEY} "
        "in CI, not a literal value.\n"
    ]


def neg_dockerfile(g: Gen) -> list[Part]:
    return [
        f"FROM python:3.{g.rng.randint(10, 13)}-slim\nENV PIP_NO_CACHE_DIR=1\nEXPOSE {g.rng.randint(8000, 9000)}\n"
        'HEALTHCHECK CMD curl -f http://127.0.0.1:8000/health || exit 1\nCMD ["gunicorn", "app:app"]\n'
    ]


def neg_network(g: Gen) -> list[Part]:
    return [
        f"allow 192.0.2.{g.rng.randint(1, 254)};\nallow 198.51.100.0/24;\nallow 2001:db8::{g.rng.randint(1, 99)};\n"
        "deny all;\n# netmask 255.255.255.0, gateway on ::1 for tests\n"
    ]


def neg_sports(g: Gen) -> list[Part]:
    return [
        f"Final score {g.rng.randint(0, 5)}-{g.rng.randint(0, 5)} after extra time; attendance {g.digits(2)},{g.digits(3)}. "
        f"Next fixture: matchday {g.rng.randint(2, 34)}, kick-off 20:45 CET.\n"
    ]


def neg_isbn(g: Gen) -> list[Part]:
    body = "978" + g.digits(9)
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    isbn = body + str((10 - total % 10) % 10)
    return [
        f"Reading list: ISBN {isbn}, {g.rng.randint(200, 600)} pages, 2nd edition, chapter {g.rng.randint(1, 20)}.\n"
    ]


NEGATIVE: list[Callable[[Gen], list[Part]]] = [
    neg_release, neg_metrics, neg_nginx, neg_traceback, neg_cron, neg_json_ids, neg_versions,
    neg_hashes, neg_shipping, neg_calendar, neg_recipe, neg_policy, neg_dockerfile,
    neg_network, neg_sports, neg_isbn,
]  # fmt: skip


def build() -> list[dict[str, object]]:
    g = Gen(random.Random(SEED))
    rows: list[dict[str, object]] = []
    for template in POSITIVE:
        for i in range(5):
            kind, parts, tags = template(g)
            text, spans = assemble(parts)
            rows.append({"id": f"s2-{template.__name__}-{i}", "kind": kind, "negative": False,
                         "tags": [*tags, template.__name__], "text": text, "spans": spans})  # fmt: skip
    for neg in NEGATIVE:
        for i in range(4):
            text, spans = assemble(neg(g))
            rows.append({"id": f"s2-{neg.__name__}-{i}", "kind": "negative", "negative": True,
                         "tags": [neg.__name__], "text": text, "spans": spans})  # fmt: skip
    return rows


def main() -> None:
    rows = build()
    OUT.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(OUT, len(rows), "texts,", sum(len(r["spans"]) for r in rows), "spans")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
