"""Issue 21, round 9: products the model takes for people, organisations or places in
prose documentation, shown to be software by what stands beside them — a list of
products with versions, the same word in the text's code, a product it is joined to —
each next to a real name in the same shape, which is still found. Examples written here,
none from an evaluation corpus or from bench/redaction/negatives/."""

from __future__ import annotations

import pytest

from spark_control_redaction.entities import LOCATION, ORG, PERSON
from tests.redaction.detecting import found


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # a word and a bare number among products with their versions, before or after
        ("Runs in Edge 118+, Opera 104+ and Vivaldi 6.", (PERSON, "Vivaldi")),
        ("Tested on Vivaldi 6 and Edge 118.0 only.", (PERSON, "Vivaldi")),
        # the same word in the text's code, joined by "_" or "-"
        ("Set `enable_traefik: true` to route through Traefik.", (ORG, "Traefik")),
        ("```\npip install harbor-client\n```\nHarbor keeps the images.", (LOCATION, "Harbor")),
        # joined to a product: in CamelCase, in code, or with a version
        ("The job copies rows from Mongo to ClickHouse every night.", (ORG, "Mongo")),
        ("Pick Caddy or Envoy 1.30 as the edge proxy.", (PERSON, "Caddy")),
        ("Choose between Mongo vs. RabbitMQ later.", (ORG, "Mongo")),
        # a program run or a package installed in the text's code
        ("Start it with `sanic app.main --dev`; Sanic reloads on save.", (ORG, "Sanic")),
        ("```\n$ quart run\n```\nQuart serves on port 5000.", (LOCATION, "Quart")),
        # what only software has, or is installed; any mention of the word shows it
        ("Loki's API takes pushes; we send them to Loki over HTTP.", (PERSON, "Loki")),
        ("We build on Sanic. Install Sanic before the tutorial.", (PERSON, "Sanic")),
        # a span the model made of two joined products
        ("Storage is Mongo or PostgreSQL, as you like.", (ORG, "Mongo or PostgreSQL")),
        (
            "Compare Caddy to Traefik; see the `use_traefik` flag.",
            (ORG, "Caddy to Traefik"),
        ),
    ],
)
def test_products_in_prose_documentation(text: str, guess: tuple[str, str]) -> None:
    assert found(text, guess) == []


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        # scores and ages are listed with bare numbers, not versions
        ("Scores: Alice 12, Bob 9 and Carol 7.", (PERSON, "Carol")),
        # a person's name in code (a user name) does not make the person a product
        ("Marta wrote the `marta_sync` script.", (PERSON, "Marta")),
        # a person's cue before the word wins over the code
        ("Thanks to Alice for the `alice_tools` patch.", (PERSON, "Alice")),
        # an inner capital of a given name is no product's ("JoAnn", "DeShawn")
        ("Alice and JoAnn reviewed the draft.", (PERSON, "Alice")),
        ("Bob and DeShawn merged it.", (PERSON, "Bob")),
        # a person's cue before the word; a person has a laptop, not an API
        ("Ask Sanic about it; the page says to install Sanic first.", (PERSON, "Sanic")),
        ("Loki's laptop runs the demo.", (PERSON, "Loki")),
        # two names joined with nothing of software about them
        ("Procter and Gamble renewed the contract.", (ORG, "Procter and Gamble")),
        # a host named after someone in a log is no code
        ("ssh alice-laptop failed; Alice is on leave.", (PERSON, "Alice")),
    ],
)
def test_real_names_in_the_same_shapes_stay(text: str, guess: tuple[str, str]) -> None:
    assert found(text, guess) != []
