# ruff: noqa: RUF001  (names and cue words in Cyrillic, Greek and CJK on purpose)
"""People's names the statistical model cannot see: by context (greetings, titles,
signatures, name fields), in any script, and every other surface form of a name
already found in a text ("J. Smith", "SMITH, John", "Smith's").

spaCy's small English model finds almost no names in CJK, Cyrillic, Greek or Arabic
script. What a text says around a name does not depend on the script: a greeting, a
title or a signature line is a person's name whatever letters it is written in. The
word lists here are written by hand from the languages' ordinary usage.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import PERSON, Span
from spark_control_redaction.evidence import software_phrase
from spark_control_redaction.forms import word_forms
from spark_control_redaction.prefilter import guarded

# Scripts written without capitals, where any run of letters after a cue is the name.
_HAN = "\u4e00-\u9fff\u3400-\u4dbf"
_KANA = "\u3040-\u30ff"
_HANGUL = "\uac00-\ud7af"
# (Arabic letters without its comma, semicolon and question mark: "أحمد،" is أحمد)
_CASELESS = (
    "\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff\u0590-\u05ff\u0900-\u097f\u0e00-\u0e7f"
    + _HANGUL
)
# Words of a name in a script with capitals (Latin, Cyrillic, Greek…): capitalised,
# possibly hyphenated or with an apostrophe ("O'Neil", "Jean-Luc").
_CAP_WORD = r"(?:[^\W\d_a-zа-яёα-ωß])[^\W\d_]*(?:['\u2019\-][^\W\d_]+)?"
_CASELESS_WORD = rf"[{_CASELESS}]+"
# Lower-case particles inside a family name ("Annelies de Vries", "Ana dos Santos").
_PARTICLES_TEXT = "van von de der den du da di del della dos das ter ten le la bin ibn al el"
PARTICLES = frozenset(_PARTICLES_TEXT.split())
# Words that open a family name in surface forms: the particles, also capitalised
# ("De Souza"), and the Irish and Scottish prefixes ("Ó Briain", "Ní Mhaoil").
_FAMILY_PREFIXES = (
    PARTICLES | {p.title() for p in PARTICLES} | {"Ó", "Ní", "Nic", "Mac", "Ua", "Uí"}
)
_PARTICLE = rf"(?:(?:{'|'.join(_PARTICLES_TEXT.split())})[ \u00a0]){{0,2}}"
_NAME_WORDS = (
    rf"(?:{_CASELESS_WORD}|{_CAP_WORD})"
    rf"(?:[ \u00a0]{_PARTICLE}(?:{_CASELESS_WORD}|{_CAP_WORD})){{0,2}}"
)
_TITLE = r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sr|Sra|Mme)\.?[ \u00a0]+)?"
# Han names: a surname and one or two characters, never more (there are no spaces to
# stop at). Kana names run on while they are kana.
_HAN_NAME = rf"[{_HAN}]{{2,3}}|[{_HAN}{_KANA}]{{1,4}}[{_KANA}]{{1,4}}"

# Greetings and titles before a name.
_BEFORE = (
    r"Dear|Hi|Hello|Hey|Hiya|Thanks|Thank you|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Mx\.?|"
    r"Prof\.?|Herr|Frau|Hallo|Liebe|Lieber|Sehr geehrte[rs]?|Sr\.?|Sra\.?|Srta\.?|Hola|"
    r"Querid[oa]|Estimad[oa]|Mme\.?|Mlle\.?|M\.|Bonjour|Cher|Chère|Signor[ae]?|Gentile|"
    r"Caro|Cara|Ciao|Beste|Hej|Oi|Welcome(?: back)?(?=,)|"
    # round 6: more languages' greetings and forms of address
    r"Good morning|Good afternoon|Good evening|Greetings|Howdy|Guten Tag|Guten Morgen|"
    r"Moin|Servus|Buongiorno|Buonasera|Buenos días|Buenas tardes|Buenas|Bom dia|"
    r"Boa tarde|Olá|Prezad[oa]|Salut|Bonsoir|Geachte|Goedemorgen|Hoi|Hei|Hallå|Bästa|"
    r"Kära|Hyvä|Terve|Szanown[ay](?: Pan(?:ie|i))?|Witam|Dzień dobry|Cześć|"
    r"Vážen[ýá](?: pane| paní)?|Dobrý den|Ahoj|Kedves|Tisztelt|Szia|Stimate domnule|"
    r"Stimată doamnă|Dragă|Bună ziua|Poštovani|Poštovana|Sayın|Merhaba|Değerli|Sevgili|"
    r"Kính gửi|Xin chào|Chào|Pan|Pani|Paní|Signore|Señor|Señora|Doña|"
    r"Уважаем(?:ый|ая|ые)|Дорог(?:ой|ая|ие)|Здравствуйте|Привет|Господин|Госпожа|г-н|г-жа|"
    r"Доброе утро|Добрый день|Шановн(?:ий|а)|Вітаю|"
    r"Αγαπητ[έήοό]|Κύριε|Κυρία|Κ\.|Γεια σου|Γεια σας|Καλημέρα|"
    r"عزيزي|عزيزتي|السيد|السيدة|الأستاذ|الأستاذة|الدكتور|الدكتورة|مرحبا|أهلا|"
    r"שלום|לכבוד|היי|הי|בוקר טוב|ערב טוב|"
    r"السلام عليكم|صباح الخير|مساء الخير|أهلاً|أهلًا|الأخ|الأخت|"
    r"नमस्ते|श्री|श्रीमती|प्रिय"
)


def _first_letters(alternation: str) -> str:
    """A character class of the letters the alternatives of ``alternation`` start with,
    or "" when one of them starts with something else than a plain letter."""
    firsts, depth, start = set(), 0, True
    for i, char in enumerate(alternation):
        if start and not char.isalpha():
            return ""
        if start:
            firsts.add(char)
        start = False
        if char == "\\" or (i and alternation[i - 1] == "\\"):
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        start = char == "|" and depth == 0
    return "[" + "".join(sorted(firsts)) + "]"


# A look-ahead at the first letters of the greetings: most positions fail at once
# instead of after trying each of the greetings there (same matches).
_GREETING = re.compile(
    rf"(?<![^\W\d_])(?i:(?={_first_letters(_BEFORE)})(?:{_BEFORE}))[,:!]?[ \u00a0]+{_TITLE}"
    rf"(?P<name>{_NAME_WORDS})"
)
# Words that follow a greeting but are no name ("Hi team", "Dear Customer").
_NOT_NAMES_TEXT = """team all everyone everybody customer customers sir madam colleagues
    support there
    again world folks guys both friends partner partners valued hiring again so for
    the a an in on at to my our your this that it we you they i all, admin admins
    user users member members client clients applicant candidate manager managers
    hr it ops dev devs reviewer reviewers owner owners sales billing again, again.
    good morning afternoon evening night tomorrow today soon later back in-advance
    advance much lot lots very everyone, new dr mr mrs ms prof damen herren
    जी साहब सर צוות فريق"""
# The same in other scripts ("Уважаемый клиент", "عزيزي العميل", "प्रिय ग्राहक"):
# customers, users, members, colleagues, friends, parents, and the adjectives of
# address beside them ("گرامی", "الكرام").
_NOT_NAMES_OTHER_SCRIPTS = """
    клиент клиенты клиента покупатель покупатели пользователь пользователи коллеги друзья
    родители жители гость гости абонент абоненты участник участники подписчик подписчики
    клієнте клієнти користувачу користувачі колеги друзі батьки мешканці абоненте
    πελάτη πελάτες πελάτισσα συνάδελφοι φίλοι χρήστη χρήστες μέλη γονείς συνδρομητή
    მომხმარებელო მომხმარებლებო მომხმარებელი კოლეგებო მეგობრებო მშობლებო
    հաճախորդ հաճախորդներ գործընկերներ բարեկամներ օգտատեր
    العميل عميلنا العملاء المستخدم المستخدمين الزملاء الأعضاء السادة الكرام المحترم
    المحترمين الزبون زبوننا المشترك المشتركين أولياء الأمور
    مشتری مشتریان کاربر کاربران همکاران همکار مشترک مشترکین دوستان والدین گرامی عزیز
    صارف صارفین گاہک گاہکو ساتھیو ساتھیوں ممبران
    ग्राहक ग्राहकों उपयोगकर्ता उपयोगकर्ताओं साथियों सदस्य सदस्यों मित्रों अभिभावक
    গ্রাহক ব্যবহারকারী সহকর্মী সদস্য বন্ধুরা অভিভাবক
    வாடிக்கையாளர் வாடிக்கையாளரே பயனர் உறுப்பினர் நண்பர்களே
    ลูกค้า สมาชิก ผู้ใช้ ผู้ปกครอง
    고객님 고객 회원님 회원 여러분 학부모님
    お客様 皆様 会員様 各位 保護者様 客户 用户 会员 用戶 會員 客戶 家长 家長 同事们
    לקוח לקוחות משתמש משתמשים חברים הורים מנוי
