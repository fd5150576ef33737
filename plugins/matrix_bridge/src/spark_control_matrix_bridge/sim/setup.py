"""Puts the simulated bot's git repositories on a simulated node (a one-shot service).

For every user home on the node: a bare repository ``~/upstream/matrix-bridge-bot.git``
(the local upstream) holding a small bot project (compose file, Dockerfile, code), and
a clone of it, ``~/matrix-bridge-bot``, whose ``origin`` fetches through the node's
``matrix-bot-upload-pack`` command (so a switch can make the upstream refuse). Then it
starts the bot from the first home's checkout (``docker compose up -d``), as a node
that already runs its bot would, and marks the node ready. Real git throughout.

Usage: setup.py <sandbox>
"""

import os
import subprocess
import sys
from pathlib import Path

NAME = "matrix-bridge-bot"
IDENTITY = ["-c", "user.name=Spark Sim", "-c", "user.email=sim@example.invalid"]
FILES = {
    "compose.yaml": """services:
  bot:
    build: .
    image: matrix-bridge-bot:latest
    container_name: matrix-bridge-bot
    restart: unless-stopped
    environment:
      HOMESERVER_URL: https://matrix.example.org
    healthcheck:
      test: ["CMD", "python", "-c", "import bot; bot.healthy()"]
      interval: 30s
""",
    "Dockerfile": """FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "bot.py"]
""",
    "requirements.txt": "matrix-nio[e2e]>=0.24\n",
    "bot.py": '"""A Matrix bridge bot (the simulated image runs a stand-in)."""\n',
    "README.md": "# matrix-bridge-bot\n\nA sample bot for the Spark Control demo.\n",
}


def git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True)


def install(home: Path) -> Path:
    upstream = home / "upstream" / f"{NAME}.git"
    checkout = home / NAME
    if checkout.exists():
        return checkout
    seed = home / "upstream" / f".{NAME}-seed"
    upstream.parent.mkdir(parents=True, exist_ok=True)
    git("init", "--quiet", "--bare", "--initial-branch=main", str(upstream))
    git("init", "--quiet", "--initial-branch=main", str(seed))
    for name, text in FILES.items():
        (seed / name).write_text(text)
    git("add", ".", cwd=seed)
    git("commit", "--quiet", "-m", "Matrix bridge bot: first version", cwd=seed)
    git("push", "--quiet", str(upstream), "main", cwd=seed)
    subprocess.run(["rm", "-rf", str(seed)], check=True)
    git("clone", "--quiet", str(upstream), str(checkout))
    git("config", "remote.origin.uploadpack", "matrix-bot-upload-pack", cwd=checkout)
    return checkout


def main(sandbox: Path) -> None:
    control = sandbox / "matrix-bridge-sim"
    control.mkdir(exist_ok=True)
    homes = sorted(p for p in (sandbox / "home").iterdir() if p.is_dir())
    checkouts = [install(home) for home in homes]
    if checkouts:
        env = {**os.environ, "PATH": f"{sandbox / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
        subprocess.run(
            ["docker", "compose", "up", "--detach"],
            cwd=checkouts[0],
            env=env,
            check=False,
            capture_output=True,
        )
    (control / "ready").write_text("1\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
