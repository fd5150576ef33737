# ruff: noqa: RUF001  (cue words in many scripts on purpose)
"""People written in scripts other than Latin, and in mail of languages other than
English, found by what their own language writes around them (round 16).

The English model sees none of these names. What a letter, a form or a chat says around
a name is the same in every language: a greeting or a title before it, an honorific
after it, a closing line before a signature, a form's name field; and some scripts
write family names with endings that say so (``-ов``, ``-енко``, ``-յան``, ``-ძე``,
``-όπουλος``). The word lists are written by hand from the languages' ordinary usage;
``names.py`` holds the older cues, which this module does not repeat on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from spark_control_redaction.entities import PERSON, Span
from spark_control_redaction.names import CUE_WORDS, NOT_NAMES

# A letter of any script, with the vowel signs and marks of Indic, Thai, Hebrew and
# Arabic writing (which ``\w`` leaves out), and the zero-width non-joiner of Persian.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0963\u0971-\u097f\u0981-\u0dff\u0e31-\u0e4e\u200c"
)
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}])"
_WORD = rf"{_LETTER}+(?:-{_LETTER}+)?"
# Up to three words of a name; which of them stay is decided in ``_name_words``.
_NAME = rf"(?P<name>{_WORD}(?:[ \u00a0]{_WORD}){{0,2}})"
_CASED = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u0531-\u0587]")
_HAN_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# Greetings, forms of address and titles before a name (not those of names.py).
_BEFORE = (
    # Russian, Ukrainian, Bulgarian, Serbian, Kazakh, Kyrgyz, Mongolian
    r"Здравствуй(?:те)?|Добрый (?:день|вечер)|Глубокоуважаем(?:ый|ая)|господин|госпожа|"
    r"Добрий день|Доброго дня|Привіт|Шановн(?:ий|а|і)|пане|пані|Дорог(?:ий|а)|"
    r"Здравей(?:те)?|Уважаем(?:и|а)|Скъп(?:и|а)|Драг(?:и|а)|Поштован(?:и|а)|Здраво|"
    r"Сәлем(?:етсіз бе)?|Құрметті|Қымбатты|Урматтуу|Хурматли|"
    r"Сайн байна уу|Сайн уу|Эрхэм хүндэт|Хүндэт|"
    # Greek, Georgian, Armenian
    r"Καλησπέρα|Αξιότιμ(?:ε|η)|Αγαπητ(?:ή|έ|οί)|κύριε|κυρία|"
    r"გამარჯობა|ბატონო|ქალბატონო|ბატონი|ქალბატონი|ძვირფასო|პატივცემულო|სალამი|"
    r"Բարև|Բարեւ|Հարգելի|Սիրելի|պարոն|տիկին|Պարոն|Տիկին|"
    # Arabic, Persian, Urdu, Hebrew
    r"حضرة|المهندس(?:ة)?|الحاج|يا|سلام|درود|آقای|خانم|جناب(?: آقای)?|سرکار خانم|دکتر|مهندس|"
    r"محترم(?:ہ)?|السلام علیکم|پیارے|پیاری|מר|גברת|ד\"ר|"
    # Indic scripts, Thai, Sinhala, Amharic
    r"नमस्कार|आदरणीय|श्रीमान|सुश्री|माननीय|डॉ\.|प्रिये|"
    r"প্রিয়|শ্রদ্ধেয়|নমস্কার|জনাব|শ্রীমতী|শ্রী|"
    r"அன்புள்ள|வணக்கம்|திருமதி|திரு\.?|மதிப்பிற்குரிய|"
    r"ప్రియమైన|నమస్కారం|శ్రీమతి|శ్రీ|ಪ್ರಿಯ|ನಮಸ್ಕಾರ|ಶ್ರೀ|പ്രിയ|നമസ്കാരം|ശ്രീ|"
    r"પ્રિય|નમસ્તે|શ્રી|ਪਿਆਰੇ|ਸ੍ਰੀ|ආයුබෝවන්|හිතවත්|ගරු|"
    r"เรียน|สวัสดี(?:ครับ|ค่ะ)?|ถึง|ሰላም|ውድ|አቶ|ወ/ሮ|ዶ/ር|"
    # Italian, Portuguese, Spanish, German titles (the greetings are in names.py)
    r"Egregi[oa]|Gentilissim[oa]|Spettabile|dott\.(?:ssa)?|dr\.ssa|ing\.|avv\.|"
    r"sig\.(?:ra)?|prof\.(?:ssa)?|Herrn|Sr\.|Sra\.|Caríssim[oa]"
)
# A cue, perhaps two ("Уважаемый господин", "Gentile dott.ssa"), then the name, then
# perhaps an honorific, then the end of the address: punctuation or the line's end.
_HONORIFIC = (
    r"जी|साहब|साहिबा|भैया|दीदी|मैडम|সাহেব|বাবু|আপা|"
    r"அவர்கள்|அவர்களின்|அவர்களுக்கு|அவர்களிடம்|"
    r"గారు|గారి|గారికి|صاحب|صاحبہ|بیگم|بھائی|باجی|جان|المحترم|المحترمة|"
    r"ханым|мырза|ахаа|эгчээ|эгчийн|эгч|гуай|Bey|Hanım|"
    r"様|さん|さま|殿|先生|小姐|女士|敬上|謹上|드림|올림"
)
_HONORIFIC_WORDS = frozenset(_HONORIFIC.replace("\\", "").split("|"))
_BEFORE_RE = re.compile(
    rf"(?<!{_LETTER})(?:{_BEFORE})(?:[,،]?[ \u00a0]+(?:{_BEFORE}))?[,،:!]?[ \u00a0]*"
    rf"{_NAME}(?:[ \u00a0]+(?:{_HONORIFIC}))?[ \u00a0]*(?=[,،!:;.?\n]|$)"
)
# Titles mid-sentence ("شماره خانم نگار رضایی را", "श्री रमेश ने"): the name is one
# word, or two when a small word of the language follows them.
_TITLE = (
    r"آقای|خانم|جناب|دکتر|مهندس|السيد|السيدة|الأستاذ|الأستاذة|الدكتور|الدكتورة|الأخ|الأخت|"
    r"श्री|श्रीमती|सुश्री|डॉ\.|শ্রী|শ্রীমতী|জনাব|திரு\.?|திருமதி|శ్రీ|శ్రీమతి|"
    r"господин|госпожа|господина|госпожи|господину|госпоже|пана|пані|пану|κύριος|κυρία|κύριο|κυρίας|"
    r"Հարգելի|պարոն|տիկին|ბატონი|ქალბატონი|ბატონ|ქალბატონ|מר|גברת"
)
_SMALL_WORDS_TEXT = """
    را که از به و با در برای کا کی کے نے کو سے میں اور को का की के ने से में और है
    এর কে থেকে ও এবং র সঙ্গে மற்றும் في من إلى على عن مع ان أن
    и в на с из к по о от для что та у з до не ти και να στο στη από με το