"""
_NOT_NAMES = frozenset((_NOT_NAMES_TEXT + _NOT_NAMES_OTHER_SCRIPTS).split())
NOT_NAMES = _NOT_NAMES

# Han/kana/hangul names before an honorific, or after a cue written in those scripts.
_HONORIFIC_AFTER = (
    r"先生|女士|小姐|老师|教授|医生|博士|经理|总监|同学|同志|"
    r"さん|様|さま|氏|殿|くん|君|ちゃん|先生|部長|課長|社長|"
    r"님|씨|선생님|교수님|과장님|부장님"
)
_HAN_BEFORE_HONORIFIC = re.compile(
    rf"(?P<name>[{_HAN}]{{2,3}}|[{_HAN}{_KANA}]{{1,6}}|[{_HANGUL}]{{2,4}})(?:{_HONORIFIC_AFTER})"
    # Korean often writes the honorific after a space ("김민준 님").
    rf"|(?<![{_HANGUL}])(?P<kname>[{_HANGUL}]{{2,4}}) "
    rf"(?:님|씨|선생님|교수님|과장님|부장님)(?![{_HANGUL}])"
)
_HAN_CUE = re.compile(
    rf"(?:尊敬的|亲爱的|致|拝啓|联系人[:：]?|负责人[:：]?|姓名[:：]?|名前[:：]?|氏名[:：]?|"
    rf"이름[:：]?|담당자[:：]?|안녕하세요,?)\s?(?P<name>{_HAN_NAME}|[{_HANGUL}]{{2,4}})"
)
# Common Han surnames: a Han run after a cue is trimmed to one of them plus one or two
# characters when the cue glued onto the run ("我和王伟先生" names 王伟).
_HAN_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤佐藤鈴木高橋渡辺伊山本中村小加吉松井斎清森池橋阿"
)

# Name fields: "Name: …", "Contact: …", and their equivalents.
_FIELD = re.compile(
    rf"(?m)(?:^|[\s|,;({{\"'])(?i:name|full name|contact|contact person|customer|patient|"
    rf"employee|assignee|reporter|requester|requested by|signed|author|attn|attention|"
    rf"submitted by|approved by|owner|maintainer|manager|account manager|caller|"
    rf"sender|recipient|beneficiary|account holder|applicant|candidate|tenant|guest|"
    rf"first[_ ]?name|last[_ ]?name|surname|display[_ ]?name|holder|cardholder|"
    rf"assigned to|assigned|reviewed by|created by|reported by|opened by|closed by|"
    rf"resolved by|handled by|escalated to|updated by|modified by|prepared by|written by|"
    rf"on behalf of|ansprechpartner(?:in)?|kontaktperson|sachbearbeiter(?:in)?|"
    rf"persona de contacto|contacto|interlocuteur|référent|referente|vorname|nachname|"
    rf"prénom|nombre|apellidos?|nome|cognome|imię|nazwisko|jméno|příjmení|"
    rf"Имя|ФИО|Контакт|Клиент|Όνομα|Ονοματεπώνυμο|الاسم|שם)[\"']?[ \t]*[:：=][ \t]*[\"']?"
    # "Assigned to: Roe, Jane": a name written family first, to the end of the field.
    rf"(?P<name>{_NAME_WORDS}(?:,[ \t]*{_CAP_WORD}(?=[ \t]*(?:[;<(|\"']|$)))?)"
)
# A closing line, then the signature: a short line of name words.
_CLOSING = (
    r"(?:Best|Kind|Warm|Warmest|With kind|Many)? ?(?:regards|wishes)|Regards|Best|Cheers|"
    r"Thanks|Thank you|Many thanks|Sincerely|Yours(?: sincerely| truly| faithfully)?|"
    r"Respectfully|BR|KR|Thx|Ta|Love|"
    r"Mit freundlichen Grüßen|Viele Grüße|Beste Grüße|LG|MfG|Cordialement|Bien à vous|"
    r"Saludos|Atentamente|Un saludo|Cordiali saluti|Saluti|Grazie|Met vriendelijke groet|"
    r"Groeten|Med vänlig hälsning|Hälsningar|"
    r"Pozdrawiam|Z poważaniem|S pozdravem|Üdvözlettel|Tisztelettel|Cu stimă|"
    r"Srdačan pozdrav|Lijep pozdrav|S poštovanjem|Saygılarımla|Saygılar|Trân trọng|"
    r"Ystävällisin terveisin|Terveisin|Med vennlig hilsen|Med venlig hilsen|"
    r"Venlig hilsen|Mvh|Vänliga hälsningar|Vriendelijke groet|Groetjes|Atenciosamente|"
    r"Cumprimentos|Abraços|Distinti saluti|Un cordiale saluto|Un cordial saludo|"
    r"Freundliche Grüße|Liebe Grüße|Schöne Grüße|Herzliche Grüße|Gruß|Grüße|"
    r"Bien cordialement|Amicalement|Salutations|Best wishes|All the best|Take care|"
    r"Thanks (?:so much|a lot|again|a million|heaps|all)|Thank you (?:so much|again|all)|"
    r"Talk soon|Speak soon|Later|Have a good one|"
    r"С уважением|Спасибо|С наилучшими пожеланиями|Всего доброго|"
    r"Με εκτίμηση|Ευχαριστώ|Φιλικά|"
    r"مع تحياتي|مع خالص التحيات|شكرا|"
    r"مع خالص التحية|مع أطيب التحيات|تحياتي|مع الشكر|شكراً|شكرًا|وتفضلوا بقبول فائق الاحترام|"
    r"בברכה|תודה|בכבוד רב|בתודה|להתראות|"
    r"此致|敬礼|谢谢|祝好|よろしくお願いします|よろしくお願いいたします|敬具|감사합니다|"
    r"드림|올림|--|—|"
    # a phone's or a mail app's footer stands where a closing would ("Sent from my
    # iPhone", "Sent from Outlook for Android"): the name line after it is the sender's
    r"Sent from (?:my )?[A-Za-z][\w .\-]{1,30}"
)
# Words of greetings and closings, which the model now and then takes for a name.
CUE_WORDS = re.compile(rf"(?i)(?:{_BEFORE}|{_CLOSING})[,.!:]?")
_SIGNATURE = re.compile(
    rf"(?m)^[ \t]*(?i:{_CLOSING})[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t]*"
    # perhaps initials first ("J.R. Okonkwo")
    rf"(?P<name>(?:[^\W\d_a-z]\.){{0,3}}[ \t]?(?:{_NAME_WORDS})|{_HAN_NAME})[ \t]*"
    # a job title or a company after a bar, a comma or a dash ("Jane Roe | Ops Lead"),
    # or a kiss ("Hamish x")
    r"(?:(?:[|,\u00b7\u2022]|[ \t][-\u2013\u2014])[^\n]*|[ \t]x{1,3})?$"
)
# "Thanks, Alice" / "Regards, Иван" on one line at the end.
_SIGN_INLINE = re.compile(
    rf"(?m)(?:^|(?<=[.!?\u3002\uff01\uff1f]))[ \t]*(?i:{_CLOSING})[ \t]*,[ \t]*"
    rf"(?P<name>{_NAME_WORDS}|{_HAN_NAME}|[{_HAN}]{{1,3}}|[{_HANGUL}]{{1,4}})[ \t]*[.!]?$"
)
# "— Jane Roe" alone on a line: a signature after a dash.
_SIGN_DASH = re.compile(
    rf"(?m)^[ \t]*(?:--|\u2014|\u2013|~)[ \t]*(?P<name>{_NAME_WORDS}|{_HAN_NAME})[ \t]*$"
)
# "- Rose" as a text's last line: a signature after a hyphen. (A hyphen also opens the
# items of a list; a list's last item follows another item, see ``hyphen_signature``.)
_SIGN_HYPHEN = re.compile(rf"(?:^|\n)[ \t]*-[ \t]*(?P<name>{_NAME_WORDS})[ \t]*\s*$")
_BULLET = re.compile(r"^[ \t]*[-*\u2022+][ \t]")


# "thx -- Dawn": a dash and a name closing the text's last line.
_SIGN_TRAILING_DASH = re.compile(
    rf"[^\W_][.!,]?[ \t]+(?:--|\u2014|\u2013)[ \t]*(?P<name>{_NAME_WORDS})[ \t]*\s*$"
)
# "thanks! - Bob": one word after a hyphen after a sentence's end, closing the text
# (round 9; not "Step 1 - Setup", whose hyphen follows no sentence).
_SIGN_TRAILING_HYPHEN = re.compile(rf"[^\W_][.!?][ \t]+-[ \t]*(?P<name>{_CAP_WORD})[ \t]*$")
# "ok sounds good\n\nJune": one capitalised word alone on the last line, after a blank
# line (see ``lone_last_line``).
_LONE_LAST = re.compile(rf"\n[ \t]*\n[ \t]*(?P<name>{_CAP_WORD})[ \t]*[.!]?\s*$")


def lone_last_line(text: str) -> Iterator[Span]:
    """A short message signed with a given name alone on its last line."""
    m = _LONE_LAST.search(text[-80:])
    if m is None:
        return
    offset = max(0, len(text) - 80)
    if _signoff_word(m.group("name"), text[: offset + m.start()]):
        yield Span(PERSON, offset + m.start("name"), offset + m.end("name"))


def _signoff_word(name: str, before: str) -> bool:
    """Whether one word closing a text can be its writer's given name."""
    low = name.casefold()
    # (a word the text also writes in lower case is that word: "…\n\nDone")
    # (the substring test first: no pattern compiled for a word the text never writes)
    written_lower = low in before and re.search(rf"(?<!\w){re.escape(low)}(?!\w)", before)
    return (
        len(name) >= 3
        and not name.isupper()
        and low not in _NOT_SPEAKERS
        and low not in _NOT_NAMES
        and not CUE_WORDS.fullmatch(name)
        and not written_lower
    )


