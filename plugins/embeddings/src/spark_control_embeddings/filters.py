"""The payload filter of a search or a delete: a small, documented subset of Qdrant's
filter (must / should / must_not of key conditions with match or range), validated
here and translated by each store into its own client's types."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spark_control_embeddings.names import BadName, payload_key

Scalar = str | int | bool
#: The payload index a filtered key gets (``index_kinds``).
IndexKind = Literal["keyword", "integer", "float"]


class Match(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    value: Scalar | None = Field(None, description="The field equals this value.")
    any: list[str] | list[int] | None = Field(
        None, max_length=256, description="The field equals one of these."
    )
    except_: list[str] | list[int] | None = Field(
        None, alias="except", max_length=256, description="The field equals none of these."
    )

    @model_validator(mode="after")
    def _one(self) -> Match:
        given = [x for x in (self.value, self.any, self.except_) if x is not None]
        if len(given) != 1:
            raise ValueError("a match takes exactly one of value, any, except")
        return self


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    @model_validator(mode="after")
    def _some(self) -> Range:
        if all(x is None for x in (self.gt, self.gte, self.lt, self.lte)):
            raise ValueError("a range needs at least one of gt, gte, lt, lte")
        return self


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(description="A payload key (dotted for nested values).")
    match: Match | None = None
    range: Range | None = None

    @field_validator("key")
    @classmethod
    def _key(cls, key: str) -> str:
        try:
            return payload_key(key)
        except BadName as exc:  # a validation error of the request body (422)
            raise ValueError(exc.message) from None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if (self.match is None) == (self.range is None):
            raise ValueError("a condition takes exactly one of match, range")
        return self


class PayloadFilter(BaseModel):
    """Points that satisfy every ``must``, at least one ``should`` (when given) and no
    ``must_not``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "must": [{"key": "lang", "match": {"value": "en"}}],
                    "must_not": [{"key": "year", "range": {"lt": 2020}}],
                }
            ]
        },
    )
    must: list[Condition] = Field(default_factory=list, max_length=32)
    should: list[Condition] = Field(default_factory=list, max_length=32)
    must_not: list[Condition] = Field(default_factory=list, max_length=32)

    def is_empty(self) -> bool:
        return not (self.must or self.should or self.must_not)


def range_args(r: Range) -> dict[str, Any]:
    return {k: v for k, v in r.model_dump().items() if v is not None}


def index_kinds(spec: PayloadFilter) -> dict[str, IndexKind]:
    """The payload index each filtered key needs, from what the filter compares it
    with: strings a keyword index; integers an integer index for lookups only (a range
    over an integer index would miss float values); a range a float index (it holds
    integers too). A boolean gets none. The first condition on a key decides."""
    kinds: dict[str, IndexKind] = {}
    for condition in (*spec.must, *spec.should, *spec.must_not):
        kind = _index_kind(condition)
        if kind is not None:
            kinds.setdefault(condition.key, kind)
    return kinds


def _index_kind(condition: Condition) -> IndexKind | None:
    if condition.range is not None:
        return "float"
    match = condition.match
    assert match is not None
    values = [match.value] if match.value is not None else (match.any or match.except_ or [])
    first = values[0] if values else None
    if isinstance(first, bool) or first is None:
        return None
    return "keyword" if isinstance(first, str) else "integer"
