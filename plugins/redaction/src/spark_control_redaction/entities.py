"""Entity types and the span a detector reports."""

from __future__ import annotations

from dataclasses import dataclass

# Found by spaCy's NER.
PERSON, ORG, LOCATION = "PERSON", "ORG", "LOCATION"
NER_TYPES = (PERSON, ORG, LOCATION)
# Found by validated rules.
EMAIL, PHONE, CREDIT_CARD, SSN, IBAN = "EMAIL", "PHONE", "CREDIT_CARD", "SSN", "IBAN"
IP_ADDRESS, URL, MAC_ADDRESS, SECRET = "IP_ADDRESS", "URL", "MAC_ADDRESS", "SECRET"
RULE_TYPES = (EMAIL, PHONE, CREDIT_CARD, SSN, IBAN, IP_ADDRESS, URL, MAC_ADDRESS, SECRET)
# A deployment's deny-list term.
CUSTOM = "CUSTOM"
# Input that already looked like a placeholder, escaped by replacing it with one.
LITERAL = "LITERAL"

DETECTABLE_TYPES = (*NER_TYPES, *RULE_TYPES, CUSTOM)
ALL_TYPES = (*DETECTABLE_TYPES, LITERAL)

# When two findings overlap, the higher rank wins (then the longer one). Escapes first so
# placeholder-shaped input is never half-replaced; validated rules beat the statistical
# model, whose spans are trimmed around them rather than dropped.
RANK = {
    LITERAL: 100,
    SECRET: 90,
    CUSTOM: 85,
    EMAIL: 80,
    URL: 75,
    IBAN: 70,
    CREDIT_CARD: 65,
    SSN: 60,
    MAC_ADDRESS: 55,
    IP_ADDRESS: 50,
    PHONE: 45,
    # (a SECRET found only by its entropy ranks ENTROPY_RANK)
    PERSON: 20,
    ORG: 15,
    LOCATION: 10,
}

ENTROPY_RANK = 40


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` is an entity of ``type``."""

    type: str
    start: int
    end: int
    # Overrides the type's rank: a guess (a high-entropy token) yields to validated finds.
    rank: int | None = None

    @property
    def priority(self) -> int:
        return RANK[self.type] if self.rank is None else self.rank

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end
