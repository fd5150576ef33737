"""Models in each node's Hugging Face cache: what is there, how big, and deleting one.

vLLM (through spark-vllm-docker, which mounts ``~/.cache/huggingface`` into its
container) downloads a repo ``ORG/NAME`` into ``~/.cache/huggingface/hub/models--ORG--NAME``.
Listing walks those folders with ``du``; deleting removes the one folder of a catalog
entry's repo. Every command comes from the core builder and holds no value from a
request: the listing is constants only, and a deleted folder's name is derived from the
entry's ``hf_repo``, which passed the model-id validator when the catalog loaded and
passes it again here.

Commands start with a bare ``cd`` (to the login home) so ``~/``-relative paths mean the
same whatever directory the SSH session starts in.

Deleting is refused for local models (their folders belong to the user, not to the
cache) and for the model that is running (or any entry sharing its repo, since both
read the same folder).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel, Field

from spark_control.api import InvalidValue, RemoteCommand, Script, SparkError, const
from spark_control.api import validators as v
from spark_control_vllm.catalog import Catalog, CatalogEntry
from spark_control_vllm.launch import node_path

if TYPE_CHECKING:
    from spark_control.api import CommandResult, Host, Node
    from spark_control_vllm.settings import VllmSettings

__all__ = [
    "HF_HUB_DIR",
    "CachedModel",
    "DeleteRefused",
    "NodeDeletion",
    "cache_folder",
    "check_deletable",
    "delete_cached",
    "delete_command",
    "list_cached",
    "list_command",
    "list_nodes",
    "parse_listing",
    "repo_of_folder",
    "vllm_nodes",
]

log = logging.getLogger(__name__)

#: The Hugging Face hub cache on a node, as spark-vllm-docker mounts it.
HF_HUB_DIR: Final = "~/.cache/huggingface/hub"
_PREFIX: Final = "models--"
# `du -s -b` prints "<bytes>\t<path>" per argument.
_DU_RECORD: Final = re.compile(r"(\d+)\t(.+)", re.S)
# Messages are parsed: keep them in English whatever the node's locale.
_C_LOCALE: Final = {"LC_ALL": "C"}


class CachedModel(BaseModel):
    """One model folder in a node's Hugging Face cache."""

    repo: str = Field(description="Hugging Face repo id.", examples=["example-org/example-model"])
    path: str = Field(
        description="The folder on the node.",
        examples=["~/.cache/huggingface/hub/models--example-org--example-model"],
    )
    size_bytes: int = Field(ge=0, description="Apparent size of the folder (du -sb).")
    catalog_ids: list[str] = Field(
        description="Catalog entries served from this repo (empty: not in the catalog).",
        examples=[["example-model"]],
    )


class NodeDeletion(BaseModel):
    """What deleting a model's cache folder did on one node."""

    deleted: bool = Field(description="The folder was there and is now gone.")
    freed_bytes: int = Field(ge=0, description="Its size before deletion (0 when absent).")
    path: str = Field(examples=["~/.cache/huggingface/hub/models--example-org--example-model"])


class DeleteRefused(SparkError):
    """A disk delete Spark Control will not do (a local model, the running model)."""

    type = "delete_refused"


# -- names ------------------------------------------------------------------------------


def cache_folder(repo: str) -> str:
    """``ORG/NAME`` → ``models--ORG--NAME`` (the repo id is validated first)."""
    checked = v.validate_model_id(repo, "hf_repo")
    # Hub repo ids never hold "--", so the mapping is reversible; refuse one that does.
    if "--" in checked:
        raise InvalidValue("hf_repo", "must not contain '--'")
    return _PREFIX + checked.replace("/", "--")


def repo_of_folder(name: str) -> str | None:
    """``models--ORG--NAME`` → ``ORG/NAME``; None for anything that is not such a folder."""
    if not name.startswith(_PREFIX):
        return None
    parts = name[len(_PREFIX) :].split("--")
    if len(parts) > 2:
        return None
    repo = "/".join(parts)
    try:
        return v.validate_model_id(repo, "folder")
    except InvalidValue:
        return None


def _hub_path(hub_dir: str, folder: str | None = None) -> str:
    path = hub_dir.rstrip("/")
    return path if folder is None else f"{path}/{folder}"


def _from_home(command: Script) -> Script:
    """``cd && command``: a bare ``cd`` goes to the login home, where ``~/`` points."""
    return RemoteCommand("cd").and_then(command)


# -- listing ----------------------------------------------------------------------------


def list_command(hub_dir: str = HF_HUB_DIR) -> Script:
    """Prints ``<bytes>\\t<path>\\0`` for each ``models--*`` folder of the hub cache."""
    find = RemoteCommand(
        "find",
        node_path(_hub_path(hub_dir), "hf_hub_dir"),
        "-mindepth",
        "1",
        "-maxdepth",
        "1",
        "-type",
        "d",
        "-name",
        const("models--*"),
        "-exec",
        "du",
        "-s",
        "-b",
        "-0",  # NUL-terminated: a folder name cannot split a record
        const("{}"),
        "+",
        env=_C_LOCALE,
    )
    return _from_home(find)


