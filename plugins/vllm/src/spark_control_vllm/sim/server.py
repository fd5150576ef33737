"""The ``vllm`` stand-in of the simulated cluster: ``vllm serve`` as a real HTTP server.

Installed first on every simulated node's ``PATH`` and run the way the launcher runs
vLLM, ``docker exec vllm_node bash -c "vllm serve MODEL ..."``, so it inherits the
container's environment. Standard library only: it runs as its own Python process.

It behaves like vLLM's OpenAI-compatible server where the gateway can tell:

- it binds its port before loading (as ``vllm serve`` does), so during a load a TCP
  connection is accepted but nothing answers until the server is ready;
- it logs each loading phase as vLLM does (download of a model missing from the
  Hugging Face cache, "Loading weights took", "Model loading took ... GiB",
  torch.compile, "Capturing CUDA graphs", "Starting vLLM API server",
  "Application startup complete.");
- it serves ``/health``, ``/ping``, ``/version``, ``/v1/models``,
  ``/v1/chat/completions``, ``/v1/completions`` (plain and ``stream: true`` SSE) and
  ``/metrics``, with vLLM's error shape
  ``{"error": {"message", "type", "param", "code"}}``;
- completions are deterministic: the reply echoes the prompt, one token per word;
- with ``VLLM_SERVER_DEV_MODE=1``, vLLM's development routes (``DEV_ROUTES``, none
  under ``/v1``): ``POST /sleep?level=1|2`` (needs ``--enable-sleep-mode``), ``POST
  /wake_up`` (``?tags=weights|kv_cache``), ``GET /is_sleeping``, ``POST
  /collective_rpc`` (``reload_weights`` after a level-2 wake) and the rest answered
  as no-ops. Sleeping takes its time (``Plan.sleep_durations``, on the load's
  scale); level 1 shrinks the memory claim to the weights (on unified memory the
  "CPU" copy is the same memory), level 2 to nothing; a wake claims it back and fails
  with CUDA's out of memory when the node's other instances took it meanwhile. A
  completion to a sleeping engine is a 503 (the stand-in's choice; it never hangs).

Failure switches (first found wins): the node's control file ``failure.json`` in
``$SPARK_SIM_VLLM_CONTROL`` (written by ``spark_control_vllm.sim.set_vllm_failure``),
then ``SPARK_SIM_VLLM_FAILURE``, then the simulator's ``SPARK_SIM_FAILURE``:

- ``exit``: the engine fails while loading weights (a traceback ending in
  ``RuntimeError: Engine core initialization failed``), exit status 1;
- ``oom``: ``torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ...`` while
  profiling memory, then the same engine failure, exit status 1;
- ``hang``: loading stops half way through the weights and never completes;
- ``slow_health``: everything works but ``/health`` answers after a delay (2 s unless
  the control file says otherwise).

Memory: each ``vllm serve`` claims ``--gpu-memory-utilization`` (0.9 unless given) x
``GPU_TOTAL_GIB`` (a GB10's 119.7 GiB) when its worker starts, as a file in its
container's folder that the simulator counts in the node's MemAvailable and
nvidia-smi. When the live instances on the node already claim more than leaves that
free, it fails as vLLM does (``ValueError: Free memory on device (X/Y GiB) on startup
is less than desired GPU memory utilization (U, Z GiB) ...``), exit status 1.

Timing: a load takes tens of milliseconds unless ``SPARK_SIM_REALISTIC=1`` (then about
as long as a real one), or the control file ``load.json`` (or
``SPARK_SIM_VLLM_LOAD_S``) asks for a total in seconds.

It ends with its container (``SPARK_SIM_CONTAINER_LOCK``, see ``_die_with_container``).
Other environment read: ``SPARK_SIM_ADDRESS`` (the node's loopback address: the
server binds there whatever ``--host`` says, as a host-network container would be
reached on the node's address) and ``HF_HOME`` (the host folder behind the
container's Hugging Face cache mount).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import socket
import socketserver
import sys
import threading
import time
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler as _HandlerBase
else:
    _HandlerBase = object

VERSION = "0.11.0"
DEFAULT_PORT = 8000
DEFAULT_MAX_MODEL_LEN = 32768
DEFAULT_HEALTH_DELAY_S = 2.0
#: What ``torch.cuda.mem_get_info`` says a GB10 has in all (unified memory).
GPU_TOTAL_GIB = 119.7
DEFAULT_UTILIZATION = 0.9
FAILURE_MODES = ("exit", "hang", "oom", "slow_health")

# vLLM's flags that take no value; any other ``--flag`` followed by a word takes it.
_BOOLEAN_FLAGS = {
    "--headless",
    "--trust-remote-code",
    "--enable-auto-tool-choice",
    "--enable-prefix-caching",
    "--no-enable-prefix-caching",
    "--enable-chunked-prefill",
    "--no-enable-chunked-prefill",
    "--enforce-eager",
    "--disable-log-requests",
    "--enable-log-requests",
    "--disable-log-stats",
    "--disable-uvicorn-access-log",
    "--disable-custom-all-reduce",
    "--async-scheduling",
    "--enable-expert-parallel",
    "--disable-fastapi-docs",
    "--enable-sleep-mode",
}
_SHORT_ALIASES = {"-tp": "--tensor-parallel-size", "-pp": "--pipeline-parallel-size"}
_TOKEN = re.compile(r"\s*\S+|\s+$")
_PARAMS_B = re.compile(r"(?<![0-9.])(\d+(?:\.\d+)?)[bB](?![a-zA-Z])")

_stdout_lock = threading.Lock()


# -- logging ----------------------------------------------------------------------------


def _stamp() -> str:
    return time.strftime("%m-%d %H:%M:%S")


def _emit(line: str) -> None:
    # Access-log lines come from handler threads; keep whole lines together.
    with _stdout_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class _Log:
    """vLLM's log prefixes: ``(APIServer pid=N) INFO 10-06 12:00:00 [file.py:123] ...``."""

    def __init__(self) -> None:
        self.api_pid = os.getpid()
        self.engine_pid = self.api_pid + 1  # the engine core is a child process in vLLM
        self.worker_pid = self.api_pid + 2

    def api(self, where: str, message: str, level: str = "INFO") -> None:
        _emit(f"(APIServer pid={self.api_pid}) {level} {_stamp()} [{where}] {message}")

    def engine(self, where: str, message: str, level: str = "INFO") -> None:
        _emit(f"(EngineCore_DP0 pid={self.engine_pid}) {level} {_stamp()} [{where}] {message}")

    def plain(self, message: str) -> None:
        _emit(message)


# -- arguments ---------------------------------------------------------------------------