def hyphen_signature(text: str) -> Iterator[Span]:
    if "-" not in text and "\u2014" not in text and "\u2013" not in text:
        return
    trailing = _SIGN_TRAILING_DASH.search(text[-120:])
    if trailing is not None:
        offset = max(0, len(text) - 120)
        span = _name_span(trailing)
        if span is not None:
            yield Span(PERSON, offset + span.start, offset + span.end)
    tail = text[-80:].rstrip()
    hyphen = _SIGN_TRAILING_HYPHEN.search(tail)
    if hyphen is not None:
        offset = max(0, len(text) - 80)
        if _signoff_word(hyphen.group("name"), text[: offset + hyphen.start("name")]):
            yield Span(PERSON, offset + hyphen.start("name"), offset + hyphen.end("name"))
    m = _SIGN_HYPHEN.search(text[-200:])
    if m is None:
        return
    offset = max(0, len(text) - 200)
    before = text[: offset + m.start("name")].rstrip().rsplit("\n", 2)
    # the line above it: no item of the same list
    above = before[-2] if len(before) >= 2 else ""
    if not _BULLET.match(above) and len(m.group("name").split()) <= 3:
        span = _name_span(m)
        if span is not None:
            yield Span(PERSON, offset + span.start, offset + span.end)


# A signature block: a line of two or three name words, perhaps a line with a job title,
# then a line of contact details ("Direct: …", "Tel …", "M: …").
_SIGN_BLOCK = re.compile(
    rf"(?m)^[ \t]*(?P<name>{_NAME_WORDS})[ \t]*\n(?:[^\n:\d@]{{2,60}}\n)?[ \t]*"
    r"(?i:direct(?: line)?|phone|tel|telephone|mobile|mob|cell|fax|e-?mail|m|t|p|office)"
    r"\.?[ \t]*[:.]?[ \t]*[+(\d]"
)