"""
_SMALL_WORDS = frozenset(_SMALL_WORDS_TEXT.split())
_TITLE_RE = re.compile(
    rf"(?<!{_LETTER})(?:{_TITLE})[ \u00a0]+(?P<first>{_WORD})(?:[ \u00a0]+(?P<second>{_WORD}))?"
    rf"(?:[ \u00a0]+(?P<third>{_WORD}))?"
)
# Thai writes คุณ (and พี่, น้อง) glued to the name: the name runs to the next space.
_THAI_TITLE = re.compile(r"(?:คุณ|พี่|น้อง)(?P<name>[\u0e01-\u0e2e][\u0e01-\u0e4e]{1,20})")

# Honorifics after a name, and the name before them (one word, or two from the
# start of a line or after punctuation).
_AFTER_RE = re.compile(
    rf"(?:^|(?<=[\n,،:;!?.(\"']))[ \u00a0]*(?P<name>{_WORD}(?:[ \u00a0]{_WORD})?)"
    rf"[ \u00a0]+(?:{_HONORIFIC})(?!{_LETTER})"
    rf"|(?<![{_MARKS}\w-])(?P<one>{_WORD})[ \u00a0]+(?:{_HONORIFIC})(?!{_LETTER})",
    re.M,
)
# Romanised Japanese honorifics glued with a hyphen ("Kuroda-sama", "Ayaka-chan").
_JA_SUFFIX = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][a-z]{1,15}(?:[ \u00a0][A-Z][a-z]{1,15})?)"
    r"-(?:san|sama|kun|chan|sensei|senpai|dono|shi)\b"
)

# Closing lines in more languages; the signature follows on the same line after a
# comma, or on the next line.
_CLOSING = (
    r"С уважением|Благодарю|Всего хорошего|З повагою|Дякую|Щиро|З найкращими побажаннями|"
    r"С уважение|Поздрави|Срдачно|Хвала|Құрметпен|Рахмет|Хүндэтгэсэн|Баярлалаа|"
    r"Με εκτίμηση|Με φιλικούς χαιρετισμούς|Χαιρετώ|Ευχαριστώ πολύ|"
    r"პატივისცემით|მადლობა|Հարգանքով|Շնորհակալություն|"
    r"مع التحية|با احترام|با سپاس|ارادتمند|ممنون|شکریہ|والسلام|آپ کا مخلص|خیر اندیش|"
    r"धन्यवाद|सादर|भवदीय|शुभकामनाओं सहित|ধন্যবাদ|শুভেচ্ছা|শুভেচ্ছান্তে|বিনীত|"
    r"நன்றி|அன்புடன்|இப்படிக்கு|ధన్యవాదాలు|ఇట్లు|ಧನ್ಯವಾದಗಳು|നന്ദി|"
    r"ขอแสดงความนับถือ|ด้วยความเคารพ|ขอบคุณ(?:ครับ|ค่ะ)?|"
    r"ከሰላምታ ጋር|አመሰግናለሁ|"
    r"Distinti saluti|Un abbraccio|Un caro saluto|A presto|Saluti cordiali|Abraços|"
    r"Yoroshiku(?: onegai(?:shimasu| itashimasu))?|Arigatou(?: gozaimasu)?|"
    r"Hormat saya|Terima kasih|Salam|Trân trọng|Saygılarımla"
)
_SIGN_NEXT = re.compile(
    rf"(?m)^[ \t]*(?:{_CLOSING})[ \t]*[,،.!:՝]?[ \t]*\n(?:[ \t]*\n)?[ \t]*{_NAME}[ \t]*"
    r"(?:[,،|][^\n]*)?$"
)
_SIGN_SAME = re.compile(
    rf"(?m)(?:^|(?<=[.!?।۔。]))[ \t]*(?:{_CLOSING})[ \t]*[,،՝][ \t]*{_NAME}[ \t]*[.!]?[ \t]*$"
)

# Name fields of forms in more languages; the value runs to the end of the line.
_FIELDS = (
    r"Фамилия|Имя|Отчество|Ф\.И\.О\.|Контактное лицо|Заявитель|Получатель|Отправитель|"
    r"Прізвище|Ім'я|Ім’я|ПІБ|Аты-жөні|Аты|Тегі|Овог нэр|Овог|Нэр|Επώνυμο|"
    r"სახელი და გვარი|სახელი|გვარი|Անուն ազգանուն|Անուն|Ազգանուն|"
    r"الاسم الكامل|الاسم|اسم|المرسل|المستلم|نام و نام خانوادگی|نام خانوادگی|نام کامل|نام|"
    r"گیرنده|فرستنده|پورا نام|שם מלא|שם משפחה|נמען|"
    r"पूरा नाम|नाम|प्राप्तकर्ता|পুরো নাম|নাম|প্রাপক|முழு பெயர்|பெயர்|పేరు|ಹೆಸರು|പേര്|"
    r"ชื่อ-นามสกุล|ชื่อผู้รับ|ชื่อ|ผู้รับ|ስም|"
    r"お名前|フリガナ|ふりがな|担当者|担当|宛名|名字|聯絡人|联系人|收件人|收貨人|收货人|"
    r"받는 분|수령인|성명|"
    r"Nome e cognome|Nominativo|Destinatario|Mittente|Intestatario|Ad Soyad|Adı Soyadı|"
    r"Alıcı|Họ và tên|Họ tên|Người nhận|Nama lengkap|Nama|Penerima"
)
_FIELD_RE = re.compile(
    rf"(?m)^[ \t]*(?:{_FIELDS})[ \t]*[:：=][ \t]*(?P<name>{_WORD}(?:[ \u00a0\u3000]{_WORD}){{0,3}})"
    r"[ \t]*$"
)

# Family names by their endings, next to another capitalised word of the same script:
# Slavic, Kazakh and Caucasian surnames in Cyrillic, Greek surnames, Armenian and
# Georgian ones. (Adjectival endings, "-ский", are left out: "Российская Федерация".)
_CYR_SURNAME = (
    r"[А-ЯЁІЇЄҐҚҒҮҰӘӨҺ][а-яёіїєґқғүұәөһ']+"
    r"(?:ов|ев|ёв|ин|ын|енко|чук|щук|юк|ян|янц|дзе|швили|ович|евич|овна|евна|ична|ұлы|қызы)"
    r"(?:а|ой|у|ым|ых|е|ы|ым|ой)?"
)
_CYR_WORD = r"[А-ЯЁІЇЄҐҚҒҮҰӘӨҺ][а-яёіїєґқғүұәөһ'’]+(?:-[А-ЯЁІЇЄҐҚҒҮҰӘӨҺ][а-яёіїєґқғүұәөһ]+)?"
_GREEK_SURNAME = (
    r"[Α-ΩΆ-Ώ][α-ωά-ώϊϋΐΰ]+(?:όπουλος|οπούλου|όπουλου|ίδης|ίδη|ίδου|άδης|άδη|άκης|άκη|άκου|"
    r"ούλης|ούλη|ογλου|άτος|άτου)"
)
_GREEK_WORD = r"[Α-ΩΆ-Ώ][α-ωά-ώϊϋΐΰς]+"
_ARM_SURNAME = r"[\u0531-\u0556][\u0561-\u0587]+(?:յան|յանց|ունի|ունց)(?:ի|ը|ին|ն)?"
_ARM_WORD = r"[\u0531-\u0556][\u0561-\u0587]+"
_GEO_SURNAME = r"[\u10d0-\u10fa]+(?:ძე|შვილი|შვილს|შვილმა|ძეს|ძემ)"
_GEO_WORD = r"[\u10d0-\u10fa]{2,}"
_SHAPED = re.compile(
    rf"(?<![^\W\d_])(?:"
    rf"(?P<cyr>(?:{_CYR_WORD}|[А-ЯЁІЇЄ]\.)[ \u00a0]?{_CYR_SURNAME}(?:[ \u00a0]{_CYR_WORD})?|"
    rf"{_CYR_SURNAME}[ \u00a0]{_CYR_WORD}(?:[ \u00a0]{_CYR_WORD})?)|"
    rf"(?P<el>{_GREEK_WORD}[ \u00a0]{_GREEK_SURNAME}|{_GREEK_SURNAME}[ \u00a0]{_GREEK_WORD})|"
    rf"(?P<hy>{_ARM_WORD}[ \u00a0]{_ARM_SURNAME})|"
    rf"(?P<ka>{_GEO_WORD}[ \u00a0]{_GEO_SURNAME})"
    rf")(?![^\W\d_])"
)
# The commonest Korean family names: a three-syllable name that introduces itself.
_KO_SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허남심노하곽성차주우구민유진"
    "나지엄채원천방공현함여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉"
)
# Japanese and Chinese self-introductions ("…の高橋です", "我是王伟").
_SELF = re.compile(
    r"(?:の|、|。|^|\n)(?P<name>[\u4e00-\u9fff]{1,4}(?:[ \u3000][\u4e00-\u9fff]{1,3})?)"
    r"(?:です|と申します|でございます)"
    r"|(?:我是|我叫)(?P<zh>[\u4e00-\u9fff]{2,3})(?=[，。,.!！\s]|$)"
    rf"|(?<![\uac00-\ud7af])(?P<ko>[{_KO_SURNAMES}][\uac00-\ud7af]{{2}})(?:입니다|이라고 합니다)"
)


def script_people(text: str) -> Iterator[Span]:
    """Names found by their own language's context or their script's shape."""
    yield from _by_cue(text)
    if not text.isascii():
        yield from _by_shape(text)


def _by_cue(text: str) -> Iterator[Span]:
    for m in _JA_SUFFIX.finditer(text):
        yield Span(PERSON, m.start("name"), m.end("name"))
    for pattern in (_BEFORE_RE, _SIGN_NEXT, _SIGN_SAME, _FIELD_RE):
        for m in pattern.finditer(text):
            yield from _name_words(text, m.start("name"), m.end("name"))
    if text.isascii():
        return
    for m in _TITLE_RE.finditer(text):
        end = m.end("first")
        if m.group("second") and (m.group("third") or "") in _SMALL_WORDS:
            end = m.end("second")
        yield from _name_words(text, m.start("first"), end)
    for m in _THAI_TITLE.finditer(text):
        # With its title: the model often reads "คุณสมชาย" as one name, and a title
        # left over from its span would be replaced on its own.
        yield Span(PERSON, m.start(), m.end("name"))
    for m in _AFTER_RE.finditer(text):
        group = "name" if m.group("name") else "one"
        value = m.group(group)
        if not _HAN_KANA_HANGUL.search(value) or all(len(w) <= 4 for w in value.split()):
            yield from _name_words(text, m.start(group), m.end(group))


def _by_shape(text: str) -> Iterator[Span]:
    for m in _SHAPED.finditer(text):
        yield Span(PERSON, m.start(), m.end())
    for m in _SELF.finditer(text):
        group = next(g for g in ("name", "zh", "ko") if m.group(g))
        yield Span(PERSON, m.start(group), m.end(group))
    yield from _letter_signature(text)


def _name_words(text: str, start: int, end: int) -> Iterator[Span]:
    """The words of a name between ``start`` and ``end`` that can be a name's: honorifics
    and cue words dropped from both ends, words of a cased script capitalised."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words and _not_name(text[words[-1][0] : words[-1][1]]):
        words.pop()
    while words and _not_name(text[words[0][0] : words[0][1]]):
        words.pop(0)
    if not words or any(_not_name(text[a:b]) for a, b in words):
        return
    yield Span(PERSON, words[0][0], words[-1][1])


