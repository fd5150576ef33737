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


# Addresses that say nothing about a person: loopback, unspecified, link-local,
# broadcast, netmasks and the documentation ranges (RFC 5737, RFC 3849).
_NOT_PERSONAL = [
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8", "0.0.0.0/8", "169.254.0.0/16", "255.0.0.0/8", "192.0.2.0/24",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "::1/128", "::/128",
        "fe80::/10", "2001:db8::/32", "ff00::/8",
    )
]  # fmt: skip


def personal_ip(candidate: str) -> bool:
    """Whether a valid address could point at someone (see ``_NOT_PERSONAL``)."""
    address = ipaddress.ip_address(candidate)
    if address.version == 6 and address.is_link_local and address.packed[11:13] == b"\xff\xfe":
        return True  # an EUI-64 interface id carries the device's MAC address
    return not any(address in net for net in _NOT_PERSONAL if net.version == address.version)


def isbn13_ok(digits: str) -> bool:
    """The ISBN-13 check digit (weights 1, 3, 1, 3…)."""
    total = sum((3 if i % 2 else 1) * (ord(c) - 48) for i, c in enumerate(digits))
    return len(digits) == 13 and total % 10 == 0


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