# "Jane Roe <jane@…>", '"Jane Roe" <jane@…>': the display name of an address.
_DISPLAY_NAME = re.compile(rf"(?P<name>{_NAME_WORDS})\"?[ \t]*<[^<>@\s]+@[^<>\s]+>")
# "SMITH, John": a surname in capitals, a comma, a given name.
_SURNAME_FIRST = re.compile(
    r"(?<![\w,])(?P<family>[^\W\d_](?:[^\W\d_]|['\u2019\-])*"
    r"(?: [^\W\d_](?:[^\W\d_]|['\u2019\-]){1,})?), "
    r"(?P<given>[^\W\d_][^\W\d_]{2,}(?:-[^\W\d_]+)?)(?![\w])"
)
# Chat: "10:41 alice: …", "[10:41] Alice Roe: …", and "@alice" mentions.
_SPEAKER = re.compile(
    r"(?m)^[ \t]*\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+<?(?P<name>[^\W\d_][\w.\-]{1,30}"
    r"(?: [^\W\d_][\w\-]{1,30})?)>?:[ \t]"
)
_MENTION = re.compile(r"(?<![\w.@])@(?P<name>[^\W\d_][\w.\-]{1,30})(?![\w@(/])")
_NOT_HANDLES = frozenset(
    ["here", "channel", "everyone", "all", "team", "bot", "system", "admin", "root",
     "param", "return", "returns", "property", "staticmethod", "classmethod", "dataclass",
     "override", "pytest", "app", "router", "api", "todo", "fixme", "media", "import",
     "types", "angular", "babel", "emotion", "mui", "nestjs", "vue", "svelte",
     # doc-comment tags (JSDoc, Javadoc, Doxygen) and CSS/Sass at-rules
     "author", "throws", "throw", "exception", "see", "since", "deprecated", "version",
     "link", "type", "typedef", "example", "inheritdoc", "brief", "details", "note",
     "file", "fileoverview", "module", "private", "public", "protected", "static",
     "async", "callback", "const", "default", "description", "enum", "event", "export",
     "global", "ignore", "internal", "license", "namespace", "readonly", "requires",
     "summary", "template", "this", "yields", "yield", "keyframes", "supports",
     "include", "mixin", "extend", "apply", "tailwind", "layer", "charset", "font-face",
     "use", "forward", "each", "if", "else", "function", "container", "page"]
)  # fmt: skip
# Words after an annotation at a line's start ("@Test void run()", "@Autowired private"):
# the annotation's declaration, not a sentence to a person.
_DECLARATION_WORDS = frozenset(
    ["public", "private", "protected", "static", "final", "abstract", "void", "class",
     "interface", "fun", "val", "var", "def", "async", "override", "suspend", "open",
     "internal", "export", "function", "const", "let", "get", "set", "native"]
)  # fmt: skip
_LOG_WORDS = frozenset(
    ["info", "warn", "warning", "error", "debug", "trace", "fatal", "critical", "notice",
     "bot", "system", "server", "client", "cron", "kernel", "sshd", "systemd"]
)  # fmt: skip


# A chat transcript without clock times: "Alice: …" / "Alice Roe: …" at line starts, or
# after a WhatsApp-style "[12/03/2026, 18:41:07]". A label counts as a speaker when a
# date or time stands before it, or when it opens two lines or more (a conversation).
_SPEAKER_LINE = re.compile(
    rf"(?m)^[ \t]*(?P<stamp>\[[\d/.\-, :APMapm]{{4,30}}\][ \t]*)?"
    rf"(?P<name>(?:[^\W\d_]\.[ \u00a0]?)?{_NAME_WORDS}):[ \t]+(?P<said>\S)"
)
# Line labels of mail headers, notes, docs and logs: never a speaker.
_NOT_SPEAKERS_TEXT = """
    from to cc bcc subject date sent re fw fwd note notes nb tip tips hint warning warn
    error errors info debug example examples step steps q a question answer input output
    result results usage status todo fixme update updated edit source see also fix bug
    cause done next action actions decision decisions owner present absent agenda
    attendees summary location where when time host user accept cookie server
    authorization agent referer origin connection pragma expires via content important
    caution danger attention reason description details title name type value key default
    required optional returns return raises args arguments parameters params yields
    response request method path url version release changed added removed deprecated
    fixed security known issue issues workaround impact severity priority component
    environment expected actual steps observed resolution comment comments reply answer
    problem solution context background goal goals scope risk risks owner assignee
    reporter labels milestone team project client customer vendor total subtotal phone
    email mobile fax address tel web website office ps p.s pps tl tldr
    employee patient payroll salary department dob birthday nationality gender ssn iban
    bic swift account card starts start end role position site city country zip postcode
    street company organisation organization tax vat invoice order amount price
    currency ticket case id ref reference category queue agent caller requester contact
    manager line last first day days notice period birth place mail number code pin"""
_NOT_SPEAKERS = frozenset(_NOT_SPEAKERS_TEXT.split())


def _speaker_label(m: re.Match[str]) -> bool:
    name = m.group("name")
    words = name.split()
    return (
        bool(words)
        and words[0].casefold().rstrip(".") not in _NOT_SPEAKERS
        and name.casefold() not in _LOG_WORDS
        # "ALICE: …" in a transcript says something; "CPU: 93 %" is a reading.
        and (not name.isupper() or m.group("said").isalpha())
    )