class Args:
    """The ``vllm serve`` options this stand-in looks at (others are accepted)."""

    def __init__(self, argv: list[str]) -> None:
        self.model = ""
        self.options: dict[str, list[str]] = {}
        self.flags: set[str] = set()
        i = 0
        while i < len(argv):
            item = _SHORT_ALIASES.get(argv[i], argv[i])
            i += 1
            if item.startswith("--"):
                name, eq, inline = item.partition("=")
                name = _SHORT_ALIASES.get(name, name)
                if eq:
                    self.options.setdefault(name, []).append(inline)
                elif name in _BOOLEAN_FLAGS:
                    self.flags.add(name)
                elif name == "--served-model-name":
                    # nargs="+" in vLLM: every following word up to the next flag.
                    while i < len(argv) and not argv[i].startswith("-"):
                        self.options.setdefault(name, []).append(argv[i])
                        i += 1
                elif i < len(argv) and not argv[i].startswith("--"):
                    self.options.setdefault(name, []).append(argv[i])
                    i += 1
                else:
                    self.flags.add(name)
            elif not self.model:
                self.model = item
        self.model = self.model or self.last("--model", "")

    def last(self, name: str, default: str) -> str:
        values = self.options.get(name)
        return values[-1] if values else default

    def number(self, name: str, default: float) -> float:
        try:
            return float(self.last(name, str(default)))
        except ValueError:
            return default

    @property
    def served_names(self) -> list[str]:
        return self.options.get("--served-model-name") or [self.model]

    @property
    def port(self) -> int:
        return int(self.number("--port", DEFAULT_PORT))

    @property
    def headless(self) -> bool:
        return "--headless" in self.flags


# -- control -----------------------------------------------------------------------------


def _node_sandbox() -> Path | None:
    """The node's sandbox, from the session environment every simulated node sets."""
    hosts, node = os.environ.get("SPARK_SIM_HOSTS"), os.environ.get("SPARK_SIM_NODE")
    return Path(hosts).parent / "nodes" / node if hosts and node else None


def _control_dir() -> Path:
    # Set by the container; a vLLM started by hand on a node finds the same folder.
    found = os.environ.get("SPARK_SIM_VLLM_CONTROL")
    sandbox = _node_sandbox()
    if found:
        return Path(found)
    return (sandbox or Path.home()) / "vllm-sim"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def take_failure() -> tuple[str | None, float]:
    """The failure switch for this start, and the slow-health delay.

    A control file with ``times`` counts down; at zero it is removed, so "the next
    start fails" means exactly one start.
    """
    path = _control_dir() / "failure.json"
    data = _read_json(path)
    if data is not None and data.get("mode") in FAILURE_MODES:
        delay = float(data.get("health_delay_s") or DEFAULT_HEALTH_DELAY_S)
        times = data.get("times")
        if isinstance(times, int):
            if times <= 1:
                with contextlib.suppress(OSError):
                    path.unlink()
            else:
                tmp = path.with_name(f".{path.name}.{os.getpid()}")
                tmp.write_text(json.dumps({**data, "times": times - 1}))
                os.replace(tmp, path)
        return str(data["mode"]), delay
    for name in ("SPARK_SIM_VLLM_FAILURE", "SPARK_SIM_FAILURE"):
        mode = os.environ.get(name, "")
        if mode in FAILURE_MODES:
            return mode, DEFAULT_HEALTH_DELAY_S
    return None, DEFAULT_HEALTH_DELAY_S


# -- memory ------------------------------------------------------------------------------
#
# Each ``vllm serve`` on a node takes ``--gpu-memory-utilization`` x the GPU's total at
# start-up, as the real one does (it then sizes its KV cache to fill that share). The
# claim is a file in its container's folder (``memory/<pid>.json``), which the
# simulator counts in the node's MemAvailable and nvidia-smi; every claim on the node
# (all its containers' folders) of a process still alive is memory another start-up
# cannot have. A lock in the node's control folder makes check-and-claim one step.


def _container_dir() -> Path | None:
    lock = os.environ.get("SPARK_SIM_CONTAINER_LOCK")
    folder = Path(lock).parent if lock else None
    return folder if folder is not None and folder.is_dir() else None


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def claimed_gib(containers: Path, *, but: int = 0) -> float:
    """What the live vLLM processes of a node's containers hold, ``but`` one pid."""
    total = 0.0
    for path in containers.glob("*/memory/*.json"):
        data = _read_json(path) or {}
        with contextlib.suppress(KeyError, TypeError, ValueError):
            pid = int(data["pid"])
            if pid != but and _alive(pid):
                total += float(data["gib"])
    return total


