"""Local models added from the API: the request, the checks on the node, removal rules.

A local model is a folder on the node (a fine-tune, a converted checkpoint) that vLLM
serves from disk instead of downloading from Hugging Face. ``POST /api/vllm/models`` takes a
``LocalModelRequest`` (a catalog entry whose source must be ``local_path``) and, before
the catalog's ``add_local`` writes it to the overrides file, checks over SSH that:

- the folder is a directory on the head node (and, for a two-node model, on each worker
  node too, where the launcher mounts it as well) and holds a ``config.json``;
- its real path (``cd <folder> && pwd -P``: symlinks resolved) lies inside the real path
  of one of ``vllm.local_model_roots`` (each resolved the same way on the node, so
  ``~/models`` means the SSH user's home there and a symlink out of a root is caught);
- a ``chat_template``, if given, is a file whose real path (``realpath``) lies inside the
  folder's: only the folder is bind-mounted into the container.

``launch.py`` bind-mounts the folder read-only at the same path through
``VLLM_SPARK_EXTRA_DOCKER_ARGS``, so the paths mean the same inside the container.

Every command comes from the core builder: the folder and template passed the
absolute-path validator when the request was parsed and pass it again here; the roots
come from the settings and go through ``node_path``. Removing a local model
(``DELETE /api/vllm/models/{id}``) only edits the catalog; the folder stays on disk.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from spark_control.api import InvalidValue, RemoteCommand, Script, SparkError, arg
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog, CatalogEntry
from spark_control_vllm.launch import node_path

if TYPE_CHECKING:
    from spark_control.api import CommandResult, Host, Node
    from spark_control_vllm.settings import VllmSettings

__all__ = [
    "ADD_ACTION",
    "REMOVE_ACTION",
    "LocalModelRequest",
    "NodeFolder",
    "check_local_model",
    "check_removable",
    "folder_command",
    "root_command",
    "shipped_ids",
    "template_command",
]

ADD_ACTION: Final = "vllm.model_add"
REMOVE_ACTION: Final = "vllm.model_remove"
CONFIG_FILE: Final = "config.json"
# Messages are parsed: keep them in English whatever the node's locale.
_C_LOCALE: Final = {"LC_ALL": "C"}
_NOT_FOUND: Final = 127

_EXAMPLE: Final[dict[str, Any]] = {
    "id": "my-finetune",
    "display_name": "My fine-tune (Llama 3.1 8B)",
    "local_path": "/home/alice/models/my-finetune",
    "served_model_name": "alice/my-finetune",
    "chat_template": "/home/alice/models/my-finetune/chat_template.jinja",
    "max_model_len": 32768,
    "gpu_memory_utilization": 0.3,
    "memory_gb": 40,
}


class LocalModelRequest(CatalogEntry):
    """A catalog entry served from a folder on the node (``POST /api/vllm/models``).

    Every field and check of ``CatalogEntry`` applies; ``local_path`` is required and
    ``hf_repo`` is refused. Errors name the field.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    local_path: str = Field(
        description="Absolute model folder on the head node (with config.json), inside one "
        "of vllm.local_model_roots; bind-mounted at the same path in the container."
    )
    hf_repo: None = Field(
        None, description="Not accepted here: models added from the API are local."
    )

    @field_validator("hf_repo", mode="before")
    @classmethod
    def _local_only(cls, raw: object) -> object:
        if raw is not None:
            raise ValueError("models added from the API are local: give local_path, not hf_repo")
        return raw

    @field_validator("chat_template")
    @classmethod
    def _template_inside(cls, raw: str | None, info: ValidationInfo) -> str | None:
        # Also checked by the entry as a whole; here the error names the field.
        folder = info.data.get("local_path")
        if raw is not None and isinstance(folder, str) and not raw.startswith(folder + "/"):
            raise ValueError(f"must be a file inside the model folder {folder}")
        return raw

    def entry(self) -> CatalogEntry:
        """The plain catalog entry (what the overrides file and the catalog keep)."""
        return CatalogEntry.model_validate(self.model_dump(exclude_defaults=True))