def speaker_spans(text: str) -> Iterator[Span]:
    matches = list(_SPEAKER_LINE.finditer(text))
    if not matches:
        return
    counts: dict[str, int] = {}
    for m in matches:
        counts[m.group("name")] = counts.get(m.group("name"), 0) + 1
    # A conversation: most lines open with a speaker label ("Femi: …", "विक्रम जोशी: …").
    labelled = [m for m in matches if _speaker_label(m)]
    # Field labels ("Payroll IBAN:", "Line manager:") are no speakers of a conversation.
    named = [
        m
        for m in labelled
        if not any(w.casefold().strip(".") in _NOT_SPEAKERS for w in m.group("name").split())
    ]
    lines = sum(1 for line in text.splitlines() if line.strip())
    speakers = {m.group("name") for m in named}
    # Round 10: three labels or more, none of them twice, are the fields of a record
    # (a product's "Model:", "Battery:", "Navigation:", an alert's "Service:",
    # "Urgency:", an agenda's "Morning:", "Afternoon:"); people in a conversation take
    # turns, so one of them speaks twice.
    record = len(speakers) >= 3 and len(named) == len(speakers)
    talk = len(speakers) >= 2 and 2 * len(named) >= lines and not record
    for m in labelled:
        name = m.group("name")
        # A label in capitals is a speaker only in a conversation (transcripts write
        # "ALICE ROE:"; a log or a form writes "NOTE:" or "STATUS:" more than once).
        alone = not name.isupper() and (m.group("stamp") or counts[name] >= 2)
        if alone or (talk and m in named):
            yield Span(PERSON, m.start("name"), m.end("name"))


# Chat in Chinese, Japanese or Korean: "王伟: 明天见" at line starts (after a time or a
# bracketed stamp, perhaps), with an ASCII or a full-width colon.
_CJK_SPEAKER = re.compile(
    rf"(?m)^[ \t]*(?:\[[^\]\n]{{1,30}}\][ \t]*)?(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?[ \t]+)?"
    rf"(?P<name>[{_HAN}{_KANA}]{{2,4}}|[{_HANGUL}]{{2,4}})[ \t]*[:：][ \t]*\S"
)
# Field labels of forms and mail in those scripts: never a speaker.
_CJK_LABELS_TEXT = """
    姓名 名前 氏名 电话 電話 地址 住所 邮箱 时间 時間 日期 日付 备注 備考 注意 主题 件名 内容
    金额 金額 账号 口座 密码 客户 客服 用户 系统 管理员 公司 会社 部门 部署 问题 回答 回复 附件 手机
    携帯 宛先 差出人 送信者 收件人 发件人 抄送 订单 注文 番号 编号 状态 状態 原因 结果 結果 说明
    説明 이름 전화 주소 이메일 시간 날짜 제목 내용 비고 참고 답변 질문 고객 회사 부서 상태 결과
    메모 첨부"""
_CJK_LABELS = frozenset(_CJK_LABELS_TEXT.split())


def cjk_speakers(text: str) -> Iterator[Span]:
    """Speakers of a chat written in CJK scripts: two or more names opening lines."""
    if text.isascii():
        return
    matches = [m for m in _CJK_SPEAKER.finditer(text) if m.group("name") not in _CJK_LABELS]
    if len({m.group("name") for m in matches}) >= 2:
        for m in matches:
            yield Span(PERSON, m.start("name"), m.end("name"))


def _surname_first(text: str) -> Iterator[Span]:
    """ "SMITH, John", "THỊ LAN, Nguyễn": a family name in capitals, a comma, a given
    name. A match that took a word too many ("with SMITH, John") is tried again from
    its next word."""
    pos = 0
    while (m := _SURNAME_FIRST.search(text, pos)) is not None:
        family, given = m.group("family"), m.group("given")
        if family.isupper() and len(family.replace(" ", "")) >= 3 and given.istitle():
            yield Span(PERSON, m.start(), m.end())
            pos = m.end()
        else:
            pos = m.start() + 1


def _trim_han(name: str) -> tuple[int, int]:
    """The part of a Han run that is a name: from its first surname character (the
    run may carry the words before the name; a character too many costs less than
    one too few)."""
    if not all("\u4e00" <= c <= "\u9fff" for c in name) or len(name) <= 3:
        return 0, len(name)
    for start in range(len(name) - 1):
        if name[start] in _HAN_SURNAMES:
            return start, len(name)
    return len(name) - 3, len(name)


def _name_span(m: re.Match[str]) -> Span | None:
    name = m.group("name")
    words = name.split()
    # Drop trailing words that are no name ("Hi Alice and team" stops at the name).
    while words and words[-1].casefold().strip(",.!،") in _NOT_NAMES:
        words.pop()
    if not words or words[0].casefold().strip(",،") in _NOT_NAMES:
        return None
    if words[-1].casefold() in ("bot", "robot"):
        return None  # "CI Bot <ci@…>": a program's account
    if software_phrase(" ".join(words)):
        return None  # "All the best,\nAccounts", "owner: Platform Team": a team (round 10)
    start = m.start("name")
    end = start + len(" ".join(words)) if len(words) < len(name.split()) else m.end("name")
    # "name: DB_PASSWORD", "owner: Ops/oncall": glued into an identifier or a path.
    if m.string[end : end + 1] in ("_", "/", "\\") and end == m.end("name"):
        return None
    head, tail = _trim_han(m.string[start:end])
    start, end = start + head, start + tail
    # "王伟先生" after a cue: the honorific is not part of the name.
    for i in range(start + 1, end):
        if _HONORIFIC_START.match(m.string, i):
            end = i
            break
    return Span(PERSON, start, end)


_HONORIFIC_START = re.compile(_HONORIFIC_AFTER)


def cue_spans(text: str) -> Iterator[Span]:
    """Names found by what stands around them, in any script."""
    # Cheap tests first: Han and hangul cues need a character beyond ASCII, a display
    # name an address in angle brackets (the scans they skip could find nothing).
    unicode = not text.isascii()
    for pattern in (
        _GREETING, _FIELD, _SIGNATURE, _SIGN_INLINE, _SIGN_DASH, _SIGN_BLOCK,
        *((_HAN_CUE,) if unicode else ()),
    ):  # fmt: skip
        for m in pattern.finditer(text):
            span = _name_span(m)
            if span is not None and not (pattern is _FIELD and _field_title(text, span.end)):
                yield span
    yield from foreign_runs(text)
    yield from hyphen_signature(text)
    yield from lone_last_line(text)
    yield from speaker_spans(text)
    yield from cjk_speakers(text)
    yield from list_field_names(text)
    for m in _CONTACT_LOWER.finditer(text):
        if _lower_name_ok(m.group("name")):
            yield Span(PERSON, m.start("name"), m.end("name"))
    yield from capitalised_runs(text)
    yield from sql_insert_names(text)
    for m in _DISPLAY_NAME.finditer(text) if "<" in text else ():
        span = _name_span(m)
        if span is not None:
            yield span
    yield from _marked_names(text)
    if unicode:
        yield from _han_names(text)


