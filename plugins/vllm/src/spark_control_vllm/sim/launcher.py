"""The ``launch-cluster.sh`` stand-in: spark-vllm-docker's launcher on a simulated node.

Mirrors the launcher's contract as the gateway uses it (options, actions, what it
prints, and above all its process behaviour), running the node's ``docker`` and
``ssh`` stand-ins the way the real script runs the real tools:

- options ``-n/--nodes``, ``-t``, ``--name``, ``-e/--env``, ``-v/--volume``,
  ``-p/--publish``, ``--solo``, ``--ray``/``--no-ray``, ``--master-port``,
  ``--nccl-debug``, ``--eth-if``, ``--ib-if``, ``--no-cache-dirs``, ``-d``,
  ``--config``; actions ``start | stop | status | exec <command...>``;
- ``-e`` values and ``VLLM_SPARK_EXTRA_DOCKER_ARGS`` are appended unquoted to one
  string of docker arguments that is word-split (and glob-expanded) when used, exactly
  as the script's unquoted ``$DOCKER_ARGS`` is; so is the ``docker run`` line sent
  to a worker over ``ssh``, which the worker's shell parses again;
- it starts one idle container per node (``docker run ... --network host ...
  <image> sleep infinity``), the workers' over ``ssh``;
- ``exec`` runs the command inside the head container (``docker exec -i <name> bash
  -c <command>``) in the foreground; when it exits, or the launcher gets SIGTERM,
  SIGINT or SIGHUP, the cluster is stopped (``docker stop`` on the head, over ``ssh``
  on the workers), as the script's ``trap cleanup EXIT INT TERM HUP`` does. Like
  bash, a signal that arrives while a foreground command runs takes effect when that
  command ends, and a signal ignored on entry (``nohup``: SIGHUP; a background job:
  SIGINT) stays ignored — so stopping a launch means signalling its whole process
  group, or running ``launch-cluster.sh stop``;
- containers already running when it starts are reused and left running at exit.

Deviations, all invisible in the launcher's log: multi-node no-Ray runs start the head
rank in the foreground rather than detached with a completion sentinel polled every
5 s (so its end is seen at once); the worker ranks write to the container's log through
``$SPARK_SIM_CONTAINER_LOG`` instead of ``/proc/1/fd/1``; node autodetection lists the
simulated cluster's other nodes; a node given by name counts as local when it is this
node's name. Waits the script makes (``sleep 2`` after starting) take milliseconds
unless the simulator runs realistic. A switch (``set_launcher_cleanup_delay``) delays
the EXIT trap's ``docker stop``, as a slow ``docker`` CLI on a loaded node does.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

IMAGE_NAME = "vllm-node"
DEFAULT_CONTAINER_NAME = "vllm_node"
DEFAULT_MASTER_PORT = "29501"
ETH_IF = "enp1s0f1np1"
IB_IF = "rocep1s0f1,roceP2p1s0f1"
_PARALLEL = re.compile(
    r"(?:^|\s)(-tp|--tensor-parallel-size|-pp|--pipeline-parallel-size|-dp|"
    r"--data-parallel-size)(?:=|\s+)(\d+)"
)
_BACKEND = re.compile(r"--distributed-executor-backend(?:=|\s+)\S+")


def say(text: str = "") -> None:
    print(text, flush=True)


def split_unquoted(text: str) -> list[str]:
    """What bash makes of an unquoted ``$VAR``: split on blanks, then glob each word.

    A word with ``*``, ``?`` or ``[`` that matches files becomes the sorted matches; one
    that matches nothing stays as it is (bash without ``nullglob``).
    """
    words: list[str] = []
    for word in text.split():
        if any(ch in word for ch in "*?["):
            words.extend(sorted(glob.glob(word)) or [word])
        else:
            words.append(word)
    return words


def _sandbox() -> Path:
    hosts = os.environ.get("SPARK_SIM_HOSTS")
    node = os.environ.get("SPARK_SIM_NODE", "")
    if hosts and node:
        return Path(hosts).parent / "nodes" / node
    return Path.cwd()


def _realistic() -> bool:
    if os.environ.get("SPARK_SIM_REALISTIC") == "1":
        return True
    return (_sandbox() / "vllm-sim" / "realistic").exists()


def _cleanup_delay() -> float:
    """Seconds the EXIT trap waits before its ``docker stop`` (the simulator's
    ``set_launcher_cleanup_delay``): a slow ``docker`` CLI on a loaded node."""
    try:
        data = json.loads((_sandbox() / "vllm-sim" / "launcher.json").read_text())
        return max(0.0, float(data["cleanup_delay_s"]))
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def _hosts() -> dict[str, list[object]]:
    path = os.environ.get("SPARK_SIM_HOSTS")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Usage(Exception):
    """A bad command line: the script prints its message and usage, exit 1."""


class Options:
    """The launcher's command line, parsed the way the script's ``case`` loop does."""

    def __init__(self, argv: list[str]) -> None:
        self.image = IMAGE_NAME
        self.name = DEFAULT_CONTAINER_NAME
        self.nodes = ""
        self.eth_if = ""
        self.ib_if = ""
        self.master_port = DEFAULT_MASTER_PORT
        self.nccl_debug = ""
        self.solo = False
        self.no_ray = True
        self.ray_explicit = False
        self.no_ray_explicit = False
        self.daemon = False
        self.cache_dirs = True
        self.config = ""
        self.action = ""
        self.command: list[str] = []
        self.env_args: list[str] = []
        self.volumes: list[str] = []
        self.publish: list[str] = []
        self._parse(list(argv))

    _VALUED = {
        "-n": "nodes",
        "--nodes": "nodes",
        "-t": "image",
        "--name": "name",
        "--eth-if": "eth_if",
        "--ib-if": "ib_if",
        "--master-port": "master_port",
        "--head-port": "master_port",
        "--config": "config",
    }

    def _parse(self, argv: list[str]) -> None:
        while argv:
            item = argv.pop(0)
            if item == "exec":
                self.action = "exec"
                self.command = argv
                return
            if item in ("-h", "--help"):
                raise Usage("")
            if not (self._valued(item, argv) or self._switch(item)):
                raise Usage(f"Error: Unknown argument or action: {item}")

    def _valued(self, item: str, argv: list[str]) -> bool:
        """A flag with a value (taken off ``argv``); False if ``item`` is none."""
        if item in self._VALUED:
            setattr(self, self._VALUED[item], argv.pop(0) if argv else "")
        elif item in ("-e", "--env"):
            self.env_args.append(argv.pop(0) if argv else "")
        elif item in ("-v", "--volume", "-p", "--publish"):
            target = self.volumes if item in ("-v", "--volume") else self.publish
            target.append(argv.pop(0) if argv else "")
        elif item.startswith(("-v=", "--volume=")):
            self.volumes.append(item.split("=", 1)[1])
        elif item.startswith(("-p=", "--publish=")):
            self.publish.append(item.split("=", 1)[1])
        elif item == "--nccl-debug":
            level = argv[0] if argv and argv[0] in ("VERSION", "WARN", "INFO", "TRACE") else ""
            if level:
                argv.pop(0)
            self.nccl_debug = level or "INFO"
        else:
            return False
        return True

    def _switch(self, item: str) -> bool:
        """A flag without a value, or an action; False if ``item`` is none."""
        if item == "--solo":
            self.solo = True
        elif item == "--ray":
            if self.no_ray_explicit:
                raise Usage("Error: --ray and --no-ray are mutually exclusive.")
            self.no_ray, self.ray_explicit = False, True
        elif item == "--no-ray":
            if self.ray_explicit:
                raise Usage("Error: --ray and --no-ray are mutually exclusive.")
            self.no_ray, self.no_ray_explicit = True, True
        elif item == "--no-cache-dirs":
            self.cache_dirs = False
        elif item == "-d":
            self.daemon = True
        elif item in ("start", "stop", "status"):
            self.action = item
        else:
            return False
        return True


def usage_text(program: str) -> str:
    return (
        f"Usage: {program} [-n <node_ips>] [-t <image_name>] [--name <container_name>] "
        "[--eth-if <if_name>] [--ib-if <if_name>] [--nccl-debug <level>] [--check-config] "
        "[--solo] [--ray|--no-ray] [-p <host:container>] [-v <local:container>] [-d] "
        "[action] [command]\n"
        "  action          start | stop | status | exec (Default: start).\n"
        "  command         Command to run (only for 'exec' action)."
    )


class _Signalled(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Launcher:
    """One run of the launcher: the cluster it manages and the cleanup it owes."""

    def __init__(self, options: Options) -> None:
        self.o = options
        self.home = Path(os.environ.get("HOME", str(Path.cwd())))
        self.script_dir = Path(os.path.realpath(sys.argv[0])).parent
        self.dotenv: dict[str, str] = {}
        self.head_ip = ""
        self.peers: list[str] = []
        self.docker_args = ""
        self.cache_dirs: list[str] = []
        self.was_running = False
        self.trap_armed = False
        self.cleaned = False
        self._foreground: subprocess.Popen[bytes] | None = None
        self._deferred: int | None = None
        self._interruptible = False

    # -- running commands ------------------------------------------------------------

    def _run(self, argv: list[str], *, quiet: bool = False) -> int:
        """Run a foreground command; a trapped signal waits for it, as in bash."""
        sink = subprocess.DEVNULL if quiet else None
        # The simulator's ssh cannot poll a /dev/null or file stdin (a detached launch
        # has one); an empty pipe gives the remote command the same end of file.
        stdin = subprocess.PIPE if argv[0] == "ssh" else None
        try:
            process = subprocess.Popen(argv, stdin=stdin, stdout=sink, stderr=sink)
        except OSError as exc:
            say(f"{argv[0]}: {exc.strerror}")
            return 127
        if process.stdin is not None:
            process.stdin.close()
        self._foreground = process
        try:
            status = process.wait()
        finally:
            self._foreground = None
        deferred, self._deferred = self._deferred, None
        if deferred is not None:
            raise _Signalled(deferred)
        return status if status >= 0 else 128 - status

    def _output(self, argv: list[str]) -> tuple[int, str]:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
        except OSError:
            return 127, ""
        return done.returncode, done.stdout

    def _ssh(self, node: str, command: str, *, quiet: bool = False) -> int:
        return self._run(["ssh", node, command], quiet=quiet)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds if _realistic() else min(seconds, 0.02))

    def on_signal(self, signum: int, frame: object) -> None:
        running = self._foreground is not None and self._foreground.poll() is None
        if running and not self._interruptible:
            # bash runs a trap only once the foreground command has finished.
            self._deferred = signum
            return
        raise _Signalled(signum)

    # -- configuration -----------------------------------------------------------------

    def load_dotenv(self) -> None:
        path = Path(self.o.config) if self.o.config else self.script_dir / ".env"
        if self.o.config and not path.is_file():
            say(f"Error: Config file not found: {path}")
            raise SystemExit(1)
        if not path.is_file():
            return
        say("Loading configuration from .env file...")
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = (part.strip() for part in line.split("=", 1))
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            self.dotenv[key] = value
        say("Loaded .env variables: " + " ".join(f"DOTENV_{k}" for k in self.dotenv) + " ")

    def build_docker_args(self) -> None:
        hf_cache = os.environ.get("HF_HOME") or f"{self.home}/.cache/huggingface"
        args = "-e NCCL_IGNORE_CPU_AFFINITY=1"
        args += " -e PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True"
        args += f" -v {hf_cache}:/root/.cache/huggingface"
        extra = os.environ.get("VLLM_SPARK_EXTRA_DOCKER_ARGS", "")
        if extra:
            args += f" {extra}"
        for value in self.o.env_args:
            args += f" -e {value}"
        if self.o.nccl_debug:
            args += f" -e NCCL_DEBUG={self.o.nccl_debug}"
        for key, value in self.dotenv.items():
            if key.startswith("CONTAINER_") and key != "CONTAINER_NAME":
                args += f" -e {key.removeprefix('CONTAINER_')}={shlex.quote(value)}"
                say(f"Adding container env: {key.removeprefix('CONTAINER_')}")
        if self.o.cache_dirs:
            for host, inside in (
                (".cache/vllm", "/root/.cache/vllm"),
                (".cache/flashinfer", "/root/.cache/flashinfer"),
                (".triton", "/root/.triton"),
                (".tilelang", "/root/.tilelang"),
            ):
                args += f" -v {self.home}/{host}:{inside}"
                self.cache_dirs.append(f"{self.home}/{host}")
        for mapping in self.o.volumes:
            args += f" -v {mapping}"
        self.docker_args = args

    def _local_address(self) -> str:
        found = _hosts().get(os.environ.get("SPARK_SIM_NODE", ""))
        return str(found[0]) if found else "127.0.0.1"

    def detect_nodes(self) -> None:
        """Head and peers: ``--solo``, ``-n``, ``.env``'s CLUSTER_NODES, or autodetection."""
        o = self.o
        nodes = o.nodes or self.dotenv.get("CLUSTER_NODES", "")
        if o.solo:
            self.head_ip = self.dotenv.get("LOCAL_IP") or "127.0.0.1"
            self.peers = []
            say("Solo mode enabled. Skipping node detection.")
            return
        o.eth_if = o.eth_if or self.dotenv.get("ETH_IF", "") or ETH_IF
        o.ib_if = o.ib_if or self.dotenv.get("IB_IF", "") or IB_IF
        local_ip = self.dotenv.get("LOCAL_IP") or self._local_address()
        me = os.environ.get("SPARK_SIM_NODE", "")
        if not nodes:
            say(f"Auto-detecting nodes on {local_ip}/24 (checking for NVIDIA GB10)...")
            nodes = self._autodetect(local_ip, me)
            say(f"  Cluster Nodes: {nodes}")
        self.head_ip = local_ip
        self.peers = []
        found_head = False
        for item in (n.strip() for n in nodes.split(",")):
            if not item:
                continue
            if not found_head and item in (local_ip, me):
                found_head = True
                self.head_ip = item
            else:
                self.peers.append(item)
        if not found_head:
            say(f"Error: Local IP ({local_ip}) is not in the list of nodes ({nodes}).")
            raise SystemExit(1)
        if not self.peers:
            say("Only local node detected/configured. Activating solo mode (no Ray cluster).")
            o.solo = True

    def _autodetect(self, local_ip: str, me: str) -> str:
        hosts = _hosts()
        names = [name for name in hosts if not re.fullmatch(r"[0-9.]+", name)]
        addresses = [str(hosts[name][0]) for name in names]
        # Where every node shares one address, only names tell them apart.
        use_names = len(set(addresses)) < len(addresses)
        found = [local_ip if not use_names else me]
        for name, address in zip(names, addresses, strict=True):
            if name != me:
                found.append(name if use_names else address)
                say(f"  Found GB10 peer: {found[-1]}")
        return ",".join(found)

    def check_modes(self) -> None:
        o = self.o
        if o.solo:
            if o.ray_explicit:
                raise Usage(
                    "Error: --ray is incompatible with --solo or a single-node configuration."
                )
            if o.no_ray_explicit:
                raise Usage(
                    "Error: --no-ray is incompatible with --solo or a single-node configuration."
                )
            o.no_ray = False
        if o.publish and not o.solo:
            raise Usage(
                "Error: -p/--publish port forwarding is only supported in solo mode. Use --solo "
                "or remove port mappings for cluster mode."
            )

    # -- the cluster -------------------------------------------------------------------

    def _env_flags(self, ip: str) -> str:
        eth, ib = self.o.eth_if, self.o.ib_if
        pairs = [
            f"VLLM_HOST_IP={ip}",
            f"RAY_NODE_IP_ADDRESS={ip}",
            f"RAY_OVERRIDE_NODE_IP_ADDRESS={ip}",
            f"MN_IF_NAME={eth}",
            f"UCX_NET_DEVICES={eth}",
            f"NCCL_SOCKET_IFNAME={eth}",
            f"NCCL_IB_HCA={ib}",
            "NCCL_IB_DISABLE=0",
            f"OMPI_MCA_btl_tcp_if_include={eth}",
            f"GLOO_SOCKET_IFNAME={eth}",
            f"TP_SOCKET_IFNAME={eth}",
            "RAY_memory_monitor_refresh_ms=0",
            "RAY_num_prestart_python_workers=0",
            "RAY_object_store_memory=1073741824",
        ]
        return "".join(f"-e {pair} " for pair in pairs)

    def cleanup(self) -> None:
        if self.cleaned:
            return
        self.cleaned = True
        if self.was_running:
            say("Cluster was already running when script started. Skipping cleanup.")
            return
        say()
        say("Stopping cluster...")
        say(f"Stopping head node ({self.head_ip})...")
        time.sleep(_cleanup_delay())
        self._run(["docker", "stop", self.o.name], quiet=True)
        for worker in self.peers:
            say(f"Stopping worker node ({worker})...")
            self._ssh(worker, f"docker stop {self.o.name}", quiet=True)
        say("Cluster stopped.")

    def status(self) -> int:
        say("Checking status...")
        _, listing = self._output(["docker", "ps"])
        if self.o.name in listing:
            say(f"[HEAD] {self.head_ip}: Container '{self.o.name}' is RUNNING.")
        else:
            say(f"[HEAD] {self.head_ip}: Container '{self.o.name}' is NOT running.")
        for worker in self.peers:
            probe = f"docker ps | grep -q '{self.o.name}'"
            state = "RUNNING" if self._ssh(worker, probe, quiet=True) == 0 else "NOT running"
            say(f"[WORKER] {worker}: Container '{self.o.name}' is {state}.")
        return 0

    def check_running(self) -> None:
        running = False
        _, names = self._output(["docker", "ps", "--format", "{{.Names}}"])
        if self.o.name in names.split():
            say(
                f"Warning: Container '{self.o.name}' is already running on head node "
                f"({self.head_ip})."
            )
            running = True
        for worker in self.peers:
            probe = f"docker ps --format '{{{{.Names}}}}' | grep -q '^{self.o.name}$'"
            if self._ssh(worker, probe, quiet=True) == 0:
                say(
                    f"Warning: Container '{self.o.name}' is already running on worker node "
                    f"({worker})."
                )
                running = True
        if running:
            say("Cluster containers are already running. Skipping launch.")
            self.was_running = True

    def start_cluster(self) -> None:
        self.check_running()
        if self.was_running:
            return
        o = self.o
        network = "--network host"
        if o.publish:
            network = "".join(f" -p {mapping}" for mapping in o.publish)
        common = f"--gpus all -d --rm {network} --name {o.name} --entrypoint= {self.docker_args}"
        common += f" {o.image}"
        caps = "--privileged"
        resources = "--ulimit nofile=1048576:1048576 --ipc=host"
        keepalive = "sleep infinity"
        say(f"Starting Head Node on {self.head_ip}...")
        for directory in self.cache_dirs:
            Path(directory).mkdir(parents=True, exist_ok=True)
        line = f"{caps} {resources} {self._env_flags(self.head_ip)} {common} {keepalive}"
        # Unquoted in the script: split and globbed here, as bash does.
        self._run(["docker", "run", *split_unquoted(line)])
        for worker in self.peers:
            say(f"Starting Worker Node on {worker}...")
            if self.cache_dirs:
                self._ssh(worker, "mkdir -p " + " ".join(self.cache_dirs))
            run = f"docker run {caps} {resources} {self._env_flags(worker)} {common}"
            # One string to ssh: the worker's shell parses it again.
            self._ssh(worker, f"{run} {keepalive}")
        if not o.solo and not o.no_ray:
            self.start_ray()
        else:
            self._sleep(2)

    def start_ray(self) -> None:
        o = self.o
        say(f"Starting Ray HEAD node on {self.head_ip}...")
        head = (
            f"ray start --block --head --port {o.master_port} --object-store-memory "
            f"1073741824 --num-cpus 2 --node-ip-address {self.head_ip} "
            '--include-dashboard=false --disable-usage-stats >> "$SPARK_SIM_CONTAINER_LOG" 2>&1'
        )
        self._run(["docker", "exec", "-d", o.name, "bash", "-c", head])
        for worker in self.peers:
            say(f"Starting Ray WORKER node on {worker}...")
            start = (
                "ray start --block --object-store-memory 1073741824 --num-cpus 2 "
                f"--disable-usage-stats --address={self.head_ip}:{o.master_port} "
                f'--node-ip-address {worker} >> "$SPARK_SIM_CONTAINER_LOG" 2>&1'
            )
            remote = shlex.join(["docker", "exec", "-d", o.name, "bash", "-c", start])
            self._ssh(worker, remote)
        say("Waiting for cluster to be ready...")
        for _ in range(30):
            if self._run(["docker", "exec", o.name, "ray", "status"], quiet=True) == 0:
                say("Cluster head is responsive.")
                self._sleep(5)
                return
            self._sleep(2)
        say("Timeout waiting for cluster to start.")
        raise SystemExit(1)

    def exec_on_head(self, command: str) -> int:
        o = self.o
        if o.daemon:
            payload = f'{command} >> "$SPARK_SIM_CONTAINER_LOG" 2>&1'
            self._run(["docker", "exec", "-d", o.name, "bash", "-c", payload])
            say(f"Command dispatched in background (Daemon mode). Container: {o.name}")
            return 0
        flags = "-it" if sys.stdin.isatty() else "-i"
        return self._run(["docker", "exec", flags, o.name, "bash", "-c", command])

    def exec_no_ray_cluster(self, command: str) -> int:
        o = self.o
        total = 1 + len(self.peers)
        clean = _BACKEND.sub("", command)
        for rank, worker in enumerate(self.peers, 1):
            rank_cmd = (
                f"{clean} --nnodes {total} --node-rank {rank} --master-addr {self.head_ip} "
                f"--master-port {o.master_port} --headless"
            )
            say(f"Launching worker (rank {rank}) on {worker}...")
            payload = f'{rank_cmd} >> "$SPARK_SIM_CONTAINER_LOG" 2>&1'
            self._ssh(worker, shlex.join(["docker", "exec", "-d", o.name, "bash", "-c", payload]))
        head_cmd = (
            f"{clean} --nnodes {total} --node-rank 0 --master-addr {self.head_ip} "
            f"--master-port {o.master_port}"
        )
        say(f"Executing command on head node (rank 0): {head_cmd}")
        return self.exec_on_head(head_cmd)

    def trim_peers(self, command: str) -> None:
        sizes = {"t": 1, "p": 1, "d": 1}
        found = False
        for flag, value in _PARALLEL.findall(command):
            sizes[flag.lstrip("-")[0]] = int(value)
            found = True
        if not found:
            return
        required = sizes["t"] * sizes["p"] * sizes["d"]
        total = 1 + len(self.peers)
        detail = f"tp={sizes['t']} * pp={sizes['p']} * dp={sizes['d']}"
        if required > total:
            say(
                f"Error: Command requires {required} nodes ({detail}) but only {total} node(s) "
                "are configured."
            )
            raise SystemExit(1)
        if required < total:
            say(
                f"Note: Command requires {required} node(s) ({detail}); using {required} of "
                f"{total} configured node(s)."
            )
            self.peers = self.peers[: required - 1]

    # -- main ----------------------------------------------------------------------------

    def run(self) -> int:
        o = self.o
        self.load_dotenv()
        if o.name == DEFAULT_CONTAINER_NAME and self.dotenv.get("CONTAINER_NAME"):
            o.name = self.dotenv["CONTAINER_NAME"]
        if o.master_port == DEFAULT_MASTER_PORT and self.dotenv.get("MASTER_PORT"):
            o.master_port = self.dotenv["MASTER_PORT"]
        self.build_docker_args()
        self.detect_nodes()
        self.check_modes()
        for label, value in (
            ("Head Node", self.head_ip),
            ("Worker Nodes", " ".join(self.peers)),
            ("Container Name", o.name),
            ("Image Name", o.image),
            ("Action", o.action),
        ):
            say(f"{label}: {value}")
        if o.action in ("start", "exec") and self.peers and not self.workers_reachable():
            return 1
        if not o.action:
            raise Usage("Error: No action specified. Use: start | stop | status | exec")
        if o.action == "stop":
            self.cleanup()
            return 0
        if o.action == "status":
            return self.status()
        self.trap_armed = not o.daemon
        if o.action == "exec":
            return self.exec_command(" ".join(shlex.quote(word) for word in o.command) + " ")
        self.start_cluster()
        if o.daemon:
            say("Cluster started in background (Daemon mode).")
            return 0
        say("Cluster started. Tailing logs from head node...")
        say("Press Ctrl+C to stop the cluster.")
        # ``wait $!`` on a background job: unlike a foreground command, a trap
        # interrupts it at once.
        self._interruptible = True
        return self._run(["docker", "logs", "-f", o.name])

    def workers_reachable(self) -> bool:
        say("Checking SSH connectivity to worker nodes...")
        for worker in self.peers:
            probe = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o",
                     "StrictHostKeyChecking=no", worker, "true"]  # fmt: skip
            if self._run(probe, quiet=True) != 0:
                say(f"Error: Passwordless SSH to {worker} failed.")
                say("  Please ensure SSH keys are configured and the host is reachable.")
                return False
            say(f"  SSH to {worker}: OK")
        return True

    def exec_command(self, command: str) -> int:
        """The ``exec`` action: start the cluster, run ``command`` on it."""
        o = self.o
        ray = not o.solo and not o.no_ray
        if ray and "vllm serve" in command and "--distributed-executor-backend" not in command:
            say("Adding --distributed-executor-backend ray for Ray mode.")
            command += " --distributed-executor-backend ray"
        if not o.solo and self.peers:
            self.trim_peers(command)
        self.start_cluster()
        say(f"Executing command: {command}")
        if o.no_ray and self.peers and "vllm serve" in command:
            return self.exec_no_ray_cluster(command)
        return self.exec_on_head(command)


_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _trap(handler: Any) -> None:
    for signum in _SIGNALS:
        # A signal ignored on entry cannot be trapped by a non-interactive bash.
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, handler)


def main(argv: list[str]) -> int:
    program = sys.argv[0] if sys.argv else "launch-cluster.sh"
    try:
        options = Options(argv)
    except Usage as exc:
        if str(exc):
            say(str(exc))
        say(usage_text(program))
        return 1
    launcher = Launcher(options)
    _trap(launcher.on_signal)
    status = 0
    try:
        status = launcher.run()
    except Usage as exc:
        say(str(exc))
        say(usage_text(program))
        status = 1
    except _Signalled as exc:
        status = 128 + exc.signum
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    finally:
        if launcher.trap_armed:
            # The EXIT trap. Its first step, ``trap - EXIT INT TERM HUP``, restores the
            # default actions: a second signal ends the launcher mid-cleanup, as in bash.
            _trap(signal.SIG_DFL)
            with contextlib.suppress(_Signalled):
                launcher.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