@functools.cache
def shipped_ids() -> frozenset[str]:
    """The ids of the shipped catalog (never removed from the API; read once)."""
    return frozenset(e.id for e in Catalog.load(SHIPPED_CATALOG).entries())


# -- commands ---------------------------------------------------------------------------


def _from_home(command: Script) -> Script:
    """``cd && command``: a bare ``cd`` goes to the login home, where ``~/`` points."""
    return RemoteCommand("cd").and_then(command)


def root_command(root: str) -> Script:
    """Prints the real path of a root (``~``, ``~/relative`` or absolute) on the node."""
    text = root.rstrip("/") or root
    pwd = RemoteCommand("pwd", "-P")
    if text == "~":
        return _from_home(pwd)
    return _from_home(RemoteCommand("cd", node_path(text, "local_model_roots")).and_then(pwd))


def folder_command(path: str) -> Script:
    """Prints the real path of the folder; fails when it is not a directory."""
    return RemoteCommand("cd", arg.path(path, "local_path")).and_then(RemoteCommand("pwd", "-P"))


def config_command(path: str) -> Script:
    """Succeeds when the folder holds a ``config.json`` file."""
    return RemoteCommand("test", "-f", arg.path(f"{path}/{CONFIG_FILE}", "local_path"))


def template_command(path: str) -> Script:
    """Prints the real path of the chat template; fails when it is not a file."""
    template = arg.path(path, "chat_template")
    return RemoteCommand("test", "-f", template).and_then(
        RemoteCommand("realpath", template, env=_C_LOCALE)
    )


# -- the checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeFolder:
    """What the checks found on one node."""

    node: str
    real_path: str
    root: str | None = None
    chat_template: str | None = None


def _refused(field: str, reason: str, node: Node, **detail: Any) -> InvalidValue:
    error = InvalidValue(field, reason)
    error.detail = {"field": field, "node": node.name, **detail}
    return error


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def _first_line(result: CommandResult) -> str:
    return (result.stdout.strip().splitlines() or [""])[0]


def _missing_tool(result: CommandResult, tool: str, node: Node) -> SparkError | None:
    if result.exit_status == _NOT_FOUND or f"{tool}: not found" in result.stderr:
        return SparkError(
            f"{tool} is not installed on {node.name}; the local model cannot be checked",
            status=503,
            type="command_failed",
            detail={"node": node.name},
        )
    return None


async def _folder_on(host: Host, node: Node, path: str) -> str:
    """The folder's real path on ``node``, after checking it holds a ``config.json``."""
    found, config = await asyncio.gather(
        host.ssh.run(node, folder_command(path), observe=True),
        host.ssh.run(node, config_command(path), observe=True),
    )
    real = _first_line(found)
    if not found.ok or not real.startswith("/"):
        raise _refused(
            "local_path", f"{path} is not a directory on {node.name} (or cannot be read)", node
        )
    if not config.ok:
        raise _refused(
            "local_path",
            f"{path} on {node.name} has no {CONFIG_FILE}: point at the folder of a Hugging "
            "Face model (the one holding config.json and the weights)",
            node,
        )
    return real


async def _real_roots(host: Host, node: Node, roots: Sequence[str]) -> dict[str, str]:
    """Each root that exists on ``node`` → its real path (roots that do not are left out)."""
    # Every root passed the same check when the settings loaded (a bad one is a config
    # error there), so none is skipped here.
    commands = {root: root_command(root) for root in dict.fromkeys(roots)}
    results = await asyncio.gather(
        *(host.ssh.run(node, c, observe=True) for c in commands.values())
    )
    resolved: dict[str, str] = {}
    for root, result in zip(commands, results, strict=True):
        real = _first_line(result)
        if result.ok and real.startswith("/"):
            resolved[root] = real
    return resolved