# Round 10: a field's value goes on in a lower-case word that is no name's ("- name:
# Install packages", "owner: Search team"): the title of a task or a thing, not a person
# ("Contact: Alice or Bob", "Owner: Alice to review" go on in small words).
_FIELD_TITLE = re.compile(r"[ \t]+(?P<word>[a-z][a-z\-]{2,})\b")
_GOES_ON_TEXT = """
    and or but nor to at from for in on with via by of off per than then so if as is are
    was were will would can could should shall may might must has have had does did do
    not please asap who whom whose which that when where while until till
    about after before during since into onto upon over under out up down also too
    only just still yet again here there this these those the and/or etc cc plus
"""
_GOES_ON = frozenset(_GOES_ON_TEXT.split()) | PARTICLES


def _field_title(text: str, end: int) -> bool:
    m = _FIELD_TITLE.match(text, end)
    return m is not None and m.group("word") not in _GOES_ON


# An agenda's time slots ("09:15  Q3 results: …", "10:00  Product roadmap: …") have the
# shape of a chat's clock and speaker: a heading is no speaker (round 10).
def _heading_label(name: str) -> bool:
    words = name.split()
    return (
        software_phrase(name)
        or (len(words) > 1 and any(c.isdigit() for c in name))
        or (len(words) > 1 and words[0][0].isupper() and words[1].islower())
    )


def _marked_names(text: str) -> Iterator[Span]:
    """Names a line's form marks: surname first, a speaker's label, an @mention."""
    yield from _surname_first(text)
    for m in _SPEAKER.finditer(text):
        name = m.group("name")
        if name.casefold() not in _LOG_WORDS and not name.isupper() and not _heading_label(name):
            yield Span(PERSON, m.start("name"), m.end("name"))
    for m in _MENTION.finditer(text) if "@" in text else ():
        name = m.group("name").rstrip(".-")
        end = m.start("name") + len(name)
        if name.casefold() not in _NOT_HANDLES and not _line_start_decorator(text, m.start(), end):
            yield Span(PERSON, m.start("name"), end)


def _han_names(text: str) -> Iterator[Span]:
    """Names before an honorific in Chinese, Japanese or Korean script."""
    for m in _HAN_BEFORE_HONORIFIC.finditer(text):
        if m.group("kname"):
            yield Span(PERSON, m.start("kname"), m.end("kname"))
            continue
        head, tail = _trim_han(m.group("name"))
        yield Span(PERSON, m.start("name") + head, m.start("name") + tail)


# A short run of another script inside a text written in Latin letters ("I spoke with
# يوسف الحسيني from …"): in mail, tickets and chat that is nearly always a name.
_FOREIGN_RUN = re.compile(
    r"(?<![^\W\d_])(?:[\u0400-\u04ff\u0370-\u03ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f"
    rf"{_HAN}{_KANA}{_HANGUL}]+(?:[ \u00a0]|(?=[^\W\d_]))?){{1,3}}"
)


def foreign_runs(text: str) -> Iterator[Span]:
    if text.isascii():
        return
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    letters = sum(1 for c in text if c.isalpha())
    if not letters or latin < 0.7 * letters:
        return
    for m in _FOREIGN_RUN.finditer(text):
        value = m.group().rstrip()
        if not 2 <= len(value) <= 24 or CUE_WORDS.fullmatch(value):
            continue
        # Han, kana and hangul names are at most four characters; a longer run, or one
        # closed by a full stop ("请查收附件。"), is a sentence.
        unspaced = _UNSPACED_RUN.fullmatch(value.replace(" ", ""))
        after = m.start() + len(value)
        long_word = any(len(part) > 4 for part in value.split())
        if unspaced and (long_word or (after < len(text) and text[after] in "。！？")):
            continue
        yield Span(PERSON, m.start(), m.start() + len(value))


_UNSPACED_RUN = re.compile(rf"[{_HAN}{_KANA}{_HANGUL}]+")


# A lower-case name after a verb of contact ("spoke w/ chase albright", "call with
# bill oduya"): notes typed in a hurry. Two lower-case words, the second no preposition.
_CONTACT_LOWER = re.compile(
    r"(?<![\w/])(?:spoke|speak|talked|talk|met|meet|meeting|mtg|call|called|chat|chatted|"
    r"emailed|e-mailed|phoned|texted|messaged|pinged|lunch|coffee|sync|synced|catch-up|"
    r"vm|voicemail)[ \t]+(?:w/|with|to)[ \t]+(?P<name>[a-z][a-z'\-]+[ \t][a-z][a-z'\-]+)"
    r"(?![\w@.]\w)"
)
_NOT_LOWER_NAME_TEXT = """
    the a an our my his her their them him us you me your its this that these those
    re about regarding on at in for from and or but to of by with today tomorrow
    yesterday team customer client support sales billing finance legal ops it hr
    someone somebody everyone anyone nobody people folks guys all both again again,
    vendor partner prospect lead owner manager boss cfo ceo cto coo vp director
"""
_NOT_LOWER_NAME = frozenset(_NOT_LOWER_NAME_TEXT.split())


def _lower_name_ok(name: str) -> bool:
    return not any(w in _NOT_LOWER_NAME for w in name.split())