def _not_name(word: str) -> bool:
    if word in _HONORIFIC_WORDS or word.casefold() in NOT_NAMES or CUE_WORDS.fullmatch(word):
        return True
    if word.rstrip(",،:!").casefold() in NOT_NAMES:
        return True
    if _CUE_WORD.fullmatch(word.rstrip(",،:!")):
        return True
    # A word of a script with capitals, written in small letters: no name.
    return bool(_CASED.match(word)) and not word[0].isupper()


_CUE_WORD = re.compile(rf"(?:{_BEFORE}|{_TITLE}|{_CLOSING})")


# Who signs a notice without being anyone: a department, a team, an office.
_NOT_SIGNERS_TEXT = """
    администрация бухгалтерия поддержка редакция дирекция руководство служба команда отдел
    офис канцелярия деканат ректорат правление адміністрація бухгалтерія підтримка
    керівництво дирекція команда адміністрация διοίκηση γραμματεία υποστήριξη ομάδα
    διεύθυνση λογιστήριο الإدارة الادارة الدعم المبيعات المحاسبة مدیریت پشتیبانی حسابداری
    انتظامیہ प्रबंधन प्रशासन टीम সহায়তা ব্যবস্থাপনা நிர்வாகம் ฝ่ายบริการลูกค้า
    ადმინისტრაცია ბუღალტერია ադմինիստրացիա
"""
_NOT_SIGNERS = frozenset(_NOT_SIGNERS_TEXT.split())


