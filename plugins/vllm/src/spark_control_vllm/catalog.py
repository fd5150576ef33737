"""The model catalog: the shipped ``models.yaml`` merged with the user's overrides file.

Each entry says what a model is (its one source: a Hugging Face repo or a folder on the
node), how vLLM must serve it, and what it needs on each node (memory, disk). Every field
that later reaches a shell (through ``launch.py``) is checked here with the core's
allow-list validators, so a bad entry is refused when the catalog loads, not in the
middle of a swap. A bad entry is skipped with a warning naming the file, the entry and
the reason; the rest of the catalog loads.

Overrides file format (the same as the shipped one)::

    models:
      - id: my-model            # replaces a shipped entry of that id whole, or adds one
        display_name: ...
        hf_repo: org/name
        memory_gb: 40
      - id: gpt-oss-20b         # hides a shipped entry
        remove: true

Models added from the API (``add_local``) are written to the overrides file, which is
rewritten atomically; comments in it are not kept.
"""

from __future__ import annotations

import logging
import math
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from spark_control.api import InvalidValue, SparkError
from spark_control.api import validators as v

__all__ = [
    "QUANTIZATIONS",
    "SHIPPED_CATALOG",
    "VLLM_FLAGS",
    "Catalog",
    "CatalogEntry",
    "UnknownModel",
]

log = logging.getLogger(__name__)

SHIPPED_CATALOG: Final = Path(__file__).with_name("models.yaml")

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_WORD = re.compile(r"[a-z0-9_]+")
_TAG = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")

#: ``--quantization`` values vLLM knows and that make sense on a GB10 (Blackwell) node.
QUANTIZATIONS: Final = frozenset(
    {
        "awq",
        "awq_marlin",
        "bitsandbytes",
        "compressed-tensors",
        "fp8",
        "gguf",
        "gptq",
        "gptq_marlin",
        "modelopt",
        "modelopt_fp4",
        "mxfp4",
    }
)

#: The vLLM flags an entry may add through ``extra_args``: ``"switch"`` flags take no
#: value, ``"value"`` flags must be written ``--flag=value``. Everything else is refused:
#: the fields of the entry own --model/--served-model-name/--tensor-parallel-size/
#: --max-model-len/--gpu-memory-utilization/--quantization/--tool-call-parser/
#: --reasoning-parser/--chat-template; the swap owns --host/--port; the launcher owns
#: --distributed-executor-backend/--nnodes/--node-rank/--master-addr/--master-port/
#: --headless and parses the parallelism flags to pick its nodes; and flags that would
#: put a secret on a command line (--api-key) or open files to clients
#: (--allowed-local-media-path) have no place in a catalog.
VLLM_FLAGS: Final[Mapping[str, Literal["switch", "value"]]] = {
    "--async-scheduling": "switch",
    "--block-size": "value",
    "--cpu-offload-gb": "value",
    "--disable-cascade-attn": "switch",
    "--dtype": "value",
    "--enable-chunked-prefill": "switch",
    "--enable-expert-parallel": "switch",
    "--enable-prefix-caching": "switch",
    "--enforce-eager": "switch",
    "--generation-config": "value",
    "--kv-cache-dtype": "value",
    "--load-format": "value",
    "--mamba-ssm-cache-dtype": "value",
    "--max-logprobs": "value",
    "--max-num-batched-tokens": "value",
    "--max-num-seqs": "value",
    "--no-enable-chunked-prefill": "switch",
    "--no-enable-prefix-caching": "switch",
    "--revision": "value",
    "--seed": "value",
    "--swap-space": "value",
    "--tokenizer-mode": "value",
    "--trust-remote-code": "switch",
}

# Secrets come from the Hugging Face token file (a 0600 file on the node), never from YAML.
_SECRET_ENV: Final = frozenset({"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"})


def _core(check: Callable[[Any, str], object], raw: object, field: str) -> Any:
    """Run a core validator inside a pydantic validator: its ``InvalidValue`` is not a
    ``ValueError``, so pydantic would let it escape instead of naming the field."""
    try:
        return check(raw, field)
    except InvalidValue as exc:
        raise ValueError(exc.reason) from None


def _reject_bool(raw: object) -> object:
    # YAML's `yes`/`true` would otherwise pass as 1 wherever a number is expected.
    if isinstance(raw, bool):
        raise ValueError("must be a number, not a boolean")
    return raw


