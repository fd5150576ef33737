"""Issue 21, round 15: the small model reads many a product, tool or button as a given
name ("in Grafana", "Press Restart", "Kafka 3.6"). In a text where nothing personal was
found and that shows no sign of a person, its one-word people are not replaced when every
one of them stands where a product stands; one that stands where a person does
("Jenkins approved it"), a possessive, or any sign of a person keeps them all. Default
settings. Examples written here, none from an evaluation corpus or from
bench/redaction/negatives/."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.products import stand_as_products
from tests.redaction.detecting import ALL


def found(text: str, *guesses: tuple[str, str]) -> list[tuple[str, str]]:
    """What the defaults replace when the model reported ``guesses`` (type, word; every
    mention of the word) in ``text``."""
    spans = [
        Span(t, i, i + len(w))
        for t, w in guesses
        for i in range(len(text))
        if text.startswith(w, i)
        and not (text[i - 1 : i].isalnum() or text[i + len(w) : i + len(w) + 1].isalnum())
    ]
    detected = detect_sync(text, spans, Mapping(), Lists(), ALL)
    return [(s.type, text[s.start : s.end]) for s in detected]


@pytest.mark.parametrize(
    ("text", "guesses"),
    [
        # a step of a how-to or a menu
        ("To finish, press Restart and wait a minute.", [(PERSON, "Restart")]),
        # inside, through or between systems, with the items of a list
        ("The logs end up in Loki after a minute.", [(PERSON, "Loki")]),
        ("Reach the dashboard via Tailscale only.", [(PERSON, "Tailscale")]),
        ("Logs go via Zabbix and Rundeck.", [(PERSON, "Zabbix"), (PERSON, "Rundeck")]),
        ("The app works with Stripe, Mollie and Adyen.", [(PERSON, "Mollie")]),
        # a version, a state only a program has, a noun it modifies
        ("Support for Solr 8.x ends in June.", [(PERSON, "Solr")]),
        ("Pages render slower when Memcached is down.", [(PERSON, "Memcached")]),
        ("After a cold boot, Quillon pairing retries three times.", [(PERSON, "Quillon")]),
        # one mention that stands as a product stands for the others
        ("Open Metabase first. Metabase then reads the new table.", [(PERSON, "Metabase")]),
    ],
)
def test_one_word_people_that_stand_as_products_are_not_replaced(
    text: str, guesses: list[tuple[str, str]]
) -> None:
    assert [f for f in found(text, *guesses) if f[0] == PERSON] == []


@pytest.mark.parametrize(
    ("text", "guesses"),
    [
        # a person's place in the sentence, beside a product's
        ("Jenkins approved it, so deploy via Argo.", [(PERSON, "Jenkins"), (PERSON, "Argo")]),
        ("Lunch with Tobias at noon.", [(PERSON, "Tobias")]),
        ("A call between Tobias and Marisol on Monday.", [(PERSON, "Tobias")]),
        ("Thanks to Bubba for fixing the fence.", [(PERSON, "Bubba")]),
        # a possessive, a sign of a person, a time of day
        ("The runbook is in Priya's folder.", [(PERSON, "Priya")]),
        ("She moved the alerts into Kafka.", [(PERSON, "Kafka")]),
        ("Wren 10:30 at the front desk.", [(PERSON, "Wren")]),
    ],
)
def test_one_word_people_elsewhere_or_beside_a_sign_are_replaced(
    text: str, guesses: list[tuple[str, str]]
) -> None:
    replaced = found(text, *guesses)
    assert (PERSON, guesses[0][1]) in replaced


def test_a_text_about_someone_keeps_its_product_shaped_people() -> None:
    # an e-mail address: the text is about someone, every guess stays
    text = "Write to alice@example.com about Loki; the logs end up in Loki."
    assert (PERSON, "Loki") in found(text, (PERSON, "Loki"))


def test_organisations_are_left_to_the_other_rules() -> None:
    text = "The backend talks to Redis via Envoy."
    assert stand_as_products(text, [(text.index("Envoy"), text.index("Envoy") + 5)])
    assert (ORG, "Redis") in found(text, (ORG, "Redis"), (PERSON, "Envoy"))