# A letter's last line: one or two words alone, in a text that opens with a greeting.
_OPENING = re.compile(rf"\s*(?:{_BEFORE})(?!{_LETTER})")
_LAST_LINE = re.compile(rf"\n[ \t]*(?P<name>{_WORD}(?:[ \u00a0]{_WORD})?)[ \t]*[.!]?\s*$")


def _letter_signature(text: str) -> Iterator[Span]:
    cue = CUE_WORDS.match(text.lstrip())
    opens = cue is not None and not text.lstrip()[cue.end() : cue.end() + 1].isalnum()
    if not (opens or _OPENING.match(text)):
        return
    m = _LAST_LINE.search(text)
    if m is None or (_CASED.match(m.group("name")) and m.group("name").isascii()):
        return
    name = m.group("name")
    if _HAN_KANA_HANGUL.search(name) and len(name) > 4:
        return
    if re.match(rf"(?:{_CLOSING})$", name) or CUE_WORDS.fullmatch(name):
        return
    if any(w.casefold() in _NOT_SIGNERS for w in name.split()):
        return
    yield from _name_words(text, m.start("name"), m.end("name"))


# A Korean or Chinese name of three syllables is a one-syllable family name and a
# two-syllable given name; friends and teachers write the given name alone ("서연
# 어머님", "민지야", "小美的快递"). Korean glues its particles to the name.
_THREE = re.compile(r"[\uac00-\ud7af]{3}|[\u4e00-\u9fff]{3}")
_KO_AFTER = "야|아|씨|님|이|가|는|은|를|을|의|에게|한테|랑|도"
# Chinese has no spaces: the given name stands alone, or after a verb of asking or
# telling, or before a possessive or a verb of saying.
_ZH_BEFORE = "和跟给給问問叫找请請让讓对對是"
_ZH_AFTER = "的说說话話在也和跟要会會"


def given_names(text: str, found: Sequence[Span]) -> Iterator[Span]:
    """The given name alone of a three-syllable Korean or Chinese name found here."""
    givens = set()
    for span in found:
        value = text[span.start : span.end]
        if span.type == PERSON and _THREE.fullmatch(value):
            if "\uac00" <= value[0] <= "\ud7af" and value[0] not in _KO_SURNAMES:
                continue
            givens.add(value[1:])
    for given in givens:
        if "\uac00" <= given[0] <= "\ud7af":
            pattern = rf"(?<![\uac00-\ud7af]){given}(?=(?:{_KO_AFTER})?(?![\uac00-\ud7af]))"
        else:
            pattern = (
                rf"(?:(?<![\u4e00-\u9fff])|(?<=[{_ZH_BEFORE}])){given}"
                rf"(?![\u4e00-\u9fff])|(?<![\u4e00-\u9fff]){given}(?=[{_ZH_AFTER}])"
            )
        for m in re.finditer(pattern, text):
            yield Span(PERSON, m.start(), m.end())
