"""Issue 21, round 10: false positives on kinds of text without personal data — a
place that names a cloud's region, zone or data centre, a cloud resource's id, a commit
in a git refspec, a path or a migration's name with a word in capitals, a stack frame's
file after "at", a YAML key that starts with a domain — each beside the real value of
the same shape, which is still found. Examples written here, none from an evaluation
corpus or from bench/redaction/negatives/."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import (
    EMAIL,
    LOCATION,
    ORG,
    PERSON,
    SECRET,
    URL,
)
from spark_control_redaction.mapping import Mapping
from tests.redaction.detecting import ALL, found


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # a noun of infrastructure after the place, in a text about machines
        ("Replicas run in the Lisbon region; reads stay local.", (LOCATION, "Lisbon")),
        ("Move the cluster to the Ohio zone before Friday.", (LOCATION, "Ohio")),
        # a data centre is one in any text
        ("The Leeds data centre is closed for works this weekend.", (LOCATION, "Leeds")),
        ("Maintenance: Madrid Data Center, Sunday night.", (ORG, "Madrid Data Center")),
        # any mention of the word shows it (one word, one thing in a text)
        ("Traffic from Warsaw moves to Vienna; the Warsaw region is full.", (LOCATION, "Warsaw")),
        # a region's code on the place's line
        ("('ca-central-1', 'Canada (Montreal)', 'NA'),", (LOCATION, "Montreal")),
        ('{"id": "europe-west4", "label": "Netherlands", "up": true}', (LOCATION, "Netherlands")),
    ],
)
def test_places_that_name_a_region_of_machines(text: str, guess: tuple[str, str]) -> None:
    assert found(text, guess) == []


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # where a person lives: "region" and "zone" without machines around them
        ("Alice moved to the Lisbon region last spring.", (LOCATION, "Lisbon")),
        ("Bob works in the Berlin time zone.", (LOCATION, "Berlin")),
        # a person's city in a text that speaks of servers, without a region's noun
        ("Alice lives in Leeds and runs the servers from home.", (LOCATION, "Leeds")),
        # a region's code on another line does not reach the place
        ("Deploy to us-east-1.\nAlice flies to Montreal on Monday.", (LOCATION, "Montreal")),
    ],
)
def test_places_where_people_are_stay(text: str, guess: tuple[str, str]) -> None:
    assert (LOCATION, guess[1]) in found(text, guess)


@pytest.mark.parametrize(
    "text",
    [
        # a cloud resource's id: a kind, a dash, 8 or 17 hex digits
        "Refreshing state... [id=vpc-0e9d8c7b6a5f40312]",
        "attached vol-0f4e2a1b9c8d7e6f5 to i-0c9b8a7f6e5d43210",
        # a commit in a git refspec, as a CI checkout prints it
        "git fetch origin +0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3:refs/remotes/origin/dev",
        # a path with a short word in capitals, a migration's name
        'File "/opt/venv/lib/python3.11/site-packages/PIL/ImageFile.py", line 9',
        "applied V42__add_index_on_orders_created.sql",
    ],
)
def test_ids_paths_and_names_are_no_secrets(text: str) -> None:
    assert [t for t, _ in found(text)] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY3X4MPLEKEY", SECRET),
        ("token: 9f8e7d6c5b4a39281706f5e4d3c2b1a0", SECRET),
    ],
)
def test_secrets_of_the_same_shapes_stay(text: str, value: str) -> None:
    assert value in [t for t, _ in found(text)]


def test_a_stack_frame_file_after_at_is_no_address() -> None:
    text = "org.junit.ComparisonFailure at OrderMapperTest.kt:41"
    assert found(text) == []
    # a spelled address with a dotted local part is still one
    assert found("write to jane.roe at example.com")[0][0] == EMAIL


def test_a_yaml_key_with_a_domain_is_no_url() -> None:
    text = (
        "metadata:\n  labels:\n    app.kubernetes.io/component: api\n"
        "  annotations:\n    prometheus.io/scrape: 'true'\n"
    )
    assert found(text) == []
    # a host with a path as a value is still a URL
    assert (URL, "docs.example.org/guide") in found("homepage: docs.example.org/guide\n")


def cues(text: str) -> list[str]:
    """What the cue finders alone (no model guess) replace in ``text``."""
    return [text[s.start : s.end] for s in detect_sync(text, [], Mapping(), Lists(), ALL)]


@pytest.mark.parametrize(
    "text",
    [
        # the fields of a record: three labels or more, none twice
        "Model: Zephyr Fan Z3\nNoise: 21 dB\nWeight: 3.2 kg\nFinish: matte",
        "Runtime: 40 min\nMorning: setup\nAfternoon: review",
        # a field's value that goes on in a lower-case word: a task's title
        "- name: Configure firewall rules\n  ufw: {rule: allow}",
        "Action items: reindex nightly (owner: Storage team)",
        # a team signing, a team in a field
        "We will reset it within the hour.\n\nKind regards,\nSecurity Operations",
        # an agenda's time slots
        "09:30  Roadmap review: search\n10:15  Budget for 2027: hiring",
    ],
)
def test_records_titles_and_teams_name_no_one(text: str) -> None:
    assert cues(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a conversation: someone speaks twice
        ("Alice: deploy?\nBob: done\nCarol: ok\nAlice: thanks", "Carol"),
        # two speakers, once each
        ("Alice: is it fixed?\nBob: yes", "Bob"),
        # a field's value that goes on in small words
        ("Owner: Alice to review by Friday", "Alice"),
        ("Contact: Alice or the front desk", "Alice"),
        ("name: Alice Example\nemail: none", "Alice Example"),
        # a person signing
        ("Kind regards,\nAlice Example", "Alice Example"),
        # a chat with clock times
        ("10:01 alice: hi\n10:02 Bob Roe: hey", "Bob Roe"),
    ],
)
def test_people_in_the_same_shapes_stay(text: str, name: str) -> None:
    assert name in cues(text)


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # an identifier in camelCase, alone or inside the model's span
        ("> Task :lib:compileScala", (PERSON, "compileScala")),
        ("Hook useMemo has a missing dependency", (ORG, "Hook useMemo")),
        # the first word of an error's message
        ("TypeError: Cannot convert undefined to object", (PERSON, "Cannot")),
        ("KeyError: Missing key 'region'", (ORG, "Missing")),
        # a name qualified by its package
        ("func Copy(dst io.Writer, src io.Reader)", (PERSON, "Writer")),
        # a company's team, not a person
        ("Thank you for contacting Harbourline Support.", (PERSON, "Harbourline Support")),
    ],
)
def test_code_messages_and_teams_are_no_people(text: str, guess: tuple[str, str]) -> None:
    assert found(text, guess) == []


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("Alice fixed the build.", (PERSON, "Alice")),
        ("Error: Alice is not a member of this workspace", (PERSON, "Alice")),
        ("Thanks, Bob Sales, for the call.", (PERSON, "Bob")),
        ("Ask Alice about it.", (PERSON, "Alice")),
    ],
)
def test_people_beside_code_stay(text: str, guess: tuple[str, str]) -> None:
    assert found(text, guess) != []