class MemoryClaim:
    """This process's share of the node's GPU memory, taken at start-up."""

    def __init__(self, utilization: float) -> None:
        self.utilization = utilization
        self.wanted_gib = utilization * GPU_TOTAL_GIB
        self.held_gib = 0.0
        self.free_gib = GPU_TOTAL_GIB
        self.path: Path | None = None

    def take(self) -> bool:
        """Claim the share; False (nothing claimed) when the free memory is short."""
        folder = _container_dir()
        if folder is None:
            return True  # not in a simulated container (a real engine): nothing to share
        control = _control_dir()
        control.mkdir(parents=True, exist_ok=True)
        with (control / "memory.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            others = claimed_gib(folder.parent, but=os.getpid())
            self.free_gib = max(GPU_TOTAL_GIB - others, 0.0)
            if self.free_gib < self.wanted_gib:
                return False
            path = folder / "memory" / f"{os.getpid()}.json"
            path.parent.mkdir(exist_ok=True)
            record = {
                "pid": os.getpid(),
                "gib": round(self.wanted_gib, 4),
                "name": "VLLM::EngineCore",
            }
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record))
            os.replace(tmp, path)
            self.path = path
            self.held_gib = self.wanted_gib
        return True

    def resize(self, gib: float) -> bool:
        """Hold ``gib`` from now on (sleep shrinks the claim, a wake grows it back);
        False (nothing changed) when growing needs more than the node has free."""
        if self.path is None:
            return True  # nothing claimed (not in a simulated container)
        control = _control_dir()
        with (control / "memory.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            others = claimed_gib(self.path.parent.parent.parent, but=os.getpid())
            self.free_gib = max(GPU_TOTAL_GIB - others, 0.0)
            if gib > self.held_gib and self.free_gib < gib:
                return False
            record = {"pid": os.getpid(), "gib": round(gib, 4), "name": "VLLM::EngineCore"}
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record))
            os.replace(tmp, self.path)
            self.held_gib = gib
        return True

    def release(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self.path = None

    def refusal(self) -> str:
        """vLLM's words (``vllm/v1/worker/utils.py``) when the node is short."""
        return (
            f"ValueError: Free memory on device ({self.free_gib:.2f}/{GPU_TOTAL_GIB:.2f} GiB) "
            "on startup is less than desired GPU memory utilization "
            f"({self.utilization}, {self.wanted_gib:.2f} GiB). Decrease GPU memory "
            "utilization or reduce GPU memory used by other processes."
        )


_CLAIM: MemoryClaim | None = None


def _claim_memory(log: _Log, plan: Plan) -> bool:
    """Take this instance's memory, or log vLLM's refusal; False when refused."""
    global _CLAIM  # one claim per process, released on SIGTERM
    claim = MemoryClaim(plan.utilization)
    if claim.take():
        _CLAIM = claim
        return True
    _engine_failure(
        log,
        [
            '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/worker/'
            'gpu_worker.py", line 239, in init_device',
            "    self.requested_memory = request_memory(init_snapshot, self.cache_config)",
            claim.refusal(),
        ],
    )
    return False


def _release_memory() -> None:
    if _CLAIM is not None:
        _CLAIM.release()


# -- the load ----------------------------------------------------------------------------


class Plan:
    """How big the model looks and how long each phase takes (seconds, before scaling)."""

    def __init__(self, args: Args) -> None:
        self.model = args.model
        found = _PARAMS_B.search(args.model)
        self.params_b = float(found.group(1)) if found else 8.0
        lowered = args.model.lower()
        quantization = args.last("--quantization", "").lower()
        # gpt-oss ships its experts in MXFP4.
        four_bit = ("awq", "gptq", "fp4", "int4", "gpt-oss")
        if any(q in lowered or q in quantization for q in four_bit):
            bytes_per_param = 0.55
        elif "fp8" in lowered or "fp8" in quantization:
            bytes_per_param = 1.05
        else:
            bytes_per_param = 2.0
        self.tp = max(int(args.number("--tensor-parallel-size", 1)), 1)
        self.nnodes = max(int(args.number("--nnodes", 1)), 1)
        self.weights_gib = round(self.params_b * bytes_per_param / self.tp, 4)
        self.checkpoint_bytes = int(self.params_b * bytes_per_param * 1e9)
        self.shards = min(max(round(self.params_b * bytes_per_param / 4.5), 1), 40)
        self.max_model_len = int(args.number("--max-model-len", DEFAULT_MAX_MODEL_LEN))
        self.utilization = args.number("--gpu-memory-utilization", DEFAULT_UTILIZATION)
        realistic = os.environ.get("SPARK_SIM_REALISTIC") == "1"
        self.durations = {
            "init": 3.0,
            "download": min(4.0 + self.weights_gib * self.tp * 0.6, 90.0),
            "weights": min(2.0 + self.weights_gib * 0.45, 60.0),
            "compile": 22.0,
            "graphs": 9.0,
            "startup": 1.0,
        }
        total = sum(v for k, v in self.durations.items() if k != "download")
        wanted = _wanted_load_s()
        if wanted is not None:
            self.scale = max(wanted, 0.0) / total
        else:
            self.scale = 1.0 if realistic else 0.0008
        # Sleep mode (``/sleep``, ``/wake_up``), on the same scale as the load: level 1
        # copies the weights out and back at tens of GB/s and re-creates the KV cache;
        # waking from level 2 reloads the weights from disk as a load does.
        self.sleep_durations = {
            "sleep1": 0.3 + self.weights_gib * 0.02,
            "sleep2": 0.3,
            "wake1": 0.5 + self.weights_gib * 0.03,
            "wake2": 0.5,
            "reload": self.durations["weights"],
        }

    def sleep(self, phase: str, fraction: float = 1.0) -> None:
        seconds = self.durations.get(phase, self.sleep_durations.get(phase, 0.0))
        time.sleep(seconds * fraction * self.scale)


def _wanted_load_s() -> float | None:
    data = _read_json(_control_dir() / "load.json")
    raw = data.get("seconds") if data else os.environ.get("SPARK_SIM_VLLM_LOAD_S")
    try:
        return float(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _architecture(model: str) -> str:
    lowered = model.lower()
    for key, name in (
        ("gpt-oss", "GptOssForCausalLM"),
        ("qwen3", "Qwen3ForCausalLM"),
        ("qwen", "Qwen2ForCausalLM"),
        ("llama", "LlamaForCausalLM"),
        ("mistral", "MistralForCausalLM"),
        ("gemma", "Gemma3ForConditionalGeneration"),
        ("deepseek", "DeepseekV3ForCausalLM"),
    ):
        if key in lowered:
            return name
    return "LlamaForCausalLM"


def _cache_dir(model: str) -> Path:
    home = Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface")
    return home / "hub" / ("models--" + model.replace("/", "--"))


def _is_local(model: str) -> bool:
    return model.startswith(("/", "./", "../", "~"))


def _bar(done: int, total: int) -> str:
    filled = done * 10 // max(total, 1)
    return "█" * filled + " " * (10 - filled)


def _download(log: _Log, plan: Plan) -> None:
    files = [
        "config.json",
        "generation_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "model.safetensors.index.json",
    ] + [f"model-{i:05d}-of-{plan.shards:05d}.safetensors" for i in range(1, plan.shards + 1)]
    total = len(files)
    started = time.monotonic()
    log.plain(f"Fetching {total} files:   0%|          | 0/{total} [00:00<?, ?it/s]")
    revision = _token_hex(20)
    snapshot = _cache_dir(plan.model) / "snapshots" / revision
    snapshot.mkdir(parents=True, exist_ok=True)
    for done, name in enumerate(files, 1):
        plan.sleep("download", 1 / total)
        target = snapshot / name
        if name.endswith(".safetensors"):
            # Sparse: a cache listing sees the checkpoint's real size, the disk does not.
            with target.open("wb") as shard:
                shard.truncate(plan.checkpoint_bytes // plan.shards)
        else:
            target.write_text("{}\n")
        percent = done * 100 // total
        log.plain(f"Fetching {total} files: {percent:3d}%|{_bar(done, total)}| {done}/{total}")
    refs = _cache_dir(plan.model) / "refs"
    refs.mkdir(parents=True, exist_ok=True)
    (refs / "main").write_text(revision)
    took = time.monotonic() - started
    log.engine(
        "weight_utils.py:449",
        f"Time spent downloading weights for {plan.model}: {took:.6f} seconds",
    )


def _engine_failure(log: _Log, cause: list[str]) -> None:
    """What vLLM prints when the engine core dies during start-up."""
    log.engine("core.py:708", "EngineCore failed to start.", level="ERROR")
    log.engine("core.py:708", "Traceback (most recent call last):", level="ERROR")
    for line in cause:
        log.engine("core.py:708", line, level="ERROR")
    log.plain("Process EngineCore_DP0:")
    log.plain("Traceback (most recent call last):")
    log.plain('  File "/usr/lib/python3.12/multiprocessing/process.py", line 314, in _bootstrap')
    log.plain("    self.run()")
    log.plain(cause[-1])
    log.plain(f"(APIServer pid={log.api_pid}) Traceback (most recent call last):")
    log.plain(f'(APIServer pid={log.api_pid})   File "/usr/local/bin/vllm", line 10, in <module>')
    log.plain(f"(APIServer pid={log.api_pid})     sys.exit(main())")
    log.plain(
        f"(APIServer pid={log.api_pid}) RuntimeError: Engine core initialization failed. "
        "See root cause above. Failed core proc(s): {}"
    )


def _hang() -> None:
    while True:
        time.sleep(3600)


def _load_shards(log: _Log, plan: Plan, failure: str | None) -> bool:
    """The checkpoint shards' progress lines; False when the load fails half-way."""
    shards = plan.shards
    log.plain(
        f"Loading safetensors checkpoint shards:   0% Completed | 0/{shards} [00:00<?, ?it/s]"
    )
    for done in range(1, shards + 1):
        if failure == "hang" and done > shards // 2:
            _hang()
        if failure == "exit" and done > shards // 2:
            _engine_failure(
                log,
                [
                    '  File "/usr/local/lib/python3.12/dist-packages/vllm/model_executor/'
                    'model_loader/default_loader.py", line 269, in load_weights',
                    "    loaded_weights = model.load_weights(",
                    "safetensors_rust.SafetensorError: Error while deserializing header: "
                    "MetadataIncompleteBuffer",
                ],
            )
            return False
        plan.sleep("weights", 1 / shards)
        percent = done * 100 // shards
        log.plain(
            f"Loading safetensors checkpoint shards: {percent:3d}% Completed | {done}/{shards}"
        )
    return True


def load(log: _Log, args: Args, plan: Plan, failure: str | None) -> int:
    """Log the start-up as vLLM does; 0 when ready to serve, else the exit status."""
    log.plain(f"INFO {_stamp()} [__init__.py:216] Automatically detected platform cuda.")
    log.api("api_server.py:1839", f"vLLM API server version {VERSION}")
    shown = {
        "model_tag": args.model,
        "port": args.port,
        "model": args.model,
        "served_model_name": args.served_names,
    }
    log.api("utils.py:233", f"non-default args: {shown}")
    if _is_local(args.model) and not Path(args.model).expanduser().is_dir():
        log.plain("Traceback (most recent call last):")
        log.plain('  File "/usr/local/bin/vllm", line 10, in <module>')
        log.plain(
            "huggingface_hub.errors.HFValidationError: Repo id must be in the form "
            f"'repo_name' or 'namespace/repo_name': '{args.model}'. Use `repo_type` "
            "argument if needed."
        )
        return 1
    backend = args.last("--distributed-executor-backend", "mp")
    if plan.tp > plan.nnodes and backend != "ray":
        # One GB10 GPU per node: tensor parallel 2 needs both nodes.
        log.plain(
            "ValueError: World size (2) is larger than the number of available GPUs (1) "
            "in this node. If this is intentional and you are using:\n"
            "- ray, set '--distributed-executor-backend ray'.\n"
            "- multiprocessing, set '--nnodes' appropriately."
            if plan.tp == 2
            else f"ValueError: World size ({plan.tp}) is larger than the number of "
            "available GPUs (1) in this node."
        )
        return 1
    plan.sleep("init", 0.5)
    log.api("model.py:547", f"Resolved architecture: {_architecture(args.model)}")
    log.api("model.py:1510", f"Using max model len {plan.max_model_len}")
    log.engine("core.py:644", "Waiting for init message from front-end.")
    log.engine(
        "core.py:77",
        f"Initializing a V1 LLM engine (v{VERSION}) with config: model='{args.model}', "
        f"tensor_parallel_size={plan.tp}, max_seq_len={plan.max_model_len}",
    )
    rank = int(args.number("--node-rank", 0))
    log.engine(
        "parallel_state.py:1208",
        f"rank {rank} in world size {plan.tp} is assigned as DP rank 0, PP rank 0, "
        f"TP rank {rank}, EP rank {rank}",
    )
    if not _claim_memory(log, plan):
        return 1
    plan.sleep("init", 0.5)
    log.engine("gpu_model_runner.py:2602", f"Starting to load model {args.model}...")
    if not _is_local(args.model) and not (_cache_dir(args.model) / "refs" / "main").exists():
        _download(log, plan)
    log.engine("cuda.py:366", "Using Flash Attention backend on V1 engine.")
    log.engine("weight_utils.py:392", "Using model weights format ['*.safetensors']")
    started = time.monotonic()
    if not _load_shards(log, plan, failure):
        return 1
    took = (time.monotonic() - started) or 0.01
    log.engine("default_loader.py:267", f"Loading weights took {took:.2f} seconds")
    log.engine(
        "gpu_model_runner.py:2653",
        f"Model loading took {plan.weights_gib:.4f} GiB and {took + 0.4:.6f} seconds",
    )
    if args.headless:
        log.engine("core.py:210", "Headless engine started; waiting for the head node.")
        return 0
    if failure == "oom" or plan.weights_gib > GPU_TOTAL_GIB * plan.utilization:
        # Also what a real load does when the weights alone do not fit.
        _engine_failure(
            log,
            [
                '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/worker/'
                'gpu_worker.py", line 263, in determine_available_memory',
                "    self.model_runner.profile_run()",
                "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 "
                "has a total capacity of 119.70 GiB of which 1.12 GiB is free. Including "
                "non-PyTorch memory, this process has 116.31 GiB memory in use.",
            ],
        )
        return 1
    cache = "/root/.cache/vllm/torch_compile_cache/3f1c2a9b7e/rank_0_0/backbone"
    log.engine("backends.py:548", f"Using cache directory: {cache} for vLLM's torch.compile")
    plan.sleep("compile", 0.25)
    log.engine("backends.py:559", f"Dynamo bytecode transform time: {5.5:.2f} s")
    plan.sleep("compile", 0.75)
    log.engine("backends.py:197", "Compiling a graph for dynamic shape takes 16.42 s")
    log.engine("monitor.py:34", "torch.compile takes 21.93 s in total")
    kv_gib = max(GPU_TOTAL_GIB * plan.utilization - plan.weights_gib - 3.0, 1.0)
    log.engine("gpu_worker.py:298", f"Available KV cache memory: {kv_gib:.2f} GiB")
    log.engine("kv_cache_utils.py:1087", f"GPU KV cache size: {int(kv_gib * 7300):,} tokens")
    for label, count in (("mixed prefill-decode, PIECEWISE", 67), ("decode, FULL", 35)):
        plan.sleep("graphs", 0.5)
        log.plain(
            f"Capturing CUDA graphs ({label}): 100%|██████████| {count}/{count} "
            "[00:04<00:00, 14.2it/s]"
        )
    log.engine("gpu_model_runner.py:3480", "Graph capturing finished in 9 secs, took 0.83 GiB")
    log.engine(
        "core.py:210", "init engine (profile, create kv cache, warmup model) took 38.12 seconds"
    )
    plan.sleep("startup")
    return 0


# -- HTTP --------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """One token per word, keeping the spaces, so the tokens join back into the text."""
    return _TOKEN.findall(text)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            str(part.get("text", "")) for part in content if isinstance(part, dict)
        ).strip()
    return ""


class ApiError(Exception):
    def __init__(self, status: HTTPStatus, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param

    def body(self) -> dict[str, Any]:
        kind = {
            HTTPStatus.NOT_FOUND: "NotFoundError",
            HTTPStatus.BAD_REQUEST: "BadRequestError",
        }.get(self.status, "InternalServerError")
        return {
            "error": {
                "message": self.message,
                "type": kind,
                "param": self.param,
                "code": int(self.status),
            }
        }


class Engine:
    """What the HTTP handlers share: the served names, counters, timing."""

    def __init__(self, args: Args, plan: Plan, failure: str | None, health_delay: float) -> None:
        self.args = args
        self.plan = plan
        self.names = args.served_names
        self.failure = failure
        self.health_delay = health_delay
        self.created = int(time.time())
        self.lock = threading.Lock()
        self.running = 0
        self.prompt_tokens = 0
        self.generation_tokens = 0
        self.finished: dict[str, int] = {"stop": 0, "length": 0, "abort": 0}
        # Realistic decoding is ~40 tokens/s; tests get a millisecond per token.
        realistic = os.environ.get("SPARK_SIM_REALISTIC") == "1"
        self.token_delay = 0.025 if realistic else 0.001
        # Sleep mode: its routes exist only in development mode, and sleeping needs
        # --enable-sleep-mode (vLLM's CuMemAllocator), as in vLLM.
        self.dev_mode = os.environ.get("VLLM_SERVER_DEV_MODE") == "1"
        self.sleep_enabled = "--enable-sleep-mode" in args.flags
        self.sleep_level = 0  # 0: awake
        # Level 2 discards the weights: a wake needs ``reload_weights`` before serving.
        self.weights_lost = False
        self.kv_lost = False
        self.sleep_lock = threading.Lock()

    def fall_asleep(self, level: int, log: _Log) -> None:
        """``POST /sleep?level=N``: free the KV cache (and at level 2 the weights); the
        memory claim shrinks to what is still held (level 1: the weights, copied to
        "CPU" memory, which on unified memory is the same memory)."""
        if not self.sleep_enabled:
            raise ApiError(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "Sleep mode is not enabled in the model config",
            )
        if level not in (1, 2):
            raise ApiError(HTTPStatus.BAD_REQUEST, f"Invalid sleep level {level}; use 1 or 2")
        with self.sleep_lock:
            if self.sleep_level:
                return
            started = time.monotonic()
            self.plan.sleep(f"sleep{level}")
            before = _CLAIM.held_gib if _CLAIM is not None else 0.0
            kept = self.plan.weights_gib if level == 1 else 0.0
            if _CLAIM is not None:
                _CLAIM.resize(kept)
            self.sleep_level = level
            self.kv_lost = True
            self.weights_lost = level == 2
            took = time.monotonic() - started
            log.engine("gpu_worker.py:117", f"Sleep mode freed {before - kept:.2f} GiB memory, "
                       f"{kept:.2f} GiB memory is still in use.")  # fmt: skip
            log.api("llm_engine.py:245", f"It took {took:.6f} seconds to fall asleep.")

    def wake(self, tags: list[str], log: _Log) -> None:
        """``POST /wake_up`` (optionally ``?tags=weights`` / ``?tags=kv_cache``): take the
        memory back, as vLLM re-allocates it; too little free is CUDA's out of memory."""
        wanted = set(tags) or {"weights", "kv_cache"}
        if not wanted <= {"weights", "kv_cache"}:
            raise ApiError(HTTPStatus.BAD_REQUEST, f"Unknown tags {sorted(wanted)}")
        with self.sleep_lock:
            if not self.sleep_level:
                return
            started = time.monotonic()
            full = _CLAIM.wanted_gib if _CLAIM is not None else 0.0
            weights = self.plan.weights_gib
            target = full if "kv_cache" in wanted else max(weights, 0.0)
            if _CLAIM is not None and not _CLAIM.resize(max(target, _CLAIM.held_gib)):
                raise ApiError(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    f"CUDA out of memory. Tried to allocate {target:.2f} GiB. GPU 0 has a "
                    f"total capacity of {GPU_TOTAL_GIB:.2f} GiB of which "
                    f"{_CLAIM.free_gib:.2f} GiB is free.",
                )
            self.plan.sleep(f"wake{self.sleep_level}")
            if "kv_cache" in wanted:
                self.kv_lost = False
                self.sleep_level = 0
            took = time.monotonic() - started
            log.api("llm_engine.py:262", f"It took {took:.6f} seconds to wake up tags "
                    f"{sorted(wanted)}.")  # fmt: skip

    def collective_rpc(self, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /collective_rpc``: only ``reload_weights`` changes anything here (what
        a wake from level 2 needs before the model answers sensibly again)."""
        method = body.get("method")
        if not isinstance(method, str) or not method:
            raise ApiError(HTTPStatus.BAD_REQUEST, "method: Field required", "method")
        if method == "reload_weights":
            self.plan.sleep("reload")
            self.weights_lost = False
        return {"results": [None]}

    def model_card(self, name: str) -> dict[str, Any]:
        return {
            "id": name,
            "object": "model",
            "created": self.created,
            "owned_by": "vllm",
            "root": self.args.model,
            "parent": None,
            "max_model_len": self.plan.max_model_len,
            "permission": [
                {
                    "id": f"modelperm-{_token_hex(16)}",
                    "object": "model_permission",
                    "created": self.created,
                    "allow_create_engine": False,
                    "allow_sampling": True,
                    "allow_logprobs": True,
                    "allow_search_indices": False,
                    "allow_view": True,
                    "allow_fine_tuning": False,
                    "organization": "*",
                    "group": None,
                    "is_blocking": False,
                }
            ],
        }

    def model_for(self, body: dict[str, Any]) -> str:
        name = body.get("model")
        if name in (None, ""):
            return self.names[0]
        if name not in self.names:
            raise ApiError(
                HTTPStatus.NOT_FOUND, f"The model `{name}` does not exist.", param="model"
            )
        return str(name)

    def plan_reply(self, prompt: str, prompt_tokens: int, max_tokens: Any) -> tuple[list[str], str]:
        """The completion's tokens and finish reason, deterministic from the prompt."""
        room = self.plan.max_model_len - prompt_tokens
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
            raise ApiError(HTTPStatus.BAD_REQUEST, "max_tokens must be at least 1, got "
                           f"{max_tokens}.", param="max_tokens")  # fmt: skip
        if room <= 0 or (max_tokens is not None and max_tokens > room):
            asked = max_tokens if max_tokens is not None else 0
            raise ApiError(
                HTTPStatus.BAD_REQUEST,
                f"This model's maximum context length is {self.plan.max_model_len} tokens. "
                f"However, you requested {prompt_tokens + asked} tokens ({prompt_tokens} in the "
                f"messages, {asked} in the completion). Please reduce the length of the "
                "messages or completion.",
            )
        reply = tokens("Echo: " + (" ".join(prompt.split()) or "(empty prompt)"))
        limit = room if max_tokens is None else max_tokens
        if len(reply) > limit:
            return reply[:limit], "length"
        return reply, "stop"

    def count(self, prompt_tokens: int, generated: int, reason: str) -> None:
        with self.lock:
            self.prompt_tokens += prompt_tokens
            self.generation_tokens += generated
            self.finished[reason] = self.finished.get(reason, 0) + 1

    def metrics(self) -> str:
        label = f'engine="0",model_name="{self.names[0]}"'
        with self.lock:
            rows = [
                ("vllm:num_requests_running", "gauge", "Number of requests in model execution "
                 "batches.", [(label, float(self.running))]),
                ("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be "
                 "processed.", [(label, 0.0)]),
                ("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent "
                 "usage.", [(label, 0.01 * self.running)]),
                ("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.",
                 [(label, float(self.prompt_tokens))]),
                ("vllm:generation_tokens_total", "counter", "Number of generation tokens "
                 "processed.", [(label, float(self.generation_tokens))]),
                ("vllm:request_success_total", "counter", "Count of successfully processed "
                 "requests.", [(f'{label},finished_reason="{r}"', float(n))
                              for r, n in sorted(self.finished.items())]),
            ]  # fmt: skip
        lines = []
        for name, kind, help_text, samples in rows:
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")
            lines.extend(f"{name}{{{labels}}} {value}" for labels, value in samples)
        return "\n".join(lines) + "\n"


#: The routes vLLM serves only with ``VLLM_SERVER_DEV_MODE=1`` (0.11-0.16's
#: ``entrypoints/serve`` routers: sleep, cache, rpc, rlhf, profile, elastic EP), each
#: with its method. None of them is under /v1.
DEV_ROUTES = {
    "/sleep": "POST",
    "/wake_up": "POST",
    "/is_sleeping": "GET",
    "/reset_prefix_cache": "POST",
    "/reset_mm_cache": "POST",
    "/collective_rpc": "POST",
    "/server_info": "GET",
    "/pause": "POST",
    "/resume": "POST",
    "/is_paused": "GET",
    "/get_world_size": "GET",
    "/start_profile": "POST",
    "/stop_profile": "POST",
    "/scale_elastic_ep": "POST",
    "/is_scaling_elastic_ep": "POST",
}

_ROUTES = (
    "/health",
    "/ping",
    "/version",
    "/v1/models",
    "/metrics",
    "/v1/chat/completions",
    "/v1/completions",
)


def _token_hex(nbytes: int) -> str:
    """``secrets.token_hex``: the OS's random bytes in hex (without importing secrets,
    which brings in random, hashlib and hmac)."""
    return os.urandom(nbytes).hex()


def _import_http_server() -> None:
    """``http.server`` (with http.client, email and ssl) is most of this stand-in's
    start-up; a thread imports it while the load runs, so it is there when the server
    starts serving and costs the start nothing (vLLM binds its port before loading,
    which needs only ``socketserver``)."""
    import http.server  # noqa: F401


def handler_class() -> type[Handler]:
    """``Handler`` on top of ``BaseHTTPRequestHandler`` (imported now, if the thread
    has not yet)."""
    from http.server import BaseHTTPRequestHandler

    return type("Handler", (Handler, BaseHTTPRequestHandler), {})


class Handler(_HandlerBase):
    """The routes; a class to serve with is ``handler_class()`` (its base imported late)."""

    protocol_version = "HTTP/1.1"
    server_version = "uvicorn"
    # As uvicorn does: without TCP_NODELAY a small write after the headers waits for
    # the peer's delayed ACK (up to 40 ms), which no real backend makes clients pay.
    disable_nagle_algorithm = True
    sys_version = ""
    engine: Engine  # set on the subclass made for the server
    log: _Log

    # -- plumbing --

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        try:
            phrase = HTTPStatus(int(code)).phrase
        except ValueError:
            phrase = ""
        host, port = self.client_address[:2]
        _emit(
            f"(APIServer pid={self.log.api_pid}) INFO:     {host}:{port} - "
            f'"{self.requestline}" {code} {phrase}'
        )

    def log_message(self, format: str, *args: Any) -> None:
        pass  # errors of the connection itself; uvicorn does not log them either

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _read_body(self) -> bytes:
        """The whole request body, Content-Length or chunked, read before any answer:
        what is left unread would be parsed as the connection's next request.
        ValueError when the framing is bad (then the connection cannot be reused)."""
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline().strip():
                pass  # trailers, up to the blank line
            return b"".join(parts)
        length = int(self.headers.get("content-length") or 0)
        if length < 0:
            raise ValueError(f"negative content-length {length}")
        return self.rfile.read(length)

    def _body(self, raw: bytes) -> dict[str, Any]:
        try:
            body = json.loads(raw or b"null")
        except ValueError as exc:
            raise ApiError(HTTPStatus.BAD_REQUEST, f"Invalid JSON body: {exc}") from None
        if not isinstance(body, dict):
            raise ApiError(HTTPStatus.BAD_REQUEST, "The request body must be a JSON object.")
        return body

    def _not_found(self) -> None:
        self._json(404, {"detail": "Not Found"})

    # -- routes --

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/health", "/ping"):
            if self.engine.failure == "slow_health":
                time.sleep(self.engine.health_delay)
            self._send(200, b"", "application/json")
        elif path == "/version":
            self._json(200, {"version": VERSION})
        elif path == "/v1/models":
            cards = [self.engine.model_card(name) for name in self.engine.names]
            self._json(200, {"object": "list", "data": cards})
        elif path == "/metrics":
            text = self.engine.metrics().encode()
            self._send(200, text, "text/plain; version=0.0.4; charset=utf-8")
        elif path in ("/v1/chat/completions", "/v1/completions"):
            self._json(405, {"detail": "Method Not Allowed"})
        elif self.engine.dev_mode and path in DEV_ROUTES:
            self._dev(path, "GET", b"")
        else:
            self._not_found()

    def _dev(self, path: str, method: str, raw: bytes) -> None:
        """vLLM's development-mode routes (``VLLM_SERVER_DEV_MODE=1``)."""
        if DEV_ROUTES[path] != method:
            self._json(405, {"detail": "Method Not Allowed"})
            return
        try:
            answer = self._dev_answer(path, raw)
        except ApiError as exc:
            self._json(int(exc.status), exc.body())
            return
        if answer is None:
            self._send(200, b"", "application/json")
        else:
            self._json(200, answer)

    def _dev_answer(self, path: str, raw: bytes) -> dict[str, Any] | None:
        """What a development route answers (None: an empty 200)."""
        from urllib.parse import parse_qs  # http.server imported it

        query = parse_qs(self.path.partition("?")[2])
        engine = self.engine
        if path == "/sleep":
            try:
                level = int(query.get("level", ["1"])[-1])
            except ValueError:
                raise ApiError(HTTPStatus.BAD_REQUEST, "level must be 1 or 2") from None
            engine.fall_asleep(level, self.log)
            return None
        if path == "/wake_up":
            engine.wake(query.get("tags", []), self.log)
            return None
        if path == "/collective_rpc":
            return engine.collective_rpc(self._body(raw))
        answers: dict[str, dict[str, Any]] = {
            "/is_sleeping": {"is_sleeping": bool(engine.sleep_level)},
            "/server_info": {"vllm_config": f"model={engine.args.model}"},
            "/is_paused": {"is_paused": False},
            "/get_world_size": {"world_size": engine.plan.tp},
        }
        return answers.get(path)  # the rest: resets, profiling, pause... no-ops here

    def do_POST(self) -> None:
        try:
            raw = self._read_body()
        except ValueError:
            self.close_connection = True
            self._json(400, {"detail": "Invalid HTTP request received."})
            return
        path = self.path.split("?", 1)[0]
        if self.engine.dev_mode and path in DEV_ROUTES:
            self._dev(path, "POST", raw)
            return
        if path not in ("/v1/chat/completions", "/v1/completions"):
            if path in ("/health", "/v1/models", "/metrics", "/version", "/ping"):
                self._json(405, {"detail": "Method Not Allowed"})
            else:
                self._not_found()
            return
        try:
            self._complete(chat=path == "/v1/chat/completions", body=self._body(raw))
        except ApiError as exc:
            self._json(int(exc.status), exc.body())

    def do_DELETE(self) -> None:
        # vLLM has no DELETE route: FastAPI answers 405 on a known path, else 404.
        try:
            self._read_body()
        except ValueError:
            self.close_connection = True
        path = self.path.split("?", 1)[0]
        if path in _ROUTES:
            self._json(405, {"detail": "Method Not Allowed"})
        else:
            self._not_found()

    def _complete(self, *, chat: bool, body: dict[str, Any]) -> None:
        engine = self.engine
        name = engine.model_for(body)
        if engine.sleep_level or engine.weights_lost:
            # The stand-in's choice: a sleeping engine has no KV cache (or no weights)
            # to run on, so it says so rather than hang.
            raise ApiError(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "The engine is sleeping (or its weights were discarded at sleep level 2 "
                "and not reloaded); POST /wake_up first.",
            )
        if chat:
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                raise ApiError(HTTPStatus.BAD_REQUEST, "messages: Field required", "messages")
            texts = [_content_text(m.get("content")) for m in messages if isinstance(m, dict)]
            users = [
                _content_text(m.get("content"))
                for m in messages
                if isinstance(m, dict) and m.get("role") == "user"
            ]
            prompt = users[-1] if users else (texts[-1] if texts else "")
            # A chat template adds a few tokens around each message.
            prompt_tokens = sum(len(tokens(t)) + 4 for t in texts) + 2
            max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
        else:
            raw = body.get("prompt")
            if isinstance(raw, list):
                raw = " ".join(str(p) for p in raw)
            if not isinstance(raw, str):
                raise ApiError(HTTPStatus.BAD_REQUEST, "prompt: Field required", "prompt")
            prompt = raw
            prompt_tokens = len(tokens(raw)) + 1
            max_tokens = body.get("max_tokens", 16)
        reply, reason = engine.plan_reply(prompt, prompt_tokens, max_tokens)
        usage = {
            "prompt_tokens": prompt_tokens,
            "total_tokens": prompt_tokens + len(reply),
            "completion_tokens": len(reply),
            "prompt_tokens_details": None,
        }
        rid = f"{'chatcmpl' if chat else 'cmpl'}-{_token_hex(16)}"
        with engine.lock:
            engine.running += 1
        try:
            if body.get("stream"):
                options = body.get("stream_options") or {}
                include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
                done = self._stream(
                    chat, rid, name, reply, reason, usage if include_usage else None
                )
                if not done:
                    engine.count(prompt_tokens, 0, "abort")
                    return
            else:
                time.sleep(engine.token_delay * len(reply))
                self._json(200, _full_response(chat, rid, name, "".join(reply), reason, usage))
            engine.count(prompt_tokens, len(reply), reason)
        finally:
            with engine.lock:
                engine.running -= 1

    def _chunk(self, payload: Any) -> None:
        data = b"data: " + (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
        data += b"\n\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _stream(
        self,
        chat: bool,
        rid: str,
        name: str,
        reply: list[str],
        reason: str,
        usage: dict[str, Any] | None,
    ) -> bool:
        """Send SSE chunks as tokens are made; False when the client went away."""
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        created = int(time.time())
        kind = "chat.completion.chunk" if chat else "text_completion"

        def chunk(choice: dict[str, Any] | None, extra: dict[str, Any] | None = None) -> None:
            payload: dict[str, Any] = {
                "id": rid,
                "object": kind,
                "created": created,
                "model": name,
                "choices": [choice] if choice is not None else [],
            }
            self._chunk({**payload, **(extra or {})})

        def choice(text: str, finish: str | None, first: bool = False) -> dict[str, Any]:
            base: dict[str, Any] = {"index": 0, "logprobs": None, "finish_reason": finish}
            if finish is not None:
                base["stop_reason"] = None
            if chat:
                delta: dict[str, Any] = {"content": text}
                if first:
                    delta = {"role": "assistant", "content": ""}
                return {**base, "delta": delta}
            return {**base, "text": text}

        try:
            if chat:
                chunk(choice("", None, first=True))
            for token in reply:
                time.sleep(self.engine.token_delay)
                chunk(choice(token, None))
            chunk(choice("", reason))
            if usage is not None:
                chunk(None, {"usage": usage})
            self._chunk(b"[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return False
        return True


def _full_response(
    chat: bool, rid: str, name: str, text: str, reason: str, usage: dict[str, Any]
) -> dict[str, Any]:
    if chat:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": text,
            "refusal": None,
            "annotations": None,
            "audio": None,
            "function_call": None,
            "tool_calls": [],
            "reasoning_content": None,
        }
        choice: dict[str, Any] = {"index": 0, "message": message}
    else:
        choice = {"index": 0, "text": text, "prompt_logprobs": None}
    choice.update({"logprobs": None, "finish_reason": reason, "stop_reason": None})
    return {
        "id": rid,
        "object": "chat.completion" if chat else "text_completion",
        "created": int(time.time()),
        "model": name,
        "choices": [choice],
        "service_tier": None,
        "system_fingerprint": None,
        "usage": usage,
        "prompt_logprobs": None,
        "kv_transfer_params": None,
    }


class _Server(socketserver.ThreadingTCPServer):
    """``http.server.ThreadingHTTPServer`` (which adds only the two lines of
    ``server_bind`` and address reuse) without importing ``http.server`` to bind."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # uvicorn's backlog is larger than http.server's 5
    server_name: str
    server_port: int

    def server_bind(self) -> None:
        super().server_bind()
        host, port = self.server_address[:2]
        self.server_name = socket.getfqdn(str(host))
        self.server_port = port

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up before its answer (a probe that timed out during the
        # load, answered once the server serves): uvicorn drops the connection without
        # a word. http.server prints a traceback, which reads as vLLM failing.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


# -- main --------------------------------------------------------------------------------


def _bind_address(args: Args) -> str:
    wanted = args.last("--host", "")
    if wanted.startswith("127."):
        return wanted
    # 0.0.0.0, a LAN address or none: on a simulated node that is the node's address.
    found = os.environ.get("SPARK_SIM_ADDRESS")
    if found:
        return found
    hosts, node = os.environ.get("SPARK_SIM_HOSTS"), os.environ.get("SPARK_SIM_NODE", "")
    with contextlib.suppress(OSError, ValueError, KeyError, IndexError, TypeError):
        return str(json.loads(Path(str(hosts)).read_text())[node][0])
    return "127.0.0.1"


def _die_with_container() -> None:
    """End at once when the container's init ends (``docker stop``, a crash).

    In a real container the kernel then SIGKILLs every process left in it, an exec'd
    vLLM included. The init holds an exclusive lock on ``SPARK_SIM_CONTAINER_LOCK``
    for its whole life; a shared lock is granted the moment it is gone.
    """
    path = os.environ.get("SPARK_SIM_CONTAINER_LOCK")
    if not path:
        return

    def watch() -> None:
        deadline = time.monotonic() + 10
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        fd = os.open(path, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_SH)
        os._exit(137)

    threading.Thread(target=watch, name="container-watch", daemon=True).start()


def _on_term(log: _Log) -> None:
    def handler(signum: int, frame: object) -> None:
        # os.write, not print: the main thread may be inside a print right now.
        text = "".join(
            f"(APIServer pid={log.api_pid}) INFO:     {line}\n"
            for line in ("Shutting down", "Waiting for application shutdown.",
                         "Application shutdown complete.")
        )  # fmt: skip
        with contextlib.suppress(OSError):
            os.write(1, text.encode())
        _release_memory()
        os._exit(0)

    signal.signal(signal.SIGTERM, handler)


def serve(argv: list[str]) -> int:
    log = _Log()
    args = Args(argv)
    if not args.model:
        _emit("usage: vllm serve [model_tag] [options]")
        _emit("vllm serve: error: the following arguments are required: model_tag")
        return 2
    _on_term(log)
    _die_with_container()
    threading.Thread(target=_import_http_server, name="import-http", daemon=True).start()
    failure, health_delay = take_failure()
    plan = Plan(args)
    server: _Server | None = None
    if not args.headless:
        address = _bind_address(args)
        try:
            # vLLM binds before it builds the engine; clients connect and wait.
            server = _Server((address, args.port), Handler)
        except OSError as exc:
            _emit("Traceback (most recent call last):")
            _emit(f"OSError: [Errno {exc.errno}] {exc.strerror}: ('{address}', {args.port})")
            return 1
    status = load(log, args, plan, failure)
    if status != 0:
        _release_memory()
        return status
    if server is None:
        _hang()  # a headless rank serves nothing; it runs until the cluster stops
        return 0
    engine = Engine(args, plan, failure, health_delay)
    handler = type("BoundHandler", (handler_class(),), {"engine": engine, "log": log})
    server.RequestHandlerClass = handler
    host = args.last("--host", "0.0.0.0")
    if engine.dev_mode:
        log.api("__init__.py:25", "SECURITY WARNING: Development endpoints are enabled! "
                "This should NOT be used in production!", level="WARNING")  # fmt: skip
    log.api("api_server.py:1634", "Supported_tasks: ['generate']")
    log.api("api_server.py:1912", f"Starting vLLM API server 0 on http://{host}:{args.port}")
    log.api("launcher.py:34", "Available routes are:")
    for route, method in (
        ("/health", "GET"),
        ("/metrics", "GET"),
        ("/v1/models", "GET"),
        ("/version", "GET"),
        ("/v1/chat/completions", "POST"),
        ("/v1/completions", "POST"),
        *(DEV_ROUTES.items() if engine.dev_mode else ()),
    ):
        log.api("launcher.py:42", f"Route: {route}, Methods: {method}")
    for line in (
        f"Started server process [{log.api_pid}]",
        "Waiting for application startup.",
        "Application startup complete.",
    ):
        log.plain(f"(APIServer pid={log.api_pid}) INFO:     {line}")
    server.serve_forever(poll_interval=0.1)
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        _emit("usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...")
        return 0 if argv else 2
    if argv[0] in ("-v", "--version"):
        _emit(VERSION)
        return 0
    if argv[0] != "serve":
        _emit(f"vllm: error: argument subparser: invalid choice: '{argv[0]}'")
        return 2
    return serve(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
