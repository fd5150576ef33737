"""The vllm plugin's settings (config section ``vllm``), with the original system's
environment names as aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, AnyHttpUrl, Field, SecretStr, model_validator

from spark_control.api import EnvAlias, InvalidValue, PluginSettings
from spark_control_vllm.launch import LAUNCH_TEMPLATE, LaunchOptions, node_path

DEFAULT_PORT = 8888
DEFAULT_CONTAINER = "vllm_node"
#: The slot the top-level settings describe; every pre-slot route acts on it.
DEFAULT_SLOT = "default"
SLOT_NAME = r"^[a-z0-9][a-z0-9-]{0,31}$"


def _model_root(raw: str) -> str:
    """A root the node command can name (``~``, ``~/relative`` or absolute), checked when
    the settings load: a root with shell characters is a config error, never skipped."""
    text = raw.rstrip("/") or raw
    if text != "~":
        try:
            node_path(text, "local_model_roots")
        except InvalidValue as exc:
            raise ValueError(exc.reason) from None
    return raw


ModelRoot = Annotated[str, AfterValidator(_model_root)]


class StaticUpstream(PluginSettings):
    """A vLLM (or any OpenAI-compatible server) that runs already: no swap manages it."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", description="Short name.")
    url: AnyHttpUrl = Field(description="Its OpenAI base URL, e.g. http://<spark-2-ip>:8000/v1.")
    models: list[str] = Field(
        default_factory=list,
        description="Model names it serves (empty: read from its /v1/models).",
    )
    api_key: SecretStr | None = Field(None, description="Its own key (vLLM --api-key).")


class ProxySettings(PluginSettings):
    """The OpenAI-compatible proxy at /v1 (see docs/VLLM.md, "The proxy")."""

    connect_timeout_s: float = Field(3.0, gt=0, description="Connecting to an upstream.")
    read_timeout_s: float = Field(
        600.0, gt=0, description="Longest silence from an upstream mid-request."
    )
    swap_wait_s: float = Field(
        30.0, ge=0, description="How long a request waits for a running swap before 503."
    )
    drain_grace_s: float = Field(
        30.0, ge=0, description="How long in-flight requests may finish before a stop."
    )
    max_concurrency: int = Field(
        256, ge=1, description="Requests in flight per upstream; more wait in the queue."
    )
    max_queue: int = Field(512, ge=0, description="Requests waiting per upstream; beyond it 429.")
    queue_wait_s: float = Field(
        60.0, gt=0, description="How long a queued request waits for a slot before 429."
    )
    on_demand_swap: bool = Field(
        False, description="A request for a catalog model not loaded starts a swap to it."
    )
    on_demand_wait_s: float = Field(
        900.0, gt=0, description="How long such a request waits for the swap to finish."
    )
    min_residency_s: float = Field(
        600.0, ge=0, description="An on-demand swap never replaces a model younger than this."
    )
    api_key: SecretStr | None = Field(
        None, description="The managed vLLM's own key (vLLM --api-key), sent upstream."
    )
    static_upstreams: list[StaticUpstream] = Field(default_factory=list)


class SlotSettings(PluginSettings):
    """One more vLLM instance beside the default one (see docs/VLLM.md, "Slots"): its
    own container, port and node set; launch options it does not name are the
    top-level ones."""

    name: str = Field(pattern=SLOT_NAME, description="Short name, e.g. coder.")
    container: str = Field(description="Its own container name on each of its nodes.")
    port: int = Field(ge=1, le=65535, description="Port it serves on (its own on the node).")
    head_node: str = Field(description="Node whose launcher starts it.")
    worker_nodes: list[str] = Field(
        default_factory=list, description="Nodes that join a tensor-parallel-2 model."
    )
    head_ip: str | None = Field(
        None, description="Its head node's address on the cluster network (two-node models)."
    )
    worker_ip: str | None = Field(
        None, description="Its worker's address on the cluster network (two-node models)."
    )
    pinned: bool = Field(False, description="Never evicted to make room for another model.")
    ttl_s: float | None = Field(
        None, gt=0, description="Unloaded after this long without a request (None: never)."
    )


