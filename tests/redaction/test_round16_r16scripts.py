# ruff: noqa: RUF001  (names and cue words in many scripts on purpose)
"""Issue 21, round 16: people written in scripts other than Latin and in mail of other
languages, found by their own language's context (scripts_people.py). Examples written
here, none from an evaluation corpus or from bench/redaction/negatives/."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import PERSON
from tests.redaction.detecting import found, leaked


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Добрий день, пане Остапе!\nЗамовлення вже в дорозі.", "Остапе"),
        ("Сәлеметсіз бе, Ботагөз!\nҚұжаттар дайын.", "Ботагөз"),
        ("Сайн байна уу, Ганзориг!\nТайлан бэлэн боллоо.", "Ганзориг"),
        ("გამარჯობა, ზურაბ!\nდოკუმენტები მზადაა.", "ზურაბ"),
        ("Հարգելի Գոհար,\nփաստաթղթերը պատրաստ են։", "Գոհար"),
        ("جناب آقای فرهادی،\nفاکتور پیوست است.", "فرهادی"),
        ("প্রিয় অরিন্দম,\nকাগজপত্র তৈরি।", "অরিন্দম"),
        ("அன்புள்ள பரணி,\nஆவணங்கள் தயார்.", "பரணி"),
        ("आदरणीय चतुर्वेदी जी,\nदस्तावेज़ तैयार हैं।", "चतुर्वेदी"),
        ("Gentile dott.ssa Pellegrinetti,\nle invio il referto.", "Pellegrinetti"),
    ],
)
def test_a_name_after_its_languages_greeting_or_title_is_replaced(text: str, name: str) -> None:
    """A greeting or a form of address in the name's own language, then the name, then
    the address's end (punctuation, perhaps after an honorific)."""
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Звіт надіслано.\nЗ повагою,\nЛюбомира Гаврилишин", "Любомира Гаврилишин"),
        ("Το αρχείο επισυνάπτεται.\nΜε φιλικούς χαιρετισμούς,\nΑγλαΐα Μπούρα", "Αγλαΐα Μπούρα"),
        ("ფაილი გამოგზავნილია.\nპატივისცემით,\nთეონა", "თეონა"),
        ("فایل ارسال شد.\nبا سپاس،\nکامران", "کامران"),
        ("रिपोर्ट भेज दी है।\nसादर,\nविभूति", "विभूति"),
        ("ส่งเอกสารแล้ว\nขอแสดงความนับถือ\nอรุณี", "อรุณี"),
        ("Il verbale è pronto. Distinti saluti, Ottavio", "Ottavio"),
    ],
)
def test_a_signature_after_a_closing_of_the_texts_language_is_replaced(
    text: str, name: str
) -> None:
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Прізвище: Дорошенко\nМісто: Житомир", "Дорошенко"),
        ("Овог нэр: Энхболд\nУтас: 9900 0000", "Энхболд"),
        ("ชื่อ-นามสกุล: ประภาพร แก้วมณี\nอายุ: 34", "ประภาพร แก้วมณี"),
        ("お名前：木村 陽介\nご用件：見積もり", "木村 陽介"),
        ("नाम: गोपाल त्रिपाठी\nआयु: 52", "गोपाल त्रिपाठी"),
        ("Nome e cognome: Ilaria Bentivoglio\nEtà: 41", "Ilaria Bentivoglio"),
    ],
)
def test_a_name_field_of_a_form_in_another_language_is_replaced(text: str, name: str) -> None:
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("لطفا با خانم شیرین را تماس بگیرید", "شیرین"),
        ("कल श्री हरिवंश ने फ़ोन किया था।", "हरिवंश"),
        ("Вчера звонил господин Белоусов насчёт счёта.", "Белоусов"),
        ("ফোন করেছিলেন মৃণাল বাবু।", "মৃণাল"),
        ("నిన్న ప్రసాద్ గారు వచ్చారు.", "ప్రసాద్"),
        ("Ertan Bey toplantıya gelecek.", "Ertan"),
        ("明日は 松本 さん が来ます。", "松本"),
        ("พรุ่งนี้คุณวิไลวรรณ จะมาประชุม", "วิไลวรรณ"),
        ("Tomorrow Nakagawa-sensei will review it.", "Nakagawa"),
    ],
)
def test_a_name_beside_a_title_or_an_honorific_is_replaced(text: str, name: str) -> None:
    """A title mid-sentence (خانم, श्री, господин), an honorific after the name (बाबु,
    గారు, Bey, さん after a space), Thai's คุณ glued to the name, a romanised Japanese
    suffix."""
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Вопрос решит Арсений Шаповалов до пятницы.", "Арсений Шаповалов"),
        ("Документы передала Галина Остапчук.", "Галина Остапчук"),
        ("Το έγγραφο το έχει η Ζωή Καλογεροπούλου.", "Ζωή Καλογεροπούλου"),
        ("Փաստաթուղթը մոտ է Նարեկ Հովհաննիսյանին։", "Նարեկ Հովհաննիսյանին"),
        ("დოკუმენტი აქვს დავით ქავთარაძეს.", "დავით ქავთარაძეს"),
        ("営業部の森田です。よろしくお願いします。", "森田"),
        ("안녕하세요, 총무팀 윤채원입니다.", "윤채원"),
    ],
)
def test_a_name_by_its_scripts_family_name_shape_or_a_self_introduction_is_replaced(
    text: str, name: str
) -> None:
    assert leaked(text, name) == []


