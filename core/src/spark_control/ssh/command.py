"""The one builder of remote shell commands.

A command is a tree of argument lists, never a string: every word is either a
constant written in code (a plain ``str`` from a narrow safe charset) or a ``Value``
that an allow-list validator produced, and every word is ``shlex.quote``d when the
tree is rendered. The operators (``&&``, ``|``, redirects, ``cd``, detaching) are
written by the builder itself, so nothing reaches a shell by string formatting.

    cmd = RemoteCommand("docker", "logs", "--tail", "200", arg.container(name))
    cmd = RemoteCommand("serve-model", arg.model_id(model), *arg.extra_flags(flags))
    detached = cmd.redirect(stderr=STDOUT).detached(arg.path(log_path))
"""

from __future__ import annotations

import math
import re
import secrets
import shlex
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, LiteralString

from spark_control.ssh import validators as v

__all__ = [
    "STDOUT",
    "RemoteCommand",
    "Script",
    "StepResult",
    "Steps",
    "UnsafeLiteral",
    "Value",
    "arg",
    "const",
    "value",
    "wait_while",
    "write_secret_file",
]

# Plain strings are accepted only from this charset: anything wider is either a
# value from outside (and must come through a validator) or needs ``const()``.
_LITERAL: Final = re.compile(r"[A-Za-z0-9_./:=@%+,-]+")
_KEY: Final = object()


class UnsafeLiteral(ValueError):
    """A plain string outside the safe charset was passed where a word was expected."""


class Value:
    """A word that passed a validator; made only by ``value()``, ``arg.*`` and ``const()``."""

    __slots__ = ("field", "text")

    def __init__(self, text: str, field: str, *, _key: object = None) -> None:
        if _key is not _KEY:
            raise TypeError("Value is made by value(), arg.* or const(), not directly")
        self.text = text
        self.field = field

    def __repr__(self) -> str:
        return f"Value({self.field}={self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and (self.text, self.field) == (other.text, other.field)

    def __hash__(self) -> int:
        return hash((self.text, self.field))


Word = str | Value


def value(raw: object, validator: Callable[[Any, str], object], field: str) -> Value:
    """Run ``validator(raw, field)`` and mark its result as safe to pass to the builder."""
    checked = validator(raw, field)
    return Value(str(checked), field, _key=_KEY)


def const(text: LiteralString) -> Value:
    """A constant written in code that needs characters outside the plain-word charset.

    For example a Docker format string, ``const("{{.Names}}\\t{{.Status}}")``. It is
    quoted like any other word; never pass data from outside here.
    """
    if not isinstance(text, str) or "\x00" in text:
        raise UnsafeLiteral("const() takes a str without NUL bytes")
    return Value(text, "constant", _key=_KEY)


class _Args:
    """Typed shortcuts: ``arg.container(name)`` validates and marks in one step."""

    def model_id(self, raw: object, field: str = "model_id") -> Value:
        return value(raw, v.validate_model_id, field)

    def container(self, raw: object, field: str = "container") -> Value:
        return value(raw, v.validate_container_name, field)

    def image(self, raw: object, field: str = "image") -> Value:
        return value(raw, v.validate_docker_image, field)

    def path(self, raw: object, field: str = "path") -> Value:
        return value(raw, v.validate_absolute_path, field)

    def relative_path(self, raw: object, field: str = "path") -> Value:
        return value(raw, v.validate_relative_path, field)

    def user(self, raw: object, field: str = "user") -> Value:
        return value(raw, v.validate_unix_user, field)

    def branch(self, raw: object, field: str = "branch") -> Value:
        return value(raw, v.validate_git_branch, field)

    def host(self, raw: object, field: str = "host") -> Value:
        return value(raw, v.validate_host, field)

    def port(self, raw: object, field: str = "port") -> Value:
        return value(raw, v.validate_port, field)

    def env_value(self, raw: object, field: str = "value") -> Value:
        return value(raw, v.validate_env_value, field)

    def unsplittable(self, raw: object, field: str = "value") -> Value:
        return value(raw, v.validate_unsplittable_value, field)

    def extra_flags(self, raw: Iterable[object], field: str = "extra_args") -> list[Value]:
        return [Value(f, field, _key=_KEY) for f in v.validate_extra_flags(raw, field)]


