"""Checksums and plausibility checks that turn a pattern match into a finding."""

from __future__ import annotations

import ipaddress
import math
from collections import Counter


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a card number (digits only)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN without spaces, upper case."""
    if not 15 <= len(iban) <= 34 or not iban[:2].isalpha() or not iban[2:4].isdigit():
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """A US SSN the SSA could have issued (no 000/666/9xx area, no 00 group, no 0000)."""
    return (
        area not in ("000", "666")
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
    )


def ip_ok(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def entropy_bits(token: str) -> float:
    """Shannon entropy per character."""
    counts = Counter(token)
    n = len(token)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def looks_random(token: str) -> bool:
    """A token that reads like a generated secret rather than a word or an id.

    Long, mixes letters and digits (or is long hex), and has high entropy per
    character: words and ordinary identifiers fail at least one of these.
    """
    n = len(token)
    if n < 20:
        return False
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    if not (has_digit and has_alpha):
        return False
    hexish = all(c in "0123456789abcdefABCDEF" for c in token)
    if hexish:
        return n >= 32 and entropy_bits(token) >= 3.0
    has_upper = any(c.isupper() for c in token)
    has_lower = any(c.islower() for c in token)
    threshold = 3.5 if has_upper and has_lower else 3.2
    return entropy_bits(token) >= threshold