def parse_listing(
    stdout: str, catalog: Catalog | Iterable[CatalogEntry], hub_dir: str = HF_HUB_DIR
) -> list[CachedModel]:
    """The models in ``list_command``'s output, by repo; records that are not a
    well-formed model folder are skipped."""
    entries = catalog.entries() if isinstance(catalog, Catalog) else list(catalog)
    by_repo: dict[str, list[str]] = {}
    for entry in entries:
        if entry.hf_repo is not None:
            by_repo.setdefault(entry.hf_repo, []).append(entry.id)
    found: dict[str, CachedModel] = {}
    for record in stdout.split("\0"):
        match = _DU_RECORD.fullmatch(record.strip("\n"))
        if match is None:
            continue
        folder = match.group(2).rstrip("/").rsplit("/", 1)[-1]
        repo = repo_of_folder(folder)
        if repo is None:
            log.debug("hub cache: skipped %r", folder[:80])
            continue
        found[repo] = CachedModel(
            repo=repo,
            path=_hub_path(hub_dir, folder),
            size_bytes=int(match.group(1)),
            catalog_ids=sorted(by_repo.get(repo, [])),
        )
    return [found[repo] for repo in sorted(found, key=str.lower)]


def _missing(result: CommandResult) -> bool:
    return "No such file or directory" in result.stderr


async def list_cached(
    host: Host, node: Node, catalog: Catalog | Iterable[CatalogEntry], hub_dir: str = HF_HUB_DIR
) -> list[CachedModel]:
    """The models cached on ``node`` (an empty list when it has no hub cache yet)."""
    result = await host.ssh.run(node, list_command(hub_dir), observe=True)
    models = parse_listing(result.stdout, catalog, hub_dir)
    if result.ok or models:
        # du exits non-zero for one unreadable file but still prints every total.
        return models
    if _missing(result):
        return []  # nothing was ever downloaded on this node
    reason = (result.stderr.strip().splitlines() or [f"exit status {result.exit_status}"])[-1]
    raise SparkError(
        f"cannot list {hub_dir} on {node.name}: {reason[:200]}",
        status=502,
        type="command_failed",
        detail={"node": node.name},
    )


def vllm_nodes(host: Host, settings: VllmSettings) -> list[Node]:
    """The topology's nodes that run vLLM: the head node, then the workers."""
    names = [settings.head_node, *settings.worker_nodes]
    nodes = host.topology.nodes
    return [nodes[n] for n in dict.fromkeys(names) if n in nodes]


def _reason(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__


async def list_nodes(
    host: Host,
    nodes: Sequence[Node],
    catalog: Catalog | Iterable[CatalogEntry],
    hub_dir: str = HF_HUB_DIR,
) -> tuple[dict[str, list[CachedModel]], dict[str, str]]:
    """Every node's cached models, concurrently; a node that cannot answer goes to the
    second mapping with the reason, and the others are still listed."""
    entries = catalog.entries() if isinstance(catalog, Catalog) else list(catalog)
    results = await asyncio.gather(
        *(list_cached(host, node, entries, hub_dir) for node in nodes), return_exceptions=True
    )
    listed: dict[str, list[CachedModel]] = {}
    errors: dict[str, str] = {}
    for node, result in zip(nodes, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result  # cancellation and the like are not a node's problem
            errors[node.name] = _reason(result)
        else:
            listed[node.name] = result
    return listed, errors


# -- deleting ---------------------------------------------------------------------------


def check_deletable(entry: CatalogEntry, catalog: Catalog, running_model: str | None) -> str:
    """The repo whose cache folder may be deleted for ``entry``, or ``DeleteRefused``."""
    if entry.hf_repo is None:
        raise DeleteRefused(
            f"{entry.id} is a local model: local models are never deleted by Spark Control. "
            "Remove its folder on the node yourself if you no longer need it.",
            status=422,
            detail={"model": entry.id, "local_path": entry.local_path},
        )
    if running_model is not None:
        running = catalog.get(running_model) if running_model in catalog else None
        if running_model == entry.id or (running is not None and running.hf_repo == entry.hf_repo):
            what = (
                "is the model running now"
                if running_model == entry.id
                else f"shares its files with {running_model}, the model running now"
            )
            raise DeleteRefused(
                f"{entry.id} {what}: stop it or swap to another model before deleting it "
                "from disk.",
                status=409,
                detail={"model": entry.id, "running": running_model},
            )
    return entry.hf_repo


def _du_command(path: str) -> Script:
    return _from_home(
        RemoteCommand("du", "-s", "-b", "-0", node_path(path, "cache_folder"), env=_C_LOCALE)
    )


def delete_command(repo: str, hub_dir: str = HF_HUB_DIR) -> Script:
    """``rm -rf`` of the repo's cache folder (a symlink there is removed, not followed)."""
    path = _hub_path(hub_dir, cache_folder(repo))
    return _from_home(RemoteCommand("rm", "-rf", "--", node_path(path, "cache_folder")))


async def delete_cached(
    host: Host, node: Node, repo: str, hub_dir: str = HF_HUB_DIR
) -> NodeDeletion:
    """Delete ``repo``'s cache folder on ``node``; says what was freed."""
    path = _hub_path(hub_dir, cache_folder(repo))
    sized = await host.ssh.run(node, _du_command(path), observe=True)
    match = _DU_RECORD.fullmatch(sized.stdout.split("\0", 1)[0].strip("\n"))
    if match is None:
        if _missing(sized):
            return NodeDeletion(deleted=False, freed_bytes=0, path=path)
        size = 0  # unreadable parts: delete anyway, the size is only informative
    else:
        size = int(match.group(1))
    removed = await host.ssh.run(node, delete_command(repo, hub_dir))
    if not removed.ok:
        reason = (removed.stderr.strip().splitlines() or [f"exit status {removed.exit_status}"])[0]
        raise SparkError(
            f"could not delete {path} on {node.name}: {reason[:200]}",
            status=502,
            type="command_failed",
            detail={"node": node.name},
        )
    return NodeDeletion(deleted=True, freed_bytes=size, path=path)