class UnknownModel(SparkError, KeyError):
    """No catalog entry has this id (a 404; also a ``KeyError`` for plain lookups)."""

    status = 404
    type = "unknown_model"

    def __init__(self, model_id: str) -> None:
        # Explicit: with KeyError in the bases, super() would be ambiguous to type checkers.
        SparkError.__init__(
            self, f"no model {model_id!r} in the catalog", detail={"model": model_id}
        )
        self.model_id = model_id

    def __str__(self) -> str:
        return self.message


class CatalogEntry(BaseModel):
    """One model the cluster can serve."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Slug used as the model's one name in every API body.")
    display_name: str = Field(min_length=1, max_length=120)
    hf_repo: str | None = Field(None, description="Hugging Face repo id (org/name).")
    local_path: str | None = Field(
        None, description="Absolute model folder on the node(s), bind-mounted at the same path."
    )
    served_model_name: str | None = Field(
        None, description="Name vLLM serves under (default: hf_repo, or the id for local models)."
    )
    tensor_parallel_size: Literal[1, 2] = Field(1, description="2 uses both Sparks.")
    max_model_len: int | None = Field(None, gt=0, le=10_000_000)
    gpu_memory_utilization: float | None = Field(None, gt=0, le=0.95)
    quantization: str | None = None
    tool_call_parser: str | None = None
    reasoning_parser: str | None = None
    chat_template: str | None = Field(
        None,
        description="Absolute path; for local models inside the model folder, otherwise a "
        "path inside the container.",
    )
    extra_args: tuple[str, ...] = Field((), description="Allow-listed vLLM flags (VLLM_FLAGS).")
    env: dict[str, str] = Field(default_factory=dict, description="Container environment.")
    tags: tuple[str, ...] = ()
    memory_gb: float = Field(gt=0, le=1024, description="Memory needed on each node (GB).")
    disk_gb: float | None = Field(None, ge=0, le=100_000, description="Download size (GB).")

    @field_validator("id")
    @classmethod
    def _check_id(cls, raw: str) -> str:
        if not _ID.fullmatch(raw):
            raise ValueError(
                "must be a slug: a lower-case letter or digit, then up to 63 of a-z 0-9 . _ -"
            )
        return raw

    @field_validator("display_name")
    @classmethod
    def _check_display_name(cls, raw: str) -> str:
        if not raw.isprintable() or not raw.strip():
            raise ValueError("must be one printable line")
        return raw

    @field_validator("hf_repo", "served_model_name")
    @classmethod
    def _check_model_id(cls, raw: str | None) -> str | None:
        return None if raw is None else _core(v.validate_model_id, raw, "model id")

    @field_validator("local_path", "chat_template")
    @classmethod
    def _check_path(cls, raw: str | None) -> str | None:
        return None if raw is None else _core(v.validate_absolute_path, raw, "path")

    @field_validator(
        "max_model_len", "gpu_memory_utilization", "memory_gb", "disk_gb", mode="before"
    )
    @classmethod
    def _check_number(cls, raw: object) -> object:
        raw = _reject_bool(raw)
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ValueError("must be a finite number")
        return raw

    @field_validator("quantization")
    @classmethod
    def _check_quantization(cls, raw: str | None) -> str | None:
        if raw is not None and raw not in QUANTIZATIONS:
            raise ValueError(f"{raw[:40]!r} is not one of {', '.join(sorted(QUANTIZATIONS))}")
        return raw

    @field_validator("tool_call_parser", "reasoning_parser")
    @classmethod
    def _check_word(cls, raw: str | None) -> str | None:
        if raw is not None and not (_WORD.fullmatch(raw) and len(raw) <= 64):
            raise ValueError("must be a word of a-z, 0-9 and '_'")
        return raw

    @field_validator("extra_args")
    @classmethod
    def _check_extra_args(cls, raw: tuple[str, ...]) -> tuple[str, ...]:
        flags = _core(v.validate_extra_flags, raw, "extra_args")
        seen: set[str] = set()
        for index, flag in enumerate(flags):
            name, has_value, _ = flag.partition("=")
            kind = VLLM_FLAGS.get(name)
            if kind is None:
                raise ValueError(f"[{index}] {name} is not an allowed vLLM flag")
            if kind == "switch" and has_value:
                raise ValueError(f"[{index}] {name} takes no value")
            if kind == "value" and not has_value:
                raise ValueError(f"[{index}] {name} needs a value: {name}=...")
            if name in seen:
                raise ValueError(f"[{index}] {name} is given twice")
            seen.add(name)
        return tuple(flags)

    @field_validator("env")
    @classmethod
    def _check_env(cls, raw: dict[str, str]) -> dict[str, str]:
        for name, val in raw.items():
            _core(v.validate_env_name, name, "env")
            if name in _SECRET_ENV:
                raise ValueError(f"{name} is a secret: set the Hugging Face token in the settings")
            # The launcher pastes `-e NAME=value` into a string it re-splits unquoted.
            try:
                v.validate_unsplittable_value(val, f"env.{name}")
            except InvalidValue as exc:
                raise ValueError(f"{name}: {exc.reason}") from None
        return raw

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, raw: tuple[str, ...]) -> tuple[str, ...]:
        for tag in raw:
            if not _TAG.fullmatch(tag):
                raise ValueError(f"tag {tag[:40]!r} is not a short slug (a-z 0-9 . _ -)")
        return raw

    @model_validator(mode="after")
    def _check_source(self) -> CatalogEntry:
        if (self.hf_repo is None) == (self.local_path is None):
            raise ValueError("needs exactly one source: hf_repo or local_path")
        # The folder is the only thing bind-mounted into the container.
        if (
            self.chat_template is not None
            and self.local_path is not None
            and not self.chat_template.startswith(self.local_path + "/")
        ):
            raise ValueError("chat_template must be inside the local model folder")
        return self

    @property
    def is_local(self) -> bool:
        return self.local_path is not None

    @property
    def source(self) -> str:
        """What ``vllm serve`` is given: the repo id or the local folder."""
        source = self.hf_repo if self.hf_repo is not None else self.local_path
        assert source is not None  # guaranteed by _check_source
        return source

    @property
    def served_name(self) -> str:
        """The name clients use in ``model`` (vLLM's ``--served-model-name``)."""
        if self.served_model_name is not None:
            return self.served_model_name
        return self.hf_repo if self.hf_repo is not None else self.id

    def spark_model(self) -> dict[str, str]:
        """This entry in the shape of the ``spark_models`` hook."""
        return {"id": self.id, "served_name": self.served_name}


@dataclass(frozen=True)
class _Parsed:
    entries: list[CatalogEntry]
    removed: list[str]
    warnings: list[str]


def _describe_error(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _read_yaml(path: Path) -> tuple[object, str | None]:
    """The document in ``path``, or a warning that names the line YAML choked on."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, f"{path}: cannot be read ({exc.strerror or exc})"
    except UnicodeDecodeError:
        return None, f"{path}: is not UTF-8 text"
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return None, f"{path}: not valid YAML{where}: {problem}"


def _parse(path: Path, *, allow_remove: bool) -> _Parsed:
    """The valid entries of one file; everything else becomes a warning."""
    document, problem = _read_yaml(path)
    if problem is not None:
        return _Parsed([], [], [problem])
    if document is None:
        return _Parsed([], [], [])
    if not isinstance(document, dict) or not isinstance(document.get("models", []), list):
        return _Parsed([], [], [f"{path}: expected a mapping with a 'models' list"])
    parsed = _Parsed(
        [],
        [],
        [
            f"{path}: unknown top-level key {str(key)[:40]!r} ignored"
            for key in document
            if key != "models"
        ],
    )
    seen: set[str] = set()
    for index, raw in enumerate(document.get("models") or []):
        problem = _parse_entry(raw, parsed, seen, allow_remove=allow_remove)
        if problem is not None:
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            label = f"models[{index}]" + (
                f" (id {str(raw_id)[:64]!r})" if raw_id is not None else ""
            )
            parsed.warnings.append(f"{path}: {label}: skipped: {problem}")
    return parsed


def _parse_entry(raw: object, parsed: _Parsed, seen: set[str], *, allow_remove: bool) -> str | None:
    """Add one ``models`` item to ``parsed``; why it was skipped, or None."""
    if not isinstance(raw, dict):
        return "an entry must be a mapping"
    if raw.get("remove") is True:
        if not allow_remove:
            return "'remove' only works in overrides"
        if set(raw) != {"id", "remove"} or not isinstance(raw.get("id"), str):
            return "a removal has only 'id' and 'remove'"
        parsed.removed.append(raw["id"])
        return None
    try:
        entry = CatalogEntry.model_validate(raw)
    except ValidationError as exc:
        return _describe_error(exc)
    if entry.id in seen:
        return f"id {entry.id!r} appears twice"
    seen.add(entry.id)
    parsed.entries.append(entry)
    return None


def _write_atomically(path: Path, document: object) -> None:
    """Replace ``path`` in one step, so a crash never leaves half a catalog."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Catalog:
    """The merged catalog; build it with ``Catalog.load``."""

    def __init__(
        self,
        entries: Iterable[CatalogEntry],
        *,
        warnings: Iterable[str] = (),
        shipped_ids: Iterable[str] = (),
        overrides: Path | None = None,
    ) -> None:
        self._entries: dict[str, CatalogEntry] = {e.id: e for e in entries}
        self.warnings: list[str] = list(warnings)
        self._shipped_ids = frozenset(shipped_ids)
        self.overrides = overrides
        self._lock = threading.Lock()

    @classmethod
    def load(cls, shipped: Path = SHIPPED_CATALOG, overrides: Path | None = None) -> Catalog:
        """Shipped entries, then the overrides merged by id; never raises for bad content."""
        base = _parse(shipped, allow_remove=False)
        merged = {e.id: e for e in base.entries}
        warnings = list(base.warnings)
        if overrides is not None and overrides.exists():
            extra = _parse(overrides, allow_remove=True)
            warnings.extend(extra.warnings)
            for model_id in extra.removed:
                if merged.pop(model_id, None) is None:
                    warnings.append(f"{overrides}: remove of unknown id {model_id!r} ignored")
            for entry in extra.entries:
                merged[entry.id] = entry  # replaces a shipped entry whole, or adds one
        for warning in warnings:
            log.warning("catalog: %s", warning)
        return cls(
            merged.values(),
            warnings=warnings,
            shipped_ids=(e.id for e in base.entries),
            overrides=overrides,
        )

    def entries(self) -> list[CatalogEntry]:
        return list(self._entries.values())

    def get(self, model_id: str) -> CatalogEntry:
        try:
            return self._entries[model_id]
        except KeyError:
            raise UnknownModel(model_id) from None

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def spark_models(self) -> list[dict[str, str]]:
        """Every entry in the shape of the ``spark_models`` hook."""
        return [e.spark_model() for e in self._entries.values()]

    def by_served_name(self, served_name: str) -> CatalogEntry | None:
        return next((e for e in self._entries.values() if e.served_name == served_name), None)

    # -- models added from the API ------------------------------------------------------

    def _overrides_path(self) -> Path:
        if self.overrides is None:
            raise SparkError(
                "no catalog overrides file is configured (vllm.catalog_overrides)",
                status=409,
                type="conflict",
            )
        return self.overrides

    def _read_overrides(self, path: Path) -> list[Any]:
        if not path.exists():
            return []
        document, problem = _read_yaml(path)
        if problem is not None or not (document is None or isinstance(document, dict)):
            # Rewriting would throw away what the user wrote: refuse instead.
            raise SparkError(
                f"the overrides file cannot be updated: {problem or 'not a mapping'}",
                status=409,
                type="conflict",
            )
        models = (document or {}).get("models") or []
        if not isinstance(models, list):
            raise SparkError("the overrides file's 'models' is not a list", status=409)
        return list(models)

    def add_local(self, entry: CatalogEntry, *, replace: bool = False) -> CatalogEntry:
        """Add a local model (``local_path`` source) and persist it to the overrides file.

        Blocking file I/O: call it through ``host.run_blocking``. The caller checks the
        folder on the node first; this only keeps the catalog and the file in step.
        """
        if not entry.is_local:
            raise InvalidValue("local_path", "models added from the API must be local models")
        path = self._overrides_path()
        with self._lock:
            if entry.id in self._shipped_ids:
                raise SparkError(
                    f"{entry.id!r} is a shipped model; choose another id",
                    status=409,
                    type="conflict",
                )
            if entry.id in self._entries and not replace:
                raise SparkError(f"{entry.id!r} already exists", status=409, type="conflict")
            models = [m for m in self._read_overrides(path) if _raw_id(m) != entry.id]
            models.append(entry.model_dump(mode="json", exclude_defaults=True))
            _write_atomically(path, {"models": models})
            self._entries[entry.id] = entry
        return entry

    def remove_local(self, model_id: str) -> CatalogEntry:
        """Remove a local model added to the overrides file; shipped models stay."""
        path = self._overrides_path()
        with self._lock:
            entry = self.get(model_id)
            if not entry.is_local or model_id in self._shipped_ids:
                raise SparkError(
                    f"{model_id!r} is not a local model from the overrides file",
                    status=409,
                    type="conflict",
                )
            models = [m for m in self._read_overrides(path) if _raw_id(m) != model_id]
            _write_atomically(path, {"models": models})
            del self._entries[model_id]
        return entry


def _raw_id(raw: object) -> object:
    return raw.get("id") if isinstance(raw, dict) else None