arg: Final = _Args()


def _word(item: object) -> str:
    """Check one word and return its text (unquoted)."""
    if isinstance(item, Value):
        return item.text
    if isinstance(item, str):
        if not _LITERAL.fullmatch(item):
            raise UnsafeLiteral(
                f"plain string {item[:40]!r} is outside the safe charset; pass data from "
                "outside through a validator (arg.*/value()), constants through const()"
            )
        return item
    raise TypeError(f"a command word must be a str constant or a Value, not {type(item).__name__}")


class _Stdout:
    """Marker for ``redirect(stderr=STDOUT)``."""

    def __repr__(self) -> str:
        return "STDOUT"


STDOUT: Final = _Stdout()

# Binding strength, used to decide when a part needs parentheses: a simple command
# binds tightest, then a pipeline, then an ``&&`` list; a detached command ends in
# ``&`` and is always wrapped when it is part of something larger.
_SIMPLE, _PIPELINE, _LIST, _BACKGROUND = 3, 2, 1, 0


class Script(ABC):
    """Anything the builder can render to one shell string."""

    _level: int = _SIMPLE

    @abstractmethod
    def render(self) -> str:
        """The shell string to hand to ``sh -c`` on the node."""

    def _render_at(self, level: int) -> str:
        text = self.render()
        return text if self._level >= level else f"( {text} )"

    def pipe(self, other: Script) -> Script:
        """``self | other``."""
        return _Joined(" | ", _PIPELINE, (self, other))

    def and_then(self, other: Script) -> Script:
        """``self && other``: ``other`` runs only if ``self`` succeeded."""
        return _Joined(" && ", _LIST, (self, other))

    def in_dir(self, directory: Value) -> Script:
        """``cd <directory> && self``."""
        return RemoteCommand("cd", directory).and_then(self)

    def redirect(
        self,
        *,
        stdout: Value | None = None,
        stderr: Value | _Stdout | None = None,
        append: bool = False,
    ) -> Script:
        """Send stdout and/or stderr to a validated path; ``stderr=STDOUT`` merges them."""
        return _Redirected(self, stdout, stderr, append)

    def with_env_file(self, path: Value) -> Script:
        """``set -a && . <path> && set +a && self``: run with a file's variables exported.

        This is how a secret (a Hugging Face token) reaches a program's environment
        without ever being on a command line: it sits in a 0600 file on the node
        (``write_secret_file``) holding ``NAME='value'`` lines, and only the file's
        path is in the command. A path without a '/' gets a ``./`` prefix because
        ``.`` would otherwise search ``$PATH`` for it.
        """
        if not isinstance(path, Value):
            raise TypeError("the env file must be a validated path (arg.path(...))")
        text = path.text if "/" in path.text else f"./{path.text}"
        source = RemoteCommand(".", Value(text, path.field, _key=_KEY))
        return (
            RemoteCommand("set", "-a")
            .and_then(source)
            .and_then(RemoteCommand("set", "+a"))
            .and_then(self)
        )

    def detached(self, log: Value) -> Script:
        """Run in the background, surviving the SSH session; prints the process id.

        ``setsid`` gives the job its own session (so killing the channel's process group
        or a hang-up does not reach it), ``nohup`` ignores SIGHUP, and stdin/stdout/stderr
        are detached from the channel so the SSH command returns at once.
        """
        return _Detached(self, log)


