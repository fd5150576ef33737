"""What the model reads (issue 21, speed): only lines that could hold a name, without
addresses, URLs and long tokens; every span it finds maps back to the same characters
of the original text."""

from __future__ import annotations

from spark_control_redaction.entities import PERSON
from spark_control_redaction.ner import NerModel, View

TEXT = (
    "DB_HOST=db.internal\nlog_level: debug\n"
    "Ping Jane Roe at jane@example.com or https://example.com/u/jane-roe today.\n"
    "token: Zq3xV8rT1mK9wP2sL7nB4cD6fG0hJ5Zq3xV8\nSigned, Bob"
)


def test_the_view_keeps_only_what_could_be_a_name_and_maps_back() -> None:
    view = View(TEXT)
    assert "DB_HOST" not in view.text and "debug" not in view.text
    assert "jane@example.com" not in view.text and "https://" not in view.text
    assert "Zq3xV8" not in view.text
    for name in ("Jane Roe", "Bob"):
        start = view.text.index(name)
        [(a, b)] = view.spans(start, start + len(name))
        assert TEXT[a:b] == name
    assert len(view.text) < len(TEXT) * 0.6


def test_a_span_across_a_cut_maps_to_each_kept_piece() -> None:
    text = "Alice\nSSN: 078-05-1120\nSmith"  # the middle line is left out
    view = View(text)
    start, end = view.text.index("Alice"), view.text.index("Smith") + len("Smith")
    assert [text[a:b] for a, b in view.spans(start, end)] == ["Alice", "Smith"]


def test_the_model_finds_names_at_their_place_in_the_original(ner_model: NerModel) -> None:
    spans = ner_model.find_sync([TEXT])[0]
    people = {TEXT[s.start : s.end] for s in spans if s.type == PERSON}
    # Mapped back to the original's characters (the model may take "Ping" along).
    assert any(p.endswith("Jane Roe") for p in people), people
    assert "Bob" in people, people


def test_a_text_with_nothing_to_read_costs_no_pass(ner_model: NerModel) -> None:
    assert View("API_KEY=abc\nport: 8080\n").text == ""
    assert ner_model.find_sync(["API_KEY=abc\nport: 8080\n", "ok, thanks"]) == [[], []]
