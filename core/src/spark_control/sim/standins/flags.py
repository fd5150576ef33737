"""Command-line flags the way the stand-ins' real tools parse them (cobra/pflag style).

``--name value``, ``--name=value``, ``-n value``, ``-nvalue``, grouped boolean shorts
(``-dit``), repeated options, ``--`` ending the flags, and optionally stopping at the
first positional argument (``docker run IMAGE --flag`` passes ``--flag`` to the image).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["FlagError", "Flags", "Parsed"]

_FALSE = ("false", "0", "f", "F", "FALSE", "False")


class FlagError(ValueError):
    """A flag the command does not know, or one missing its value."""


@dataclass
class Parsed:
    values: dict[str, list[str]] = field(default_factory=dict)
    positional: list[str] = field(default_factory=list)

    def flag(self, key: str) -> bool:
        found = self.values.get(key)
        return found is not None and bool(found) and found[-1] not in _FALSE

    def last(self, key: str, default: str | None = None) -> str | None:
        found = self.values.get(key)
        return found[-1] if found else default

    def all(self, key: str) -> list[str]:
        return list(self.values.get(key, []))


class Flags:
    """A command's flags: ``Flags(bools="-d,--detach --rm", values="--name -e,--env")``.

    Each space-separated group names one flag by all its spellings; the key is the
    long name without dashes (or the short letter when it has no long name).
    """

    def __init__(self, bools: str = "", values: str = "") -> None:
        self._spec: dict[str, tuple[str, bool]] = {}
        self._add(bools.split(), takes_value=False)
        self._add(values.split(), takes_value=True)

    def _add(self, groups: Iterable[str], *, takes_value: bool) -> None:
        for group in groups:
            spellings = group.split(",")
            longs = [s for s in spellings if s.startswith("--")]
            key = (longs[0] if longs else spellings[0]).lstrip("-")
            for spelling in spellings:
                self._spec[spelling] = (key, takes_value)

    def lookup(self, spelling: str) -> tuple[str, bool] | None:
        """``(key, takes_value)`` of a spelling such as ``--gpus`` or ``-e``."""
        return self._spec.get(spelling)

    def options(self, args: list[str]) -> tuple[list[tuple[str, list[str]]], list[str]]:
        """The tokens of each option before the first positional argument, keyed, and
        the rest (``docker run [OPTIONS] IMAGE [COMMAND]``); raises ``FlagError``."""
        found: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(args):
            item = args[i]
            if item == "--":
                return found, args[i + 1 :]
            if not item.startswith("-") or item == "-":
                return found, args[i:]
            taken = Parsed()
            if item.startswith("--"):
                end = self._long(item, args, i + 1, taken)
            else:
                end = self._shorts(item, args, i + 1, taken)
            found.append((next(iter(taken.values), ""), args[i:end]))
            i = end
        return found, []

    def _long(self, item: str, args: list[str], i: int, parsed: Parsed) -> int:
        name, eq, inline = item.partition("=")
        spec = self._spec.get(name)
        if spec is None:
            raise FlagError(f"unknown flag: {name}")
        key, takes_value = spec
        if takes_value and not eq:
            if i >= len(args):
                raise FlagError(f"flag needs an argument: {name}")
            inline = args[i]
            i += 1
        parsed.values.setdefault(key, []).append(inline if takes_value or eq else "true")
        return i

    def parse(self, args: list[str], *, interspersed: bool = True) -> Parsed:
        parsed = Parsed()
        i = 0
        while i < len(args):
            item = args[i]
            i += 1
            if item == "--":
                parsed.positional.extend(args[i:])
                break
            if item.startswith("--"):
                i = self._long(item, args, i, parsed)
            elif item.startswith("-") and len(item) > 1:
                i = self._shorts(item, args, i, parsed)
            elif interspersed:
                parsed.positional.append(item)
            else:
                parsed.positional.extend(args[i - 1 :])
                break
        return parsed

    def _shorts(self, item: str, args: list[str], i: int, parsed: Parsed) -> int:
        letters = item[1:]
        for pos, letter in enumerate(letters):
            spec = self._spec.get(f"-{letter}")
            if spec is None:
                raise FlagError(f"unknown shorthand flag: '{letter}' in {item}")
            key, takes_value = spec
            if not takes_value:
                parsed.values.setdefault(key, []).append("true")
                continue
            rest = letters[pos + 1 :]
            if rest:
                parsed.values.setdefault(key, []).append(rest.removeprefix("="))
            elif i < len(args):
                parsed.values.setdefault(key, []).append(args[i])
                i += 1
            else:
                raise FlagError(f"flag needs an argument: '{letter}' in -{letter}")
            break
        return i