# Lists of people after a label: "Present: Alice Roe (AR), Bob Stone".
_LIST_FIELD = re.compile(
    r"(?im)^[ \t]*(?P<label>present|attendees|attending|participants|invitees|attendance|"
    r"absent|apologies|guests|speakers|panel|interviewers|from|to|cc|bcc|reply-to|sender|"
    r"recipients?|assigned to|assignees?|reviewers?|approvers?|watchers|owners?|"
    r"organi[sz]er|facilitator|chair|note ?taker|scribe|on[- ]call|von|an|kopie|de|para|"
    # round 12: everyday rosters of people (clubs, schools, events, families); not
    # words that also name things (drivers, hosts, readers, players, coaches, crew)
    r"volunteers|helpers|squad|line-?up|cast|winners|runners?-up|finalists|judges|"
    r"visitors|pupils|students|tutors|witnesses|bridesmaids|groomsmen|ushers|"
    r"godparents|pallbearers|mourners|"
    r"от|кому|копия)[ \t]*:[ \t]*(?P<list>[^\n]+)$"
)
# Labels of mail headers and ticket fields, whose lists also hold teams and mailboxes
# ("To: Finance"): one capitalised word there counts only with its address.
_HEADER_LABELS_TEXT = "from to cc bcc reply-to sender recipient recipients von an kopie de para"
_HEADER_LABELS = frozenset(_HEADER_LABELS_TEXT.split()) | {"от", "кому", "копия"}
_ONE_NAME = re.compile(
    rf"[ \t]*[\"']?(?P<name>{_NAME_WORDS})[\"']?[ \t]*(?P<addr><[^<>\n]{{1,120}}>)?"
    rf"[ \t]*(?:\([^()\n]{{1,40}}\))?[ \t]*"
)
# "Roe, Jane <jane@…>" / "Müller, Hans; Roe, Jane": a display name written family first.
_INVERTED_ITEM = re.compile(
    rf"[ \t]*[\"']?(?P<name>{_CAP_WORD}(?:[ \t]{_CAP_WORD})?,[ \t]*{_CAP_WORD})[\"']?"
    rf"[ \t]*(?:<[^<>\n]{{1,120}}>)?[ \t]*"
)


_LIST_ITEM = re.compile(r"(?:(?![ \t](?:and|&)[ \t])[^,;])+")


def list_field_names(text: str) -> Iterator[Span]:
    """People listed after a label: attendees, mail headers ("Cc: Alice Roe <…>,
    Roe, Jane"), assignees and reviewers."""
    for m in _LIST_FIELD.finditer(text):
        header = m.group("label").casefold() in _HEADER_LABELS
        # Items separated by ";" may be "Family, Given" each; else the whole list may be.
        chunks = _chunks(text, m.start("list"), m.end("list"))
        for start, end in chunks:
            inverted = _INVERTED_ITEM.fullmatch(text, start, end)
            if inverted is not None and _names_ok(inverted.group("name")):
                yield Span(PERSON, inverted.start("name"), inverted.end("name"))
                continue
            for item in _LIST_ITEM.finditer(text, start, end):
                span = _list_item(item, header=header)
                if span is not None:
                    yield span


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if ";" not in text[start:end]:
        return [(start, end)]
    out, at = [], start
    for part in text[start:end].split(";"):
        out.append((at, at + len(part)))
        at += len(part) + 1
    return out


def _names_ok(name: str) -> bool:
    """No word of a listed name is a word that says team, role or everyone."""
    return not any(w.casefold().strip(",.") in _NOT_NAMES for w in name.split())


# Teams and mailboxes a header lists by one word ("Cc: Finance", "To: Everyone").
_TEAMS_TEXT = """finance legal security marketing engineering accounting accounts
    procurement payroll management board facilities compliance audit helpdesk reception
    operations product design research qa infra infrastructure platform leadership exec
    executives staff office everyone devops sre data analytics it support sales hr"""
_TEAMS = frozenset(_TEAMS_TEXT.split())


def _given_alone(name: str) -> bool:
    """One capitalised word in a header's list that is a person's given name ("Cc:
    Penny"), not a team's or a mailbox's."""
    low = name.casefold()
    return (
        " " not in name
        and len(name) >= 3
        and not name.isupper()
        and low not in _NOT_NAMES
        and low not in _TEAMS
        and low not in _NOT_SPEAKERS
    )


def _list_item(item: re.Match[str], *, header: bool) -> Span | None:
    found = _ONE_NAME.fullmatch(item.group().removeprefix(" and").removeprefix(" &"))
    if found is None or found.group("name").split()[0].casefold() in _NOT_NAMES:
        return None
    name = found.group("name")
    if header and not (
        found.group("addr") or (len(name.split()) >= 2 and _names_ok(name)) or _given_alone(name)
    ):
        return None
    start = item.start() + item.group().find(name)
    return Span(PERSON, start, start + len(name))


# Scripts with capitals but no English model: Cyrillic and Greek. Capitalised words
# there in the middle of a sentence are proper nouns; two or three in a row, a person.
_CYR_GREEK_CAP = r"[\u0400-\u042f\u0401\u0404\u0406\u0407\u0490\u0386-\u038f\u0391-\u03a9]"
_CYR_GREEK_LOW = r"[\u0430-\u045f\u0491\u03ac-\u03ce'\-]"
_CAP_RUN = re.compile(
    rf"(?<![\w.!?:;\u00bb\u00ab\"])(?<=[ \t(\u00a0])(?P<name>{_CYR_GREEK_CAP}{_CYR_GREEK_LOW}+"
    rf"(?:[ \u00a0]{_CYR_GREEK_CAP}{_CYR_GREEK_LOW}+){{1,2}})(?![\w])"
)


def capitalised_runs(text: str) -> Iterator[Span]:
    if text.isascii():
        return
    for m in _CAP_RUN.finditer(text):
        # Not the first word of a sentence or a line.
        before = text[: m.start()].rstrip(" \t\u00a0(")
        if not before or before[-1] in ".!?:;\n\u2014-" or before.endswith("\n"):
            continue
        yield Span(PERSON, m.start("name"), m.end("name"))


# SQL: the values of name columns in "INSERT INTO people (full_name, …) VALUES (…)".
_INSERT = re.compile(
    r"(?is)\binsert\s+into\s+[\w.\"`\[\]]+\s*\((?P<cols>[^()]{1,800})\)\s*values\s*"
    r"(?P<rows>(?:\((?:'(?:[^']|'')*'|[^()'])*\)\s*,?\s*)+)"
)
_PERSON_TABLES = re.compile(
    r"(?i)(?:customer|user|employee|contact|people|person|member|patient|staff|author|"
    r"client|student|account|applicant|candidate|guest|subscriber|owner)"
)
_NAME_COLUMNS = re.compile(
    r"(?i)^(?:full_?name|first_?name|last_?name|given_?name|family_?name|surname|forename|"
    r"display_?name|contact_?name|customer_?name|employee_?name|person_?name|author_?name|"
    r"owner_?name|middle_?name|maiden_?name|name)$"
)
_ROW = re.compile(r"\((?P<vals>(?:'(?:[^']|'')*'|[^()'])*)\)")
_VALUE = re.compile(r"\s*(?:'(?P<q>(?:[^']|'')*)'|[^,]*)\s*(?:,|$)")


