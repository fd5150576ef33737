"""A session's mapping: which entity each value is, and which placeholder stands for it.

An entity has a type, a number and its spellings (variants) in the order they were
met. A new value joins an existing entity when it is another spelling of it:
- the same normalised value (``Alice@Example.com`` and ``alice@example.com``; a phone
  number written with other separators), for every type;
- for people and organisations, a value whose words are a subset or superset of exactly
  one known entity's words ("John" and "John Smith", "Acme" and "Acme Corp"). When it
  could be more than one entity ("John" after "John Smith" and "John Doe"), it becomes
  an entity of its own: never guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spark_control_redaction.entities import (
    CREDIT_CARD,
    CUSTOM,
    EMAIL,
    IBAN,
    MAC_ADDRESS,
    ORG,
    PERSON,
    PHONE,
    SSN,
)
from spark_control_redaction.placeholders import Ref, format_placeholder

_WORD = re.compile(r"\w+")
# Words that do not tell two names apart.
_NAME_NOISE = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "jr", "sr",
    "inc", "llc", "ltd", "plc", "corp", "co", "gmbh", "ag", "sa", "the", "and", "of",
}  # fmt: skip
_WORD_GROUPED = (PERSON, ORG)


def normalise(type_: str, value: str) -> str:
    """The key under which two spellings of one value meet."""
    if type_ in (PHONE, CREDIT_CARD, SSN):
        digits = "".join(c for c in value if c.isdigit())
        if type_ == PHONE and len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        return digits
    if type_ in (IBAN, MAC_ADDRESS):
        return "".join(c for c in value if c.isalnum()).lower()
    if type_ in (EMAIL, CUSTOM):
        return value.casefold()
    return " ".join(value.split()).casefold()


def name_words(value: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(value.casefold()) if w not in _NAME_NOISE)


@dataclass
class Entity:
    type: str
    number: int
    variants: list[str]
    key: str

    def words(self) -> frozenset[str]:
        found: set[str] = set()
        for variant in self.variants:
            found |= name_words(variant)
        return frozenset(found)


@dataclass
class Mapping:
    """Everything a session remembers. Serialised as JSON, encrypted in the vault."""

    entities: list[Entity] = field(default_factory=list)
    _by_value: dict[tuple[str, str], Ref] = field(default_factory=dict, repr=False)
    _by_key: dict[tuple[str, str], Entity] = field(default_factory=dict, repr=False)
    _by_ref: dict[tuple[str, int], Entity] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entity in self.entities:
            self._index(entity)

    def _index(self, entity: Entity) -> None:
        self._by_key[(entity.type, entity.key)] = entity
        self._by_ref[(entity.type, entity.number)] = entity
        for i, variant in enumerate(entity.variants, start=1):
            self._by_value[(entity.type, variant)] = Ref(entity.type, entity.number, i)

    def __len__(self) -> int:
        return len(self.entities)

    def placeholder_for(self, type_: str, value: str) -> str:
        """The placeholder of ``value``, adding the value to the mapping if new."""
        ref = self._by_value.get((type_, value))
        if ref is None:
            entity = self._same_entity(type_, value)
            if entity is None:
                number = 1 + sum(1 for e in self.entities if e.type == type_)
                entity = Entity(type_, number, [], normalise(type_, value))
                self.entities.append(entity)
                self._by_key[(type_, entity.key)] = entity
                self._by_ref[(type_, number)] = entity
            entity.variants.append(value)
            ref = Ref(type_, entity.number, len(entity.variants))
            self._by_value[(type_, value)] = ref
        return ref.canonical

    def _same_entity(self, type_: str, value: str) -> Entity | None:
        entity = self._by_key.get((type_, normalise(type_, value)))
        if entity is not None or type_ not in _WORD_GROUPED:
            return entity
        words = name_words(value)
        if not words:
            return None
        matches = [
            e
            for e in self.entities
            if e.type == type_ and (words <= e.words() or e.words() <= words)
        ]
        return matches[0] if len(matches) == 1 else None

    def value_of(self, ref: Ref) -> str | None:
        """The spelling ``ref`` stands for, or None when the session has no such entity."""
        entity = self._by_ref.get((ref.type, ref.number))
        if entity is None or not 1 <= ref.variant <= len(entity.variants):
            return None
        return entity.variants[ref.variant - 1]

    def known_values(self) -> list[tuple[str, str]]:
        """Every (type, value) the session has replaced, longest first."""
        pairs = [(e.type, v) for e in self.entities for v in e.variants]
        return sorted(pairs, key=lambda p: len(p[1]), reverse=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": [
                {"type": e.type, "number": e.number, "variants": e.variants, "key": e.key}
                for e in self.entities
            ]
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        return cls([Entity(**e) for e in data.get("entities", [])])

    def describe(self) -> str:
        return ", ".join(format_placeholder(e.type, e.number) for e in self.entities)
