"""The structured fields of a vCard (RFC 6350, also 2.1 and 3.0) that name a person, an
organisation or a place: ``N:Family;Given;Additional;Prefix;Suffix``, ``FN:``,
``ORG:Name;Unit``, ``ADR:PO box;Extended;Street;Locality;Region;Code;Country``. The
model reads these lines poorly (no sentence, ``;`` between the parts); the format says
what each part is (issue 21, round 7)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.addresses import RANK_ADDRESS
from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span
from spark_control_redaction.places import RANK_ORG_CUE

# A property line: an optional group ("item1."), the name, parameters, ":", the value.
_PROPERTY = re.compile(
    r"(?im)^(?:[\w\-]+\.)?(?P<name>N|FN|ORG|ADR)(?:;[^:\n]*)?:(?P<value>[^\n]*)$"
)
_CARD = re.compile(r"(?i)^BEGIN:VCARD\b", re.MULTILINE)
# The parts of each property that are personal data, by their index in the value.
_PARTS = {"N": (0, 1, 2), "FN": None, "ORG": (0, 1), "ADR": (2, 3)}
_TITLES = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame|Rev)\.?[ \t]+)+")
_TYPES = {"N": PERSON, "FN": PERSON, "ORG": ORG, "ADR": LOCATION}
_RANKS = {"ORG": RANK_ORG_CUE, "ADR": RANK_ADDRESS}


def vcard_spans(text: str) -> Iterator[Span]:
    """The names, organisations and places in the vCards of ``text``."""
    if not _CARD.search(text):
        return
    for m in _PROPERTY.finditer(text):
        name = m.group("name").upper()
        type_, rank = _TYPES[name], _RANKS.get(name)
        wanted = _PARTS[name]
        at = m.start("value")
        # Parts are parted by ";" (a "\;" is a semicolon inside a part).
        for index, part in enumerate(re.split(r"(?<!\\);", m.group("value"))):
            value = part.strip()
            if name == "FN":
                value = _TITLES.sub("", value)  # "Dr." is a title, no form of the name
            if value and (wanted is None or index in wanted) and any(c.isalpha() for c in value):
                start = at + part.index(value)
                yield Span(type_, start, start + len(value), rank=rank)
            at += len(part) + 1