async def check_local_model(
    host: Host, settings: VllmSettings, entry: CatalogEntry
) -> list[NodeFolder]:
    """Check ``entry``'s folder (and chat template) on the nodes that will serve it.

    Raises ``InvalidValue`` (422, ``detail.field`` and ``detail.node``) for what the
    request got wrong, ``SSHUnreachable`` (503) when a node cannot be asked.
    """
    path = entry.local_path
    if path is None:
        raise InvalidValue("local_path", "a local model needs local_path")
    nodes = host.topology.nodes
    if settings.head_node not in nodes:
        raise SparkError(
            f"head node {settings.head_node!r} is not in the topology; set vllm.head_node",
            status=503,
            type="unavailable",
        )
    head = nodes[settings.head_node]
    if not settings.local_model_roots:
        raise _refused(
            "local_path", "no folder may hold local models: vllm.local_model_roots is empty", head
        )

    template_run = (
        host.ssh.run(head, template_command(entry.chat_template), observe=True)
        if entry.chat_template is not None
        else None
    )
    real, roots, template = await asyncio.gather(
        _folder_on(host, head, path),
        _real_roots(host, head, settings.local_model_roots),
        template_run if template_run is not None else _nothing(),
    )
    root = next((r for r, real_root in roots.items() if _inside(real, real_root)), None)
    if root is None:
        where = ", ".join(
            f"{r} ({roots[r]})" if r in roots else f"{r} (absent)"
            for r in dict.fromkeys(settings.local_model_roots)
        )
        raise _refused(
            "local_path",
            f"{path} (really {real}) is not inside a local model root on {head.name}: "
            f"{where}; move the model there or add its folder to vllm.local_model_roots",
            head,
            real_path=real,
        )
    real_template: str | None = None
    if entry.chat_template is not None and template is not None:
        problem = _missing_tool(template, "realpath", head)
        if problem is not None:
            raise problem
        real_template = _first_line(template)
        if not template.ok or not real_template.startswith("/"):
            raise _refused(
                "chat_template", f"{entry.chat_template} is not a file on {head.name}", head
            )
        if not _inside(real_template, real):
            raise _refused(
                "chat_template",
                f"{entry.chat_template} resolves to {real_template}, outside the model folder "
                f"{real}: only the model folder is mounted into the container",
                head,
            )
    found = [NodeFolder(head.name, real, root, real_template)]
    if entry.tensor_parallel_size == 2:
        # The launcher mounts the folder on the worker too, at the same path.
        workers = [
            nodes[w]
            for w in dict.fromkeys(settings.worker_nodes)
            if w in nodes and w != settings.head_node
        ]
        reals = await asyncio.gather(*(_folder_on(host, w, path) for w in workers))
        found += [NodeFolder(w.name, r) for w, r in zip(workers, reals, strict=True)]
    return found


async def _nothing() -> None:
    return None


# -- removal ----------------------------------------------------------------------------


def check_removable(entry: CatalogEntry, *, busy: Sequence[str | None]) -> None:
    """Refuse removing a model that is not a local one from the API (422) or that the
    cluster is running, loading or could roll back to (409, ``busy``)."""
    if entry.id in shipped_ids():
        raise SparkError(
            f"{entry.id} is a shipped model and cannot be removed from the API; to hide it, "
            f"add '- {{id: {entry.id}, remove: true}}' to the overrides file "
            "(vllm.catalog_overrides)",
            status=422,
            type="invalid_value",
            detail={"field": "model_id", "model": entry.id},
        )
    if not entry.is_local:
        raise SparkError(
            f"{entry.id} is not a local model; it comes from the overrides file "
            "(vllm.catalog_overrides): edit that file to change or remove it",
            status=422,
            type="invalid_value",
            detail={"field": "model_id", "model": entry.id},
        )
    if entry.id in busy:
        raise SparkError(
            f"{entry.id} is in use by vLLM (running, being loaded, or the model a running "
            "swap would roll back to): swap to another model or stop vLLM first",
            status=409,
            type="conflict",
            detail={"model": entry.id},
        )
