"""Issue 21, round 9: names a new user typed into the scrub — after an imperative verb
opening a short sentence ("Call Alice Example at …", "Tell Alice the server is down"),
a one-word sign-off after a dash, a name whose e-mail address is in the same text,
a possessive after a name — with the verb and the "'s" kept outside the placeholder.
Examples written here (fictional people), none from an evaluation corpus; the
held-back group was written before any fix and not tuned on. With the default model,
as ``POST /api/redaction/scrub`` runs it."""

from __future__ import annotations

import pytest

from spark_control.testing import RunningGateway
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, PERSON
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.ner import NerModel
from spark_control_redaction.scrub import apply, rehydrate
from tests.redaction.provider import Provider

ALL = frozenset(DETECTABLE_TYPES)


def scrub(text: str, model: NerModel) -> tuple[str, list[str]]:
    """The scrubbed text and the people found; the scrub round-trips exactly."""
    mapping = Mapping()
    spans = detect_sync(text, model.find_sync([text])[0], mapping, Lists(), ALL)
    out = apply(text, spans, mapping)
    assert rehydrate(out.text, mapping).text == text
    return out.text, [text[s.start : s.end] for s in spans if s.type == PERSON]


def check(text: str, names: tuple[str, ...], kept: tuple[str, ...], model: NerModel) -> None:
    scrubbed, found = scrub(text, model)
    for name in names:
        for word in name.split():
            assert word not in scrubbed, (text, scrubbed, found)
    for word in kept:
        assert word in scrubbed, (text, scrubbed, found)


# The user's own texts (issue 21).
ISSUE = [
    ("Call Alice Example at alice@example.com tomorrow.", ("Alice Example",), ("Call ",)),
    ("Hi Alice, thanks! - Bob", ("Alice", "Bob"), ("Hi ", "thanks!")),
    ("Meet Alice Example at noon.", ("Alice Example",), ("Meet ", " at noon.")),
    ("Tell Alice the server is down.", ("Alice",), ("Tell ", " the server is down.")),
    ("Call Bob Stone at 10 tomorrow.", ("Bob Stone",), ("Call ",)),
    ("Meet Bob Stone at noon.", ("Bob Stone",), ("Meet ", " at noon.")),
    ("Ping Bob about the rollout.", ("Bob",), ("Ping ", " about the rollout.")),
    ("Alice Example's phone is off.", ("Alice Example",), ("'s phone is off.",)),
]

# Written by hand for the classes, tuned on.
TUNING = [
    ("Ask Mariana Costa for the badge.", ("Mariana Costa",), ("Ask ",)),
    ("Email Kwame Mensah the slides tonight.", ("Kwame Mensah",), ("Email ", " the slides")),
    ("Text Priya when you land.", ("Priya",), ("Text ", " when you land.")),
    ("Invite Sven Lindqvist to the review.", ("Sven Lindqvist",), ("Invite ",)),
    ("Remind Oluwaseun about the invoice.", ("Oluwaseun",), ("Remind ", " about")),
    ("Thank Hiroshi Tanaka for the fix!", ("Hiroshi Tanaka",), ("Thank ", " for the fix!")),
    ("Let Giulia know the build is green.", ("Giulia",), ("Let ", " know the build")),
    ("Have Tomasz check the logs first.", ("Tomasz",), ("Have ", " check the logs")),
    ("Message Fatima Zahra on Monday.", ("Fatima Zahra",), ("Message ",)),
    ("Welcome Ingrid to the team!", ("Ingrid",), ("Welcome ", " to the team!")),
    ("ok. Call Dmitri Volkov at 9 then.", ("Dmitri Volkov",), ("Call ",)),
    ("Thanks for the update.\nPing Aroha if it breaks again.", ("Aroha",), ("Ping ",)),
    ("Looks good, ship it! - Carmen", ("Carmen",), ("ship it!",)),
    ("Will do. — Rahul", ("Rahul",), ("Will do.",)),
    ("Mateus Oliveira's laptop is in the cupboard.", ("Mateus Oliveira",), ("'s laptop",)),
    ("Ask Nguyen Van An's team for access.", ("Nguyen",), ("Ask ", "'s team")),
    ("Write to yusuf.demir@example.org and cc Yusuf Demir's manager.", ("Yusuf Demir",), ()),
]

# A name spelled by a one-word address in the same text (tuned on).
MAIL = [
    ("Alice will send the draft; questions to alice@example.com.", ("Alice",), ("will send",)),
    ("Keys are with Thandiwe (thandiwe@example.org).", ("Thandiwe",), ("Keys are with",)),
    ("Ok, Marisol approved it. Reply to marisol@example.co.uk.", ("Marisol",), ("approved",)),
]