class RemoteCommand(Script):
    """One program with its arguments, optionally run under ``env NAME=value``."""

    def __init__(self, program: Word, *args: Word, env: Mapping[str, Word] | None = None) -> None:
        self._words = [_word(program), *(_word(a) for a in args)]
        self._env: list[str] = []
        for name, item in (env or {}).items():
            v.validate_env_name(name, "env")
            text = item.text if isinstance(item, Value) else _word(item)
            self._env.append(f"{name}={text}")

    @property
    def argv(self) -> list[str]:
        """The words as the remote program will receive them (without the env prefix)."""
        return list(self._words)

    def render(self) -> str:
        prefix = ["env", *self._env] if self._env else []
        return shlex.join([*prefix, *self._words])


class _Joined(Script):
    def __init__(self, operator: str, level: int, parts: tuple[Script, ...]) -> None:
        for part in parts:
            if not isinstance(part, Script):
                raise TypeError(f"can only join Scripts, not {type(part).__name__}")
        self._operator = operator
        self._level = level
        # Flatten a | b | c and a && b && c so rendering stays readable.
        flat: list[Script] = []
        for part in parts:
            if isinstance(part, _Joined) and part._operator == operator:
                flat.extend(part._parts)
            else:
                flat.append(part)
        self._parts: tuple[Script, ...] = tuple(flat)

    def render(self) -> str:
        # Operands of | must be simple or wrapped; operands of && may be pipelines.
        need = _SIMPLE if self._level == _PIPELINE else _PIPELINE
        return self._operator.join(p._render_at(need) for p in self._parts)


class _Redirected(Script):
    def __init__(
        self, inner: Script, stdout: Value | None, stderr: Value | _Stdout | None, append: bool
    ) -> None:
        if stdout is None and stderr is None:
            raise ValueError("redirect() needs stdout, stderr or both")
        for target in (stdout, stderr):
            if target is not None and target is not STDOUT and not isinstance(target, Value):
                raise TypeError("redirect targets must be validated paths (arg.path(...))")
        self._inner = inner
        self._stdout = stdout
        self._stderr = stderr
        self._op = ">>" if append else ">"

    def render(self) -> str:
        parts = [self._inner._render_at(_SIMPLE)]
        if self._stdout is not None:
            parts.append(f"{self._op} {shlex.quote(self._stdout.text)}")
        if self._stderr is STDOUT:
            parts.append("2>&1")
        elif isinstance(self._stderr, Value):
            parts.append(f"2{self._op} {shlex.quote(self._stderr.text)}")
        return " ".join(parts)


class _Detached(Script):
    _level = _BACKGROUND

    def __init__(self, inner: Script, log: Value) -> None:
        if not isinstance(log, Value):
            raise TypeError("the log of a detached command must be a validated path")
        self._inner = inner
        self._log = log

    def render(self) -> str:
        launcher = shlex.join(["nohup", "setsid", "sh", "-c", self._inner.render()])
        return f"{launcher} > {shlex.quote(self._log.text)} 2>&1 < /dev/null & echo $!"


def write_secret_file(path: Value) -> Script:
    """A command that stores its stdin in ``path`` with mode 0600.

    The secret travels on stdin, never on a command line. The file is created under
    ``umask 077`` and re-chmodded before anything is written, so an existing file with
    a looser mode never holds the secret.
    """
    return (
        RemoteCommand("umask", "077")
        .and_then(RemoteCommand(":").redirect(stdout=path))
        .and_then(RemoteCommand("chmod", "600", path))
        .and_then(RemoteCommand("cat").redirect(stdout=path))
    )


# -- several steps in one round trip ----------------------------------------------------

