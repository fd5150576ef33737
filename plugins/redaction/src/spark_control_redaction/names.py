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

# Scripts written without capitals, where any run of letters after a cue is the name.
_HAN = "\u4e00-\u9fff\u3400-\u4dbf"
_KANA = "\u3040-\u30ff"
_HANGUL = "\uac00-\ud7af"
_CASELESS = "\u0600-\u06ff\u0590-\u05ff\u0900-\u097f\u0e00-\u0e7f" + _HANGUL
# Words of a name in a script with capitals (Latin, Cyrillic, Greek…): capitalised,
# possibly hyphenated or with an apostrophe ("O'Neil", "Jean-Luc").
_CAP_WORD = r"(?:[^\W\d_a-zа-яёα-ωß])[^\W\d_]*(?:['\u2019\-][^\W\d_]+)?"
_CASELESS_WORD = rf"[{_CASELESS}]+"
_NAME_WORDS = (
    rf"(?:{_CASELESS_WORD}|{_CAP_WORD})(?:[ \u00a0](?:{_CASELESS_WORD}|{_CAP_WORD})){{0,2}}"
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
    r"Caro|Cara|Ciao|Beste|Hej|"
    r"Уважаем(?:ый|ая|ые)|Дорог(?:ой|ая|ие)|Здравствуйте|Привет|Господин|Госпожа|г-н|г-жа|"
    r"Доброе утро|Добрый день|Шановн(?:ий|а)|Вітаю|"
    r"Αγαπητ[έήοό]|Κύριε|Κυρία|Κ\.|Γεια σου|Γεια σας|Καλημέρα|"
    r"عزيزي|عزيزتي|السيد|السيدة|الأستاذ|الأستاذة|الدكتور|الدكتورة|مرحبا|أهلا|"
    r"שלום|לכבוד|"
    r"नमस्ते|श्री|श्रीमती|प्रिय"
)
_GREETING = re.compile(
    rf"(?<![^\W\d_])(?i:{_BEFORE})[,:!]?[ \u00a0]+{_TITLE}(?P<name>{_NAME_WORDS})"
)
# Words that follow a greeting but are no name ("Hi team", "Dear Customer").
_NOT_NAMES_TEXT = """team all everyone everybody customer customers sir madam colleagues
    support there
    again world folks guys both friends partner partners valued hiring again so for
    the a an in on at to my our your this that it we you they i all, admin admins
    user users member members client clients applicant candidate manager managers
    hr it ops dev devs reviewer reviewers owner owners sales billing again, again.
    good morning afternoon evening night tomorrow today soon later back in-advance
    advance much lot lots very everyone, new dr mr mrs ms prof damen herren"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())

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
    rf"submitted by|approved by|owner|maintainer|manager|account manager|"
    rf"first[_ ]?name|last[_ ]?name|surname|display[_ ]?name|holder|cardholder|"
    rf"Имя|ФИО|Контакт|Клиент|Όνομα|Ονοματεπώνυμο|الاسم|שם)[\"']?[ \t]*[:：=][ \t]*[\"']?"
    rf"(?P<name>{_NAME_WORDS})"
)
# A closing line, then the signature: a short line of name words.
_CLOSING = (
    r"(?:Best|Kind|Warm|Warmest|With kind|Many)? ?(?:regards|wishes)|Regards|Best|Cheers|"
    r"Thanks|Thank you|Many thanks|Sincerely|Yours(?: sincerely| truly| faithfully)?|"
    r"Respectfully|BR|KR|Thx|Ta|Love|"
    r"Mit freundlichen Grüßen|Viele Grüße|Beste Grüße|LG|MfG|Cordialement|Bien à vous|"
    r"Saludos|Atentamente|Un saludo|Cordiali saluti|Saluti|Grazie|Met vriendelijke groet|"
    r"Groeten|Med vänlig hälsning|Hälsningar|"
    r"С уважением|Спасибо|С наилучшими пожеланиями|Всего доброго|"
    r"Με εκτίμηση|Ευχαριστώ|Φιλικά|"
    r"مع تحياتي|مع خالص التحيات|شكرا|"
    r"此致|敬礼|谢谢|祝好|よろしくお願いします|よろしくお願いいたします|敬具|감사합니다|"
    r"드림|올림|--|—"
)
# Words of greetings and closings, which the model now and then takes for a name.
CUE_WORDS = re.compile(rf"(?i)(?:{_BEFORE}|{_CLOSING})[,.!:]?")
_SIGNATURE = re.compile(
    rf"(?m)^[ \t]*(?i:{_CLOSING})[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t]*"
    rf"(?P<name>{_NAME_WORDS}|{_HAN_NAME})[ \t]*$"
)
# "Thanks, Alice" / "Regards, Иван" on one line at the end.
_SIGN_INLINE = re.compile(
    rf"(?m)^[ \t]*(?i:{_CLOSING})[ \t]*,[ \t]*(?P<name>{_NAME_WORDS}|{_HAN_NAME})[ \t]*[.!]?$"
)


# "Jane Roe <jane@…>", '"Jane Roe" <jane@…>': the display name of an address.
_DISPLAY_NAME = re.compile(rf"(?P<name>{_NAME_WORDS})\"?[ \t]*<[^<>@\s]+@[^<>\s]+>")
# "SMITH, John": a surname in capitals, a comma, a given name.
_SURNAME_FIRST = re.compile(
    r"(?<![\w,])(?P<name>[A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]{1,})?, [A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)"
    r"(?![\w])"
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
     "types", "angular", "babel", "emotion", "mui", "nestjs", "vue", "svelte"]
)  # fmt: skip
_LOG_WORDS = frozenset(
    ["info", "warn", "warning", "error", "debug", "trace", "fatal", "critical", "notice",
     "bot", "system", "server", "client", "cron", "kernel", "sshd", "systemd"]
)  # fmt: skip


# A chat transcript without clock times: "Alice: …" / "Alice Roe: …" at line starts, or
# after a WhatsApp-style "[12/03/2026, 18:41:07]". A label counts as a speaker when a
# date or time stands before it, or when it opens two lines or more (a conversation).
_SPEAKER_LINE = re.compile(
    rf"(?m)^[ \t]*(?P<stamp>\[[\d/.\-, :APMapm]{{4,30}}\][ \t]*)?(?P<name>{_NAME_WORDS}):[ \t]+\S"
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
    email mobile fax address tel web website office ps p.s pps tl tldr"""
