"""The docs show the current API paths: no code example or reference in docs/*.md,
README.md, bench/README.md or the StartOS docs names a deprecated alias (one of the
plugins' ``*ALIASES`` maps), except the tables and sentences that document the aliases
themselves. A user copying an example gets ``Deprecation: true`` otherwise."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]

# Every module that declares route aliases (``grep -rn ALIASES plugins/*/src``).
ALIAS_MODULES = [
    "spark_control_coordination.lock_routes",
    "spark_control_coordination.schedule_routes",
    "spark_control_coordination.webhook_routes",
    "spark_control_embeddings.routes",
    "spark_control_matrix_bridge.routes",
    "spark_control_redaction.proxy",
    "spark_control_redaction.routes",
    "spark_control_speech.routes",
    "spark_control_vllm.disk_routes",
    "spark_control_vllm.routes",
]

# A path in prose or code: from a "/" up to a space, quote, backtick, "?" or ")".
PATH = re.compile(r"/[\w{}.\-/]+")


def aliases() -> dict[str, str]:
    """Old path: current path, from the plugins' own maps."""
    found: dict[str, str] = {}
    for name in ALIAS_MODULES:
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if attribute.endswith("ALIASES") and isinstance(value, dict):
                found.update({k: v for k, v in value.items() if k.startswith("/")})
    return found


def pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)))


def documents() -> list[Path]:
    return [
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "README.md",
        ROOT / "bench" / "README.md",
        *sorted((ROOT / "startos").glob("**/*.md")),
    ]


def documenting_aliases(lines: list[str]) -> set[int]:
    """Line numbers that document the aliases on purpose: a paragraph saying
    'deprecated' or 'alias', and the table right after such a paragraph."""
    kept: set[int] = set()
    intro = False
    block: list[int] = []
    for number, line in enumerate([*lines, ""]):
        if line.strip():
            block.append(number)
            continue
        if block:
            text = " ".join(lines[n] for n in block).lower()
            table = lines[block[0]].startswith("|")
            if "deprecat" in text or "alias" in text or (table and intro):
                kept.update(block)
            intro = not table and ("deprecat" in text or "alias" in text)
        block = []
    return kept


def deprecated_uses(text: str, old: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    """'line: path (alias of template)' for each old path the text shows."""
    current = set(aliases().values())
    lines = text.splitlines()
    kept = documenting_aliases(lines)
    found = []
    for number, line in enumerate(lines):
        if number in kept:
            continue
        for path in PATH.findall(line):
            path = path.rstrip("./")
            # The path itself, or a prefix only old paths have (a client's base URL).
            match = next((t for t, regex in old if regex.fullmatch(path)), None) or next(
                (
                    t
                    for t, _ in old
                    if t.startswith(path + "/")
                    and not any(new.startswith(path + "/") for new in current)
                ),
                None,
            )
            if match is not None:
                found.append(f"{number + 1}: {path} (alias of {match})")
    return found


def test_the_alias_maps_are_found() -> None:
    # The check below is only as good as this list: it must hold the known old paths.
    old = aliases()
    assert old["/api/swap"] == "/api/vllm/swap"
    assert old["/api/swap/lock"] == "/api/coordination/lock"
    assert old["/api/embed"] == "/api/embeddings/embed"
    assert old["/api/redact/v1/chat/completions"] == "/api/redaction/v1/chat/completions"
    assert old["/api/tts/voices"] == "/api/speech/tts/voices"
    assert "/api/matrix-bridge/{bot}/status" in old


def test_the_check_finds_an_old_path_and_spares_the_alias_tables() -> None:
    old = [(t, pattern(t)) for t in aliases()]
    example = "```sh\ncurl -s http://<gateway>:9999/api/collections/notes/search -d '{}'\n```\n"
    assert deprecated_uses(example, old) == [
        "2: /api/collections/notes/search (alias of /api/collections/{name}/search)"
    ]
    table = "Every old path is a deprecated alias:\n\n| old | new |\n| `/api/embed` | `x` |\n"
    assert deprecated_uses(table, old) == []
    base = 'OpenAI(base_url="http://<gateway>:9999/api/redact/v1")\n'
    assert deprecated_uses(base, old) == [
        "1: /api/redact/v1 (alias of /api/redact/v1/chat/completions)"
    ]
    assert deprecated_uses('OpenAI(base_url="http://<gateway>:9999/api/redaction/v1")', old) == []


def test_no_doc_shows_a_deprecated_path() -> None:
    old = [(t, pattern(t)) for t in aliases()]
    problems = {
        str(doc.relative_to(ROOT)): uses
        for doc in documents()
        if (uses := deprecated_uses(doc.read_text(encoding="utf-8"), old))
    }
    assert problems == {}, "use the current path (docs/PLUGINS.md 'URL space by owner')"