_LABEL: Final = re.compile(r"[a-z][a-z0-9_]{0,31}")


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step of ``Steps`` did: its output (stdout and stderr together, without
    trailing newlines) and its exit status."""

    output: str
    exit_status: int

    @property
    def ok(self) -> bool:
        return self.exit_status == 0


class Steps(Script):
    """Scripts run one after another in one shell (one SSH round trip where there were
    several), whatever each returned, each one's output and exit status reported under
    its label so that every step's result is still checked::

        steps = Steps().add("stop", stop_cmd).add("state", state_cmd)
        result = await ssh.run(node, steps)
        done = steps.read(result.stdout)  # {"stop": StepResult(...), "state": ...}

    Each report ends with a line holding a marker drawn at random per ``Steps``, so no
    output can forge one. A step the script never reached (cut off, or skipped by
    ``unless``) has no entry."""

    _level = _LIST

    def __init__(self) -> None:
        self.marker = f"@@steps-{secrets.token_hex(8)}"
        self._steps: list[tuple[str, Script, tuple[int, tuple[str, ...]] | None]] = []
        self._labels: dict[str, int] = {}

    def add(
        self, label: str, script: Script, *, unless: tuple[str, Iterable[str]] | None = None
    ) -> Steps:
        """Append a step. ``unless=(earlier, words)`` skips it when the step ``earlier``
        printed exactly one of ``words`` (constants, like ``running``)."""
        if not isinstance(label, str) or not _LABEL.fullmatch(label) or label in self._labels:
            raise ValueError(f"step label {label!r} must be new, lower case and short")
        if not isinstance(script, Script):
            raise TypeError(f"a step is a Script, not {type(script).__name__}")
        skip = None
        if unless is not None:
            earlier, words = unless
            if earlier not in self._labels:
                raise ValueError(f"unless names {earlier!r}, which is no earlier step")
            skip = (self._labels[earlier], tuple(_word(w) for w in words))
            if not skip[1]:
                raise ValueError("unless needs at least one word")
        self._labels[label] = len(self._steps)
        self._steps.append((label, script, skip))
        return self

    def render(self) -> str:
        parts = []
        for index, (label, script, skip) in enumerate(self._steps):
            # ``$?`` is expanded before printf runs: the status of the captured step.
            step = (
                f"_s{index}=$( {{ {script._render_at(_LIST)} ; }} 2>&1 ); "
                f'printf \'%s\\n%s %s %s\\n\' "$_s{index}" {self.marker} {label} "$?"'
            )
            if skip is not None:
                earlier, words = skip
                pattern = "|".join(shlex.quote(w) for w in words)
                step = f'case "$_s{earlier}" in {pattern}) ;; *) {step} ;; esac'
            parts.append(step)
        if not parts:
            raise ValueError("Steps has no step")
        return "; ".join(parts)

    def read(self, stdout: str) -> dict[str, StepResult]:
        """Each step's result, from the script's stdout."""
        line = re.compile(rf"^{re.escape(self.marker)} ([a-z0-9_]+) (\d+)$", re.MULTILINE)
        results: dict[str, StepResult] = {}
        start = 0
        for match in line.finditer(stdout):
            body = stdout[start : match.start()]
            # printf wrote one newline after the (already stripped) output.
            results[match.group(1)] = StepResult(body[:-1], int(match.group(2)))
            start = match.end() + 1
        return results


class _WaitWhile(Script):
    def __init__(self, condition: Script, tries: int, every: str) -> None:
        self._condition = condition
        self._tries = tries
        self._every = every

    def render(self) -> str:
        # A compound command: the status is 0 once the condition stopped holding, 1
        # when the tries ran out first.
        condition = self._condition._render_at(_SIMPLE)
        return (
            f"{{ _w=0; while {condition} > /dev/null 2>&1; do "
            f'if [ "$_w" -ge {self._tries} ]; then _w=-1; break; fi; '
            f'_w=$((_w + 1)); sleep {self._every}; done; [ "$_w" -ge 0 ]; }}'
        )


def wait_while(condition: Script, *, within_s: float, every_s: float) -> Script:
    """Run ``condition`` every ``every_s`` seconds while it succeeds, at most about
    ``within_s`` seconds, in the node's shell (no round trip per try). Exits 0 once
    the condition failed (``kill -0 <pid>``: the process is gone), 1 if it still held."""
    if not isinstance(condition, Script):
        raise TypeError("the condition is a Script")
    if not (0 < every_s <= within_s) or not math.isfinite(within_s):
        raise ValueError("wait_while needs 0 < every_s <= within_s, both finite")
    every = _word(f"{every_s:g}")
    return _WaitWhile(condition, max(1, math.ceil(within_s / every_s)), every)