def sql_insert_names(text: str) -> Iterator[Span]:
    if "insert" not in text.casefold():
        return
    for m in _INSERT.finditer(text):
        cols = [c.strip().strip('"`[]') for c in m.group("cols").split(",")]
        table = text[m.start() : m.start("cols")]
        wanted = {
            i
            for i, c in enumerate(cols)
            if _NAME_COLUMNS.match(c) and (c.casefold() != "name" or _PERSON_TABLES.search(table))
        }
        if not wanted:
            continue
        for row in _ROW.finditer(text, m.start("rows"), m.end("rows")):
            at, i = row.start("vals"), 0
            while at < row.end("vals") and i < len(cols):
                v = _VALUE.match(text, at, row.end("vals"))
                if v is None or v.end() == at:
                    break
                if i in wanted and v.group("q") and any(c.isalpha() for c in v.group("q")):
                    yield Span(PERSON, v.start("q"), v.end("q"))
                at, i = v.end(), i + 1


_AFTER_MENTION = re.compile(r"[ \t]*(?P<sep>[,:]?)[ \t]*(?P<word>[^\W\d_]*)")


def _line_start_decorator(text: str, at: int, end: int) -> bool:
    """An ``@name`` at the start of a line is a decorator or an annotation, unless the
    line goes on as a message to that person ("@will can you…", "@Grace: done")."""
    line_start = text.rfind("\n", 0, at) + 1
    if text[line_start:at].strip():
        return False
    after = _AFTER_MENTION.match(text, end)
    word = after.group("word") if after else ""
    if after is None or not (after.group("sep") or word):
        return True  # "@property" alone on its line
    if after.group("sep"):
        return False
    # "@will can you…" speaks to someone; "@Nullable String x" and "@Test void run()"
    # declare something.
    return not word.islower() or word in _DECLARATION_WORDS


# First names that are also everyday English words: their lower-case form is not
# looked for on its own ("will", "mark", "rose" stay words).
_WORD_NAMES_TEXT = """
    will mark rose grace hope june bill faith joy hunter chase dawn frank summer may
    april august jack art rich sandy miles ivy holly amber bob pat sue ray gene
    pearl ruby crystal daisy lily violet iris heather jasmine autumn winter storm
    sky river rob don dean earl guy lane max penny sunny bud buck cliff dale drew
    glen grant gray grey hall hill king lee long love page park read reed rice rock
    rush shaw short stone street white young brown black green wood wells price
    banks bell bishop carpenter cook fisher gardener hunt lord mason miller parks
    porter rivers rose sharp small strong swift walker ward watts webb west wolf
"""
_WORD_NAMES = frozenset(_WORD_NAMES_TEXT.split())
WORD_NAMES = _WORD_NAMES
_INITIAL_OK = re.compile(r"^[^\W\d_]")


# Initials that are far more often an everyday abbreviation than a person.
_NOT_INITIALS_TEXT = """OK ID IT HR PR AM PM US UK EU UN TV PC CC BC AD QA CI CD VP IP OS DB UI
    UX PS NB RE FW TO AI ML NO SO IN ON AT OR IF IS AS BE BY DO GO HE ME MY OF UP WE"""
_NOT_INITIALS = frozenset(_NOT_INITIALS_TEXT.split())


NAME_WORDS = _NAME_WORDS
CAP_WORD = _CAP_WORD
NOT_SPEAKERS = _NOT_SPEAKERS


def _family_forms(words: list[str]) -> set[str]:
    """The family name with its particle or prefix ("de Vries", "Ó Briain") and the
    initials ("FA", "AdV") of a name of two words or more."""
    forms: set[str] = set()
    first = words[0]
    particle = next((i for i, w in enumerate(words[1:-1], 1) if w in _FAMILY_PREFIXES), None)
    if particle is not None:
        family = " ".join(words[particle:])
        forms.update(
            {
                family,
                family.upper(),
                family[0].upper() + family[1:],
                f"{first[0]}. {family}",
                f"{family}, {first}",
                f"{family.upper()}, {first}",
            }
        )
    if 2 <= len(words) <= 4 and first[0].isupper():
        initials = "".join(w[0] if w in PARTICLES else w[0].upper() for w in words)
        if initials.upper() not in _NOT_INITIALS:
            forms.add(initials)
    return forms


def surface_forms(name: str) -> set[str]:
    """Other ways a text writes the name ``name``: each word of it alone, initials
    ("J. Smith", "J Smith", "John S.", "JS"), "Smith, John", upper and lower case, the
    family name with its particles ("de Vries", "DE VRIES")."""
    if name.count(",") == 1:  # "SMITH, John" is John Smith
        last, first = (part.strip() for part in name.split(","))
        name = f"{first} {last.title() if last.isupper() else last}"
    forms: set[str] = set()
    if name.islower():
        # Written in lower case ("chase albright"): each word is that person here,
        # even one that is also an English word.
        forms.update(w for w in name.split() if sum(c.isalpha() for c in w) >= 3)
        forms.add(name)
        name = " ".join(w if w in PARTICLES else w.title() for w in name.split())
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    forms.update({name, name.upper(), name.title()})
    if len(words) >= 2:
        forms.add(name.lower())
    # Capitalised words, or words of a script without capitals (Arabic, Hebrew…).
    long_words = [w for w in words if sum(c.isalpha() for c in w) >= 2 and not w[0].islower()]
    for word in long_words:
        forms.update({word, word.upper(), word.title()})
        forms.update(word_forms(word))
        if len(word) >= 3 and word.casefold() not in _WORD_NAMES:
            forms.add(word.lower())
    if len(words) >= 2 and all(_INITIAL_OK.match(w) for w in words):
        first, last = words[0], words[-1]
        forms.update(
            {
                f"{first[0]}. {last}",
                f"{first[0]}.{last}",
                f"{first[0]} {last}",
                f"{first} {last[0]}.",
                f"{last}, {first}",
                f"{last.upper()}, {first}",
                f"{last}, {first[0]}.",
                f"{last} {first}",
                f"{first} {last}".lower(),
                f"{first}.{last}".lower(),
                f"{first}_{last}".lower(),
            }
        )
        forms.update(_family_forms(words))
    # A Han or Hangul name of two or three characters: its family name (the first
    # character) alone ("spoke to 李", "Regards, 김").
    if (
        len(words) == 1
        and 2 <= len(name) <= 3
        and _UNSPACED_RUN.fullmatch(name)
        and not _KANA_RE.search(name)
    ):
        forms.add(name[0])
    return {f for f in forms if len(f.strip()) >= 2 or _UNSPACED_RUN.fullmatch(f)}


_KANA_RE = re.compile(f"[{_KANA}]")


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_SURNAME_FIRST = guarded(_SURNAME_FIRST)
_SIGN_INLINE = guarded(_SIGN_INLINE)
_FIELD = guarded(_FIELD)
_INSERT = guarded(_INSERT)
