"""Checks of the texts and queries callers send (``/api/embeddings`` and ``/v1``)."""

from __future__ import annotations

from spark_control.api import SparkError
from spark_control_embeddings.schemas import MAX_TEXT, MAX_TEXTS


def check_query(query: str) -> None:
    """A query of only whitespace matches nothing meaningful: a 400, as for a text."""
    if not query.strip():
        raise SparkError(
            "the query is blank (empty or only whitespace): give some words to search for",
            status=400,
            detail={"field": "query"},
        )


def check_texts(texts: list[str]) -> None:
    """Every text non-empty and not huge; not too many of them (400 naming which)."""
    if not texts or len(texts) > MAX_TEXTS:
        raise SparkError(f"give 1 to {MAX_TEXTS} texts (got {len(texts)})", status=400)
    for i, text in enumerate(texts):
        if not text.strip():
            raise SparkError(f"text {i} is empty", status=400, detail={"index": i})
        if len(text) > MAX_TEXT:
            raise SparkError(
                f"text {i} has {len(text)} characters; the limit is {MAX_TEXT}",
                status=400,
                detail={"index": i},
            )