def test_a_letters_last_line_in_another_script_is_its_signature() -> None:
    text = "Здравейте, колеги,\nсрещата се мести за сряда.\nВеселин"
    assert leaked(text, "Веселин") == []


@pytest.mark.parametrize(
    "text",
    [
        "Уважаемые коллеги!\nОфис закрыт в понедельник.\nС уважением, администрация",
        "அவர் அண்ணா பல்கலைக்கழகத்தில் படிக்கிறார்.",
        "Gentile cliente,\nil suo ordine è stato spedito.\nDistinti saluti,\nil servizio clienti",
        "Здравствуйте!\nВаш заказ отправлен.\nСпасибо",
        "Добрый день!\nСчёт оплачен.\nБухгалтерия",
        "Вчера звонил господин из банка.",
    ],
)
def test_texts_in_other_languages_without_anyone_keep_their_words(text: str) -> None:
    assert [v for t, v in found(text) if t == PERSON] == []


def test_before_an_honorific_only_the_name_is_taken_not_the_sentence() -> None:
    text = "ফোন করেছিলেন মৃণাল বাবু।"
    assert [v for t, v in found(text) if t == PERSON] == ["মৃণাল"]


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("담당자: 정하윤\n내일 하윤에게 물어보세요.", "하윤에게"),
        ("联系人：周子涵\n子涵的电话明天给你。", "子涵的电话"),
    ],
)
def test_the_given_name_of_a_korean_or_chinese_name_found_is_replaced_alone(
    text: str, given: str
) -> None:
    """A three-syllable name found once brings its two-syllable given name."""
    assert given[:2] in [v for t, v in found(text) if t == PERSON]


def test_a_given_name_inside_a_longer_chinese_word_stays() -> None:
    text = "联系人：周子涵\n请看子涵盖的范围。"
    assert "子涵盖" in text
    assert [v for t, v in found(text) if t == PERSON] == ["周子涵"]


@pytest.mark.parametrize(
    "text",
    [
        "प्रिय ग्राहक,\nआपका ऑर्डर भेज दिया गया है।",
        "Уважаемый клиент!\nВаш заказ отправлен.",
        "عزيزي العميل،\nتم استلام طلبك.",
        "ძვირფასო მომხმარებლებო,\nსერვისი ხვალ არ იმუშავებს.",
        "پیارے صارف،\nآپ کا آرڈر بھیج دیا گیا ہے۔",
    ],
)
def test_a_notice_greeting_its_customers_names_no_one(text: str) -> None:
    # Customers, users and members after a greeting of another script are no name,
    # whichever reader sees the greeting.
    assert [value for kind, value in found(text) if kind == PERSON] == []