_NOT_SPEAKERS = frozenset(_NOT_SPEAKERS_TEXT.split())


def _speaker_label(name: str) -> bool:
    words = name.split()
    return (
        bool(words)
        and words[0].casefold().rstrip(".") not in _NOT_SPEAKERS
        and name.casefold() not in _LOG_WORDS
        and not name.isupper()
    )


def speaker_spans(text: str) -> Iterator[Span]:
    matches = list(_SPEAKER_LINE.finditer(text))
    if not matches:
        return
    counts: dict[str, int] = {}
    for m in matches:
        counts[m.group("name")] = counts.get(m.group("name"), 0) + 1
    for m in matches:
        name = m.group("name")
        if (m.group("stamp") or counts[name] >= 2) and _speaker_label(name):
            yield Span(PERSON, m.start("name"), m.end("name"))


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
    while words and words[-1].casefold().strip(",.!") in _NOT_NAMES:
        words.pop()
    if not words or words[0].casefold() in _NOT_NAMES:
        return None
    start = m.start("name")
    end = start + len(" ".join(words)) if len(words) < len(name.split()) else m.end("name")
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
    for pattern in (_GREETING, _FIELD, _SIGNATURE, _SIGN_INLINE, _HAN_CUE):
        for m in pattern.finditer(text):
            span = _name_span(m)
            if span is not None:
                yield span
    yield from foreign_runs(text)
    yield from speaker_spans(text)
    for m in _DISPLAY_NAME.finditer(text):
        span = _name_span(m)
        if span is not None:
            yield span
    yield from _marked_names(text)
    yield from _han_names(text)


def _marked_names(text: str) -> Iterator[Span]:
    """Names a line's form marks: surname first, a speaker's label, an @mention."""
    for m in _SURNAME_FIRST.finditer(text):
        yield Span(PERSON, m.start("name"), m.end("name"))
    for m in _SPEAKER.finditer(text):
        if m.group("name").casefold() not in _LOG_WORDS and not m.group("name").isupper():
            yield Span(PERSON, m.start("name"), m.end("name"))
    for m in _MENTION.finditer(text):
        name = m.group("name").rstrip(".-")
        if name.casefold() not in _NOT_HANDLES and not _line_start_decorator(text, m.start()):
            yield Span(PERSON, m.start("name"), m.start("name") + len(name))


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
        if 2 <= len(value) <= 24 and not CUE_WORDS.fullmatch(value):
            yield Span(PERSON, m.start(), m.start() + len(value))


def _line_start_decorator(text: str, at: int) -> bool:
    """An ``@name`` alone at the start of a line is a decorator or an annotation."""
    line_start = text.rfind("\n", 0, at) + 1
    return not text[line_start:at].strip()


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
_INITIAL_OK = re.compile(r"^[^\W\d_]")


def surface_forms(name: str) -> set[str]:
    """Other ways a text writes the name ``name``: each word of it alone, initials
    ("J. Smith", "J Smith", "John S."), "Smith, John", upper and lower case."""
    if name.count(",") == 1:  # "SMITH, John" is John Smith
        last, first = (part.strip() for part in name.split(","))
        name = f"{first} {last.title() if last.isupper() else last}"
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    forms = {name, name.upper(), name.title()}
    if len(words) >= 2:
        forms.add(name.lower())
    # Capitalised words, or words of a script without capitals (Arabic, Hebrew…).
    long_words = [w for w in words if sum(c.isalpha() for c in w) >= 2 and not w[0].islower()]
    for word in long_words:
        forms.update({word, word.upper(), word.title()})
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
    return {f for f in forms if len(f.strip()) >= 2}
