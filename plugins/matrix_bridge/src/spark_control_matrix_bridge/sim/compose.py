"""The ``docker compose`` stand-in of the simulated nodes (installed as ``docker-compose``).

The node's ``docker`` stand-in hands ``docker compose ...`` to this script, as Docker's
CLI plugins work. It reads a real compose file (``compose.yaml`` and its other usual
names) from the working folder and drives the node's ``docker`` stand-in for what a
container needs, so the containers it makes are ordinary simulated containers:

- ``build``: prints BuildKit-style steps and records, per image, the git commit of the
  build context (the checkout's HEAD) in the node's ``matrix-bridge-sim/images.json``;
  on a real engine (engine mode) it also runs a real ``docker build`` of the context
  (``FROM`` the simulator's local base image: nothing can be pulled);
  the switch ``build.json`` (``{"mode": "fail"}`` or ``{"mode": "hang"}``) makes it
  fail at the ``pip install`` step, or hang there until it is killed;
- the one-shot switch ``hold.json`` (``{"point": "build"}``: at the ``pip install``
  step; ``{"point": "recreate"}``: after ``up`` removed the old container, before it
  starts the new one) holds the first command to reach that point until the test
  releases it or the command is killed (a leader gateway killed mid-update);
- ``up [-d] [--build] [--force-recreate] [--remove-orphans]``: builds images never
  built, then recreates a service's container when its image changed since it was
  started (the commit is the image's ``org.opencontainers.image.revision`` label, which
  a container inherits), and otherwise leaves a running one alone;
- ``restart``, ``stop``, ``start``, ``down``, ``ps``, ``config [--services]``.

It uses only the standard library and PyYAML, and never evaluates anything it reads.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn

import yaml

FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
REVISION_LABEL = "org.opencontainers.image.revision"
CONTROL = Path(__file__).resolve().parent.parent / "matrix-bridge-sim"
# Inside a real build these take seconds to minutes; here milliseconds unless realistic.
STEPS = (
    "[{service} internal] load build definition from Dockerfile",
    "[{service} 1/4] FROM docker.io/library/python:3.12-slim",
    "[{service} 2/4] COPY requirements.txt .",
    "[{service} 3/4] RUN pip install -r requirements.txt",
    "[{service} 4/4] COPY . .",
)
FAILING_STEP = 3


def say(text: str) -> None:
    print(text, flush=True)


def fail(text: str, code: int = 1) -> NoReturn:
    print(text, file=sys.stderr, flush=True)
    sys.exit(code)


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def step_delay() -> float:
    return 1.5 if (CONTROL / "realistic").exists() else 0.02


def load_project(options: dict) -> tuple[str, dict]:
    files = [options["file"]] if options.get("file") else [f for f in FILES if Path(f).exists()]
    if not files or not Path(files[0]).exists():
        fail(
            "no configuration file provided: not found"
            if not options.get("file")
            else f"open {options['file']}: no such file or directory"
        )
    try:
        data = yaml.safe_load(Path(files[0]).read_text()) or {}
    except yaml.YAMLError as exc:
        fail(f"yaml: {exc}", 15)
    services = data.get("services")
    if not isinstance(services, dict) or not services:
        fail("no service selected", 15)
    project = options.get("project") or data.get("name") or Path.cwd().name
    project = re.sub(r"[^a-z0-9_-]", "", project.lower()) or "default"
    return project, services


def image_of(project: str, name: str, service: dict) -> str:
    return str(service.get("image") or f"{project}-{name}")


def container_of(project: str, name: str, service: dict) -> str:
    return str(service.get("container_name") or f"{project}-{name}-1")


def head_commit(context: str) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=context, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def docker(*args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=quiet, text=True, check=False)


def engine_build(image: str, context: str, revision: str) -> None:
    """On a real engine (engine mode), a real ``docker build`` of the context.

    Nothing can be pulled, so the Dockerfile's ``FROM`` is replaced by the simulator's
    local base image; the context is copied in and the commit labelled, so the image,
    its id and its revision label are the engine's. The stand-in has no images to list:
    there, nothing happens.
    """
    listed = docker("images", "--filter", "reference=spark-sim/base", "--format",
                    "{{.Repository}}:{{.Tag}}")  # fmt: skip
    bases = listed.stdout.split() if listed.returncode == 0 else []
    if not bases:
        return
    dockerfile = f"FROM {bases[0]}\nCOPY . /app\nLABEL {REVISION_LABEL}={revision}\n"
    done = subprocess.run(
        ["docker", "build", "--quiet", "--tag", image, "--file", "-", context],
        input=dockerfile,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        fail(done.stderr.strip() or done.stdout.strip(), done.returncode)


def hold(point: str) -> None:
    """Wait here while the test holds ``point`` (taken once: only the first command to
    reach it waits); ``held.pid`` tells the test which process waits."""
    switch = CONTROL / "hold.json"
    if read_json(switch).get("point") != point:
        return
    taken = CONTROL / "hold.taken"
    try:
        os.rename(switch, taken)  # atomic: a second command finds no switch
    except OSError:
        return
    tmp = CONTROL / "held.tmp"
    tmp.write_text(f"{os.getpid()} {point}")
    os.replace(tmp, CONTROL / "held.pid")
    while taken.exists():
        time.sleep(0.05)


def build(project: str, services: dict, wanted: list[str]) -> None:
    switch = read_json(CONTROL / "build.json")
    images_path = CONTROL / "images.json"
    delay = step_delay()
    say('#0 building with "default" instance using docker driver')
    number = 0
    for name, service in services.items():
        if (wanted and name not in wanted) or not service.get("build"):
            continue
        context = (
            service["build"]
            if isinstance(service["build"], str)
            else (service["build"].get("context", "."))
        )
        for index, step in enumerate(STEPS):
            number += 1
            say(f"#{number} {step.format(service=name)}")
            time.sleep(delay)
            if index == FAILING_STEP:
                hold("build")
            if index == FAILING_STEP and switch.get("mode") == "hang":
                (CONTROL / "build.pid").write_text(str(os.getpid()))
                say(f"#{number} 0.512 Collecting matrix-nio[e2e]>=0.24")
                while True:  # a stuck download: only a signal ends it
                    time.sleep(3600)
            if index == FAILING_STEP and switch.get("mode") == "fail":
                say(
                    f"#{number} 1.873 ERROR: Could not find a version that satisfies the "
                    "requirement matrix-nio[e2e]>=99"
                )
                say(
                    f'#{number} ERROR: process "/bin/sh -c pip install -r requirements.txt" '
                    "did not complete successfully: exit code: 1"
                )
                fail(
                    'failed to solve: process "/bin/sh -c pip install -r requirements.txt" '
                    "did not complete successfully: exit code: 1",
                    17,
                )
            say(f"#{number} DONE {delay:.1f}s")
        image = image_of(project, name, service)
        engine_build(image, context, head_commit(context))
        number += 1
        say(f"#{number} exporting to image")
        say(f"#{number} naming to docker.io/library/{image} done")
        images = read_json(images_path)
        images[image] = {"revision": head_commit(context), "built_at": time.time()}
        CONTROL.mkdir(exist_ok=True)
        tmp = images_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(images))
        os.replace(tmp, images_path)
        say(f" Service {name}  Built")


def environment(service: dict) -> list[str]:
    env = service.get("environment") or {}
    if isinstance(env, dict):
        return [f"{k}={'' if v is None else v}" for k, v in env.items()]
    return [str(item) for item in env]


def inspect_revision(container: str) -> tuple[str | None, str | None]:
    """(state, revision label) of a container, or (None, None) when there is none."""
    fmt = '{{.State.Status}} {{index .Config.Labels "' + REVISION_LABEL + '"}}'
    done = docker("inspect", "--format", fmt, container)
    if done.returncode != 0:
        return None, None
    state, _, revision = done.stdout.strip().partition(" ")
    return state, revision


def up(project: str, services: dict, flags: set[str], wanted: list[str]) -> None:
    images = read_json(CONTROL / "images.json")
    missing = [
        n for n, s in services.items() if s.get("build") and image_of(project, n, s) not in images
    ]
    if "--build" in flags or missing:
        build(project, services, [] if "--build" in flags else missing)
        images = read_json(CONTROL / "images.json")
    for name, service in services.items():
        if wanted and name not in wanted:
            continue
        image = image_of(project, name, service)
        container = container_of(project, name, service)
        revision = images.get(image, {}).get("revision", "unknown")
        state, running_revision = inspect_revision(container)
        fresh = state is not None and running_revision == revision
        if fresh and "--force-recreate" not in flags:
            if state != "running":
                docker("start", container)
                say(f" Container {container}  Started")
            else:
                say(f" Container {container}  Running")
            continue
        if state is not None:
            say(f" Container {container}  Recreate")
            docker("rm", "--force", container)
            hold("recreate")  # the old container is gone, the new one not started
            say(f" Container {container}  Recreated")
        else:
            say(f" Container {container}  Creating")
            say(f" Container {container}  Created")
        say(f" Container {container}  Starting")
        args = ["run", "--detach", "--name", container]
        args += ["--restart", str(service.get("restart", "no"))]
        args += ["--label", f"com.docker.compose.project={project}"]
        args += ["--label", f"com.docker.compose.service={name}"]
        args += ["--label", f"{REVISION_LABEL}={revision}"]
        for item in environment(service):
            args += ["--env", item]
        args += ["--env", f"SPARK_SIM_BOT_REVISION={revision}", image]
        done = docker(*args)
        if done.returncode != 0:
            fail(f"Error response from daemon: {done.stderr.strip()}")
        say(f" Container {container}  Started")


DOING = {"restart": "Restarting", "stop": "Stopping", "start": "Starting"}


def each_container(project: str, services: dict, wanted: list[str], verb: str, past: str) -> None:
    status = 0
    for name, service in services.items():
        if wanted and name not in wanted:
            continue
        container = container_of(project, name, service)
        say(f" Container {container}  {DOING[verb]}")
        done = docker(verb, container)
        if done.returncode != 0:
            print(done.stderr.strip(), file=sys.stderr, flush=True)
            status = 1
            continue
        say(f" Container {container}  {past}")
    if status:
        sys.exit(status)


def _options(args: list[str]) -> dict:
    """Take the global flags (``-f``, ``-p``) off the front of ``args``."""
    options: dict = {}
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag in ("-f", "--file", "-p", "--project-name") and args:
            options["file" if flag in ("-f", "--file") else "project"] = args.pop(0)
        elif flag.startswith(("--file=", "--project-name=")):
            key, _, value = flag.partition("=")
            options["file" if key == "--file" else "project"] = value
        else:
            fail(f"unknown flag: {flag}")
    return options


# Commands that act on each container: (docker verb, what compose says after).
_EACH = {
    "restart": ("restart", "Started"),
    "stop": ("stop", "Stopped"),
    "start": ("start", "Started"),
}


def main(argv: list[str]) -> None:
    args = list(argv)
    options = _options(args)
    if not args:
        say("Usage:  docker compose [OPTIONS] COMMAND")
        return
    command, rest = args[0], args[1:]
    flags = {a for a in rest if a.startswith("-")}
    wanted = [a for a in rest if not a.startswith("-")]
    if command == "version":
        say("Docker Compose version v2.29.7")
        return
    project, services = load_project(options)
    if command in _EACH:
        each_container(project, services, wanted, *_EACH[command])
    elif command == "config":
        config(project, services, flags)
    elif command == "build":
        build(project, services, wanted)
    elif command == "up":
        if not {"-d", "--detach"} & flags:
            fail("the simulated compose runs services detached only: use up -d")
        up(project, services, flags, wanted)
    elif command == "down":
        down(project, services)
    elif command == "ps":
        done = docker(
            "ps", "--all", "--filter", f"label=com.docker.compose.project={project}", quiet=False
        )
        sys.exit(done.returncode)
    else:
        fail(f'unknown docker command: "compose {command}"')


def config(project: str, services: dict, flags: set[str]) -> None:
    if "--services" in flags:
        say("\n".join(services))
    else:
        say(yaml.safe_dump({"name": project, "services": services}, sort_keys=False))


def down(project: str, services: dict) -> None:
    for name, service in services.items():
        container = container_of(project, name, service)
        docker("rm", "--force", container)
        say(f" Container {container}  Removed")


if __name__ == "__main__":
    main(sys.argv[1:])
