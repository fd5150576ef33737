"""Issue 21, round 12: people's names in everyday texts (results, rotas, notices, mail).
Each class with the model's guesses given as it made them on such texts, and a near
miss that stays as it was. Examples written here, none from an evaluation corpus or
from bench/redaction/negatives/."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists
from spark_control_redaction.entities import LOCATION, ORG, PERSON
from tests.redaction.detecting import found, leaked


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Comment: the app logs me out daily. - Wilhelmina Ashcombe, w.ashcombe@example.org",
            "Wilhelmina Ashcombe",
        ),
        ("Booked by Tobiah Quennell (t.quennell@example.net) for two nights.", "Tobiah Quennell"),
        ("Reply to j-okafor@example.com. Thanks, Jideofor Okafor", "Jideofor Okafor"),
    ],
)
def test_a_name_beside_its_initial_and_family_name_address_is_replaced(
    text: str, name: str
) -> None:
    """An address of an initial and a family name ("w.ashcombe@") names its person as
    one made of two names does ("wilhelmina.ashcombe@")."""
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    ("text", "guess", "alone"),
    [
        (
            "A backpack handed in belongs to Henrietta Vollmer, who lives nearby. "
            "Henrietta can collect it on Friday.",
            (ORG, "Henrietta Vollmer"),
            "Henrietta",
        ),
        (
            "We made an offer to Priyanka Raghunathan; she accepted. Priyanka will start in March.",
            (LOCATION, "Priyanka Raghunathan"),
            "Priyanka",
        ),
        (
            "Patient Marguerite Dufresne was seen for a burn on her hand. Marguerite lives alone.",
            (ORG, "Marguerite Dufresne"),
            "Marguerite",
        ),
        (
            "Invoice sent to Ortwin Haskell last week; Haskell's reply says he paid.",
            (ORG, "Ortwin Haskell"),
            "Haskell",
        ),
    ],
)
def test_a_person_the_model_calls_a_place_or_company_is_one_when_named_again_alone(
    text: str, guess: tuple[str, str], alone: str
) -> None:
    """The model mistyped a person when a word of the name stands again by itself and
    acts as a name does (a verb or a possessive after it) in a text that calls someone
    "she", "his" or "who": that word is replaced too."""
    got = found(text, guess)
    assert (PERSON, guess[1]) in got
    assert (PERSON, alone) in got


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # a word of geography or of companies: a place or an organisation after all
        (
            "Trains leave from Central Station. Central is busy at eight.",
            (LOCATION, "Central Station"),
        ),
        # the first word alone is an ordinary word of this text
        (
            "Order at Golden Spoon today. Golden light fills the room; golden hour is at six.",
            (ORG, "Golden Spoon"),
        ),
        # never by itself again
        ("Our stand at Harbour Lights sold out by noon.", (ORG, "Harbour Lights")),
    ],
)
def test_a_place_or_company_named_once_keeps_its_type(text: str, guess: tuple[str, str]) -> None:
    # round 16's default leaves a place of a text that shows no one: off, to see its type
    got = found(text, guess, lists=Lists(places_without_a_sign_stay=False))
    assert guess in got
    assert all(t != PERSON for t, _ in got)


@pytest.mark.parametrize(
    ("text", "guesses", "names"),
    [
        (
            "1. Hoang Van Minh 2. Pham Thu Ha 3. Le Quoc Bao",
            [(PERSON, "Hoang Van Minh"), (PERSON, "Pham Thu Ha 3")],
            ["Hoang Van Minh", "Pham Thu Ha"],
        ),
        (
            "Chidi Obi 4-1 Lars Berg",
            [(ORG, "Chidi Obi 4-1 Lars Berg")],
            ["Chidi Obi", "Lars Berg"],
        ),
    ],
)
def test_a_line_of_people_is_no_heading(
    text: str, guesses: list[tuple[str, str]], names: list[str]
) -> None:
    """A line of capitalised words is a heading (round 11) unless it is a ranking or a
    result: names numbered in the line, or the sides of a score."""
    got = " ".join(v for _, v in found(text, *guesses))
    for name in names:
        assert name in got


@pytest.mark.parametrize(
    ("text", "guess", "pieces"),
    [
        (
            "Scorers: Mbappé, Kowalski and Andersson 88' (pen).",
            (ORG, "Andersson 88'"),
            ["Andersson"],
        ),
        (
            "Winners: 1st Abimbola Fashola, well done!",
            (ORG, "1st Abimbola Fashola"),
            ["Abimbola Fashola"],
        ),
        (
            "Final: Chidi Obi 4-1 Lars Berg.",
            (ORG, "Chidi Obi 4-1 Lars Berg"),
            ["Chidi Obi", "Lars Berg"],
        ),
        # no result's number: the guess stays whole
        ("Check in at Terminal 2 before noon.", (LOCATION, "Terminal 2"), ["Terminal 2"]),
    ],
)
def test_the_numbers_of_a_result_are_cut_from_a_name(
    text: str, guess: tuple[str, str], pieces: list[str]
) -> None:
    lists = Lists(places_without_a_sign_stay=False)  # round 16's default off: see the cut
    assert [v for _, v in found(text, guess, lists=lists)] == pieces


@pytest.mark.parametrize(
    ("text", "guesses"),
    [
        ("## Design Critique\n\nBring two mock-ups.", [(ORG, "Design Critique")]),
        # a menu's line of dishes and a product's brands parted by commas
        (
            "Mains\nBeef Wellington, Wild Mushroom Risotto, Crème Brûlée",
            [
                (PERSON, "Beef Wellington"),
                (PERSON, "Wild Mushroom Risotto"),
                (PERSON, "Crème Brûlée"),
            ],
        ),
        ("Works with: Alexa, Google Home", [(ORG, "Alexa"), (ORG, "Google Home")]),
    ],
)
def test_headings_and_lines_of_items_still_stay_in_a_text_about_no_one(
    text: str, guesses: list[tuple[str, str]]
) -> None:
    assert found(text, *guesses) == []


def test_a_brand_named_again_alone_in_a_text_about_no_one_stays_a_brand() -> None:
    """No one is "she" or "who" here: "Google" acting alone is the company."""
    text = "Pixel Tablet with Google Home built in. Google supports it for five years."
    got = found(text, (ORG, "Google Home"))
    assert all(t != PERSON for t, _ in got)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The garden was planted by my daughter Ines last spring.", ["Ines"]),
        ("We stayed with my cousin Oluwadamilare in the summer.", ["Oluwadamilare"]),
        ("My colleague Thandiwe covered the desk.", ["Thandiwe"]),
        ("My neighbour Grzegorz Bąk lent us a ladder.", ["Grzegorz Bąk"]),
        ("The twins, Saoirse and Cillian, start nursery on Monday.", ["Saoirse", "Cillian"]),
        ("The kids (Aled, Nerys and Twm) are off sick.", ["Aled", "Nerys", "Twm"]),
        ("Matteo, son of Lorenzo, was baptised on Sunday.", ["Matteo", "Lorenzo"]),
        ("In loving memory of Edna, widow of the late Cyril.", ["Edna", "Cyril"]),
    ],
)
def test_a_name_after_a_word_of_relation_is_replaced(text: str, names: list[str]) -> None:
    """Family, friends and neighbours named by who they are to someone."""
    for name in names:
        assert leaked(text, name) == [], name


@pytest.mark.parametrize(
    "text",
    [
        # a word the text also writes in lower case, a day, a role: no name
        "My son Loves football; he loves it more than anything.",
        "Our kids Monday to Friday eat at school.",
        "Their children Support the team.",
        # the relation word without an owner: a heading or a product
        "Friend Requests are off. Mother Nature decides.",
        # a business partner is no relation
        "Our partner Stripe handles payments.",
    ],
)
def test_words_after_a_relation_that_name_no_one_stay(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Volunteers: Marta, Kofi, Ingrid and Tomasz", ["Marta", "Kofi", "Ingrid", "Tomasz"]),
        ("Squad: Okonkwo, Fernández, Lindgren", ["Okonkwo", "Fernández", "Lindgren"]),
        ("Bridesmaids: Orla Keane and Siân Probert", ["Orla Keane", "Siân Probert"]),
    ],
)
def test_people_listed_after_an_everyday_roster_label_are_replaced(
    text: str, names: list[str]
) -> None:
    for name in names:
        assert leaked(text, name) == [], name


@pytest.mark.parametrize(
    "text",
    ["Drivers: nvidia 550, amdgpu", "Readers: Kindle, Kobo", "Players: 4 per team, 2 teams"],
)
def test_labels_that_also_name_things_list_no_people(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Lovely dinner with Ottilie last night.", "Ottilie"),
        ("Congratulations to Bogdan on the new job!", "Bogdan"),
        ("Nominated by Wairimu for her patience with new starters.", "Wairimu"),
        ("The quilt was donated by Marisa Quental in 2019.", "Marisa Quental"),
        ("Cake baked by Henrike, decorations by the kids.", "Henrike"),
    ],
)
def test_a_name_after_what_friends_clubs_and_cards_say_is_replaced(text: str, name: str) -> None:
    assert leaked(text, name) == []


@pytest.mark.parametrize(
    "text",
    ["Dinner with friends is the best part of the week.", "Well done to everyone who ran."],
)
def test_those_words_before_no_name_replace_nothing(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hiroshi works from our Osaka office; his extension is x4412.", "x4412"),
        ("My extension: x.2290", "2290"),
    ],
)
def test_an_extension_written_with_its_x_after_the_word_is_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


def test_a_platform_after_ext_is_no_extension() -> None:
    assert found("Build the ext x86 and x64 variants.") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Treasurer - Ingrid Paulsen; Secretary - Marek Dvořák.",
            ["Ingrid Paulsen", "Marek Dvořák"],
        ),
        ("Referee: Szymański. Linesmen: Nowak, Wójcik.", ["Szymański", "Nowak", "Wójcik"]),
        ("Captain: Imogen Tully", ["Imogen Tully"]),
    ],
)
def test_a_name_after_a_role_in_a_club_or_an_event_is_replaced(text: str, names: list[str]) -> None:
    for name in names:
        assert leaked(text, name) == [], name


@pytest.mark.parametrize(
    "text",
    ["Secretary: TBC", "Coach: Express bus from the station at 9.", "Captain - see the rota"],
)
def test_a_role_label_before_no_name_replaces_nothing(text: str) -> None:
    assert found(text) == []