class VllmSettings(PluginSettings):
    port: Annotated[int, EnvAlias("VLLM_PORT")] = Field(
        DEFAULT_PORT, ge=1, le=65535, description="Port vLLM serves on (blank: 8888)."
    )
    container: Annotated[str, EnvAlias("VLLM_CONTAINER")] = Field(
        DEFAULT_CONTAINER, description="Container name the launcher uses (blank: vllm_node)."
    )
    head_node: str = Field("spark-1", description="Node whose launcher starts vLLM.")
    worker_nodes: list[str] = Field(
        default_factory=lambda: ["spark-2"],
        description="Nodes that join a tensor-parallel-2 model.",
    )
    image: str = Field("vllm-node", description="Docker image the launcher runs (-t).")
    launcher_dir: str = Field(
        "~/spark-vllm-docker",
        description="Checkout of spark-vllm-docker on the head node; launch-cluster.sh in it.",
    )
    launcher_version: str = Field(
        "",
        description="Pinned launcher commit; 'nodes check' fails when the checkout differs "
        "(empty: LAUNCHER_VERSION, the one documented in docs/VLLM.md).",
    )
    launch_template: list[str] = Field(
        default_factory=lambda: list(LAUNCH_TEMPLATE),
        description="The launch form: tokens with {placeholders} filled with validated values.",
    )
    ray: bool = Field(False, description="Two-node models use Ray instead of torch distributed.")
    head_ip: str | None = Field(
        None, description="Head node address on the cluster network, as the launcher sees it."
    )
    worker_ip: str | None = Field(None, description="Worker node address on the cluster network.")
    extra_docker_args: list[str] = Field(
        # docker-init as the container's PID 1: the launcher's ``sleep infinity`` would
        # ignore SIGTERM, so every ``docker stop`` waited its whole grace (10 s) first.
        default_factory=lambda: ["--init"],
        description="Words added to VLLM_SPARK_EXTRA_DOCKER_ARGS (no whitespace or globs).",
    )
    hf_token_file: str = Field(
        "~/.cache/spark-control/hf_token.env",
        description="0600 file on the head node that the launch sources for HF_TOKEN.",
    )
    log_dir: str = Field(
        "~/.cache/spark-control/vllm", description="Where the detached launch writes its log."
    )
    catalog_overrides: Path | None = Field(
        None,
        description="User models.yaml merged over the shipped catalog, where local models "
        "added from the API are kept (default: vllm-models.yaml in the data directory).",
    )
    local_model_roots: list[ModelRoot] = Field(
        default_factory=lambda: ["~/models"],
        description="Folders on the head node under which local models may live.",
    )
    hf_token: SecretStr | None = Field(
        None, description="Hugging Face token; goes to the node in a 0600 file, never argv."
    )
    download_deadline_s: float = Field(3600.0, gt=0)
    load_deadline_s: float = Field(900.0, gt=0)
    stop_timeout_s: float = Field(60.0, gt=0)
    rollback: bool = Field(True, description="Roll back once to the last good model on failure.")
    crash_loop_failures: int = Field(3, ge=1)
    crash_loop_window_s: float = Field(1800.0, gt=0)
    reconcile_interval_s: float = Field(
        30.0,
        gt=0,
        description="How often what runs is re-read outside swaps (also on every health "
        "transition of vLLM), so the state follows the cluster.",
    )
    sleep_mode: bool = Field(
        False,
        description="Launch vLLM with --enable-sleep-mode and VLLM_SERVER_DEV_MODE=1, so "
        "an idle model sleeps instead of being unloaded and the next request wakes it. "
        "Dev mode opens other endpoints on vLLM's port (never reachable through /v1).",
    )
    sleep_level: Literal[1, 2] = Field(
        1,
        description="vLLM's sleep level: 1 frees the KV cache and keeps the weights in "
        "(unified) memory, 2 frees the weights too (a wake reloads them).",
    )
    proxy: ProxySettings = Field(default_factory=ProxySettings)
    placement_policy: Literal["binpack", "spread"] = Field(
        "binpack",
        description="Where an on-demand model goes among the slots that can take it "
        "without dropping more: binpack, the fullest nodes (keeping whole nodes free for "
        "large models); spread, the emptiest.",
    )
    pinned: bool = Field(
        False, description="The default slot is never evicted to make room for another model."
    )
    ttl_s: float | None = Field(
        None,
        gt=0,
        description="The default slot unloads (with sleep_mode: sleeps) after this long "
        'without a request (docs/VLLM.md, "Idle unload and sleep").',
    )
    slots: list[SlotSettings] = Field(
        default_factory=list,
        description="More vLLM instances beside the default one (empty: one model at a "
        "time, as before).",
    )

    def slot_settings(self, name: str) -> VllmSettings:
        """The settings one slot's swap manager runs with: these, with the slot's
        container, port and nodes (``default``: these as they are)."""
        if name == DEFAULT_SLOT:
            return self
        slot = next(s for s in self.slots if s.name == name)
        return self.model_copy(
            update={
                "container": slot.container,
                "port": slot.port,
                "head_node": slot.head_node,
                "worker_nodes": list(slot.worker_nodes),
                # Its own node pair's addresses, never the default slot's.
                "head_ip": slot.head_ip,
                "worker_ip": slot.worker_ip,
                "pinned": slot.pinned,
                "ttl_s": slot.ttl_s,
                "slots": [],
            }
        )

    def slot_names(self) -> list[str]:
        return [DEFAULT_SLOT, *(s.name for s in self.slots)]

    def launch_options(self) -> LaunchOptions:
        """The launch's inputs, each checked by the validator the launch builder uses."""
        return LaunchOptions(
            launcher_dir=self.launcher_dir,
            log_dir=self.log_dir,
            image=self.image,
            container=self.container,
            port=self.port,
            head_ip=self.head_ip,
            worker_ip=self.worker_ip,
            ray=self.ray,
            hf_token_file=self.hf_token_file if self.hf_token else None,
            extra_docker_args=tuple(self.extra_docker_args),
            template=tuple(self.launch_template),
            sleep_mode=self.sleep_mode,
        )

    @model_validator(mode="after")
    def _launchable(self) -> VllmSettings:
        # A setting the launch could not use is a config error now, not a failed swap later.
        self.launch_options()
        self._slots_apart()
        for slot in self.slots:
            self.slot_settings(slot.name).launch_options()
        return self

    def _slots_apart(self) -> None:
        """Slots never share a name, nor a container name or a port on a node."""
        seen_names: set[str] = set()
        taken: dict[tuple[str, str], str] = {}
        for name in self.slot_names():
            if name in seen_names:
                raise ValueError(f"slot name {name!r} is used twice ('default' is the top level)")
            seen_names.add(name)
            settings = self.slot_settings(name)
            nodes = [settings.head_node, *settings.worker_nodes]
            claims = [(node, f"container {settings.container}") for node in nodes]
            claims.append((settings.head_node, f"port {settings.port}"))
            for claim in claims:
                other = taken.setdefault(claim, name)
                if other != name:
                    raise ValueError(
                        f"slots {other!r} and {name!r} both use {claim[1]} on {claim[0]}"
                    )