# Lower case, in chat: two people who met (tuned on).
LOWER = [
    ("alice and bob met in Paris.", ("alice", "bob"), (" and ", " met in ")),
    ("ok so priya and tomas met for coffee yesterday.", ("priya", "tomas"), ("ok so ",)),
    ("Alice and bob talked about the budget.", ("Alice", "bob"), (" talked about",)),
    ("yesterday kofi & lena had lunch at the canteen", ("kofi", "lena"), (" had lunch",)),
]

# Written first, before any fix, and not tuned on.
HELD_BACK = [
    ("Tell Siobhan the deploy slipped.", ("Siobhan",), ("Tell ", " the deploy slipped.")),
    ("Call Emeka Obi about the lease.", ("Emeka Obi",), ("Call ", " about the lease.")),
    ("Meet Leilani Kahale in the lobby at 3.", ("Leilani Kahale",), ("Meet ",)),
    ("Ask Björn if the VPN works for him.", ("Björn",), ("Ask ", " if the VPN")),
    ("Invite Chiara Bellini and Ravi Menon to Friday's demo.", ("Chiara", "Ravi"), ("Invite ",)),
    ("Great call today! - Ngozi", ("Ngozi",), ("Great call today!",)),
    ("Reach me at ana.folau@example.net or ask Ana Folau's assistant.", ("Ana Folau",), ()),
    ("Get Dariusz to sign the form.", ("Dariusz",), ("Get ", " to sign the form.")),
    ("Remind Amara Nwosu that rent is due.", ("Amara Nwosu",), ("Remind ", " that rent")),
    ("Thank Xochitl for covering the shift.", ("Xochitl",), ("Thank ", " for covering")),
]


@pytest.mark.parametrize(("text", "names", "kept"), ISSUE + TUNING + MAIL + LOWER)
def test_names_after_an_imperative_a_dash_or_before_a_possessive(
    text: str, names: tuple[str, ...], kept: tuple[str, ...], ner_model: NerModel
) -> None:
    check(text, names, kept, ner_model)


def test_the_held_back_group(ner_model: NerModel) -> None:
    missed = []
    for text, names, kept in HELD_BACK:
        try:
            check(text, names, kept, ner_model)
        except AssertionError as exc:
            missed.append(exc.args)
    # nearly all, not all: this group was not tuned on
    assert len(missed) <= 2, missed


# The same verbs before what is no person stay as they are.
@pytest.mark.parametrize(
    "text",
    [
        "Call Support at 555 if the portal is down.",
        "Ask Finance for the budget sheet.",
        "Let Docker pull the image first.",
        "Have Postgres vacuum the table tonight.",
        "Email Sales the quote.",
        "Meet Monday at noon?",
        "Get Started with the guide below.",
        "Message Queue depth is rising.",
        "Tell The Team the server is down.",
        "tests and docs met the bar.",
        "frontend and backend talked over gRPC.",
        "sales and marketing met on Monday.",
        "you and i met at the conference.",
        "The build failed. - Note",
        "Step 1 - Setup",
        "Write to support@example.com or call Support.",
        "Welcome Home.",
        "Thank God for backups.",
        "Ask Questions about the API in the forum.",
        "Ping Statistics for the gateway:",
        "Welcome Aboard!",
        "Deploy failed for deploy@build.example.net; Deploy retries at noon.",
    ],
)
def test_the_same_verbs_before_things_find_no_person(text: str, ner_model: NerModel) -> None:
    _, found = scrub(text, ner_model)
    assert found == [], (text, found)


async def test_the_proxy_sends_no_name_of_a_request(
    gateway: RunningGateway, provider: Provider
) -> None:
    """The user's two proxy texts: the provider gets placeholders, the caller its words."""
    provider.reply = "Noted: <PERSON_1>, noon."
    messages = [
        {"role": "user", "content": "Meet Alice Example at noon."},
        {"role": "user", "content": "Tell Alice the server is down."},
    ]
    response = await gateway.client.post(
        "/api/redact/v1/chat/completions", json={"model": "gpt-x", "messages": messages}
    )
    assert response.status_code == 200, response.text
    sent = provider.received[-1].body["messages"]
    assert [m["content"] for m in sent] == [
        "Meet <PERSON_1> at noon.",
        "Tell <PERSON_1b> the server is down.",
    ]
    assert response.json()["choices"][0]["message"]["content"] == "Noted: Alice Example, noon."
