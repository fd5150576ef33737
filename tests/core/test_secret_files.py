"""Secret files shared by several gateway processes on one folder (issue 26 item 2):
processes creating a key at the same moment all end with one key, and pins written by
processes at once are all kept; a host already pinned by one is not re-pinned by
another with a different key. Real processes (fork) racing on a real folder."""

from __future__ import annotations

import multiprocessing
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh

from spark_control.secret_files import secret_file
from spark_control.ssh.keys import HostKeyStore, ensure_gateway_key

PROCESSES = 6
ADDRESS = "192.0.2.10"


def _race(target: Callable[..., Any], *args: Any) -> list[Any]:
    """Run ``target(barrier, index, *args)`` in PROCESSES processes released together;
    their results, in index order (a failure in one is raised here)."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [
        context.Process(target=_report, args=(results, target, barrier, i, *args))
        for i in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        got = dict(results.get(timeout=120) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    failed = [value for value in got.values() if isinstance(value, BaseException)]
    if failed:
        raise failed[0]
    return [got[i] for i in range(PROCESSES)]


def _report(results: Any, target: Callable[..., Any], barrier: Any, index: int, *args: Any) -> None:
    try:
        results.put((index, target(barrier, index, *args)))
    except BaseException as exc:
        results.put((index, RuntimeError(f"process {index}: {exc!r}")))


def _create_secret(barrier: Any, index: int, path: Path) -> bytes:
    def slow_create() -> bytes:
        time.sleep(0.05)  # every process is past its "missing?" check before any links
        return f"secret of process {index}".encode()

    barrier.wait(timeout=60)
    return secret_file(path, slow_create)


def _gateway_key(barrier: Any, index: int, secrets_dir: Path) -> str:
    barrier.wait(timeout=60)
    return ensure_gateway_key(secrets_dir).public_openssh


def _pin_own_port(barrier: Any, index: int, path: Path, rounds: int) -> None:
    store = HostKeyStore(path)
    barrier.wait(timeout=60)
    for n in range(rounds):
        key = asyncssh.generate_private_key("ssh-ed25519")
        assert store.pin(ADDRESS, 2000 + index * rounds + n, key)


def _pin_same_host(barrier: Any, index: int, path: Path) -> tuple[bool, str]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    barrier.wait(timeout=60)
    pinned = HostKeyStore(path).pin(ADDRESS, 22, key)
    return pinned, key.get_fingerprint("sha256")


def test_processes_creating_a_secret_at_once_all_get_the_first_one(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "vault.key"
    results = _race(_create_secret, path)
    assert len(set(results)) == 1
    assert results[0].startswith(b"secret of process ")
    assert path.read_bytes() == results[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.listdir(path.parent) == ["vault.key"]  # no temporary file left behind


def test_gateways_starting_at_once_on_one_folder_end_with_one_ssh_key(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    publics = _race(_gateway_key, secrets)
    assert len(set(publics)) == 1
    key = asyncssh.read_private_key(secrets / "ssh" / "id_ed25519")
    assert key.export_public_key("openssh").decode().strip() == publics[0]
    assert (secrets / "ssh" / "id_ed25519.pub").read_text().strip() == publics[0]
    assert stat.S_IMODE((secrets / "ssh" / "id_ed25519").stat().st_mode) == 0o600
    assert stat.S_IMODE((secrets / "ssh").stat().st_mode) == 0o700
    assert sorted(os.listdir(secrets / "ssh")) == ["id_ed25519", "id_ed25519.pub"]


def test_a_copied_in_key_with_loose_permissions_is_used_and_tightened(tmp_path: Path) -> None:
    made = ensure_gateway_key(tmp_path / "one")
    copy = tmp_path / "two" / "ssh"
    copy.mkdir(parents=True, mode=0o755)
    (copy / "id_ed25519").write_bytes(made.private_path.read_bytes())
    (copy / "id_ed25519").chmod(0o644)
    assert ensure_gateway_key(tmp_path / "two").public_openssh == made.public_openssh
    assert stat.S_IMODE((copy / "id_ed25519").stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.stat().st_mode) == 0o700


def test_pins_written_by_processes_at_once_are_all_kept(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "known_hosts"
    rounds = 5
    _race(_pin_own_port, path, rounds)
    store = HostKeyStore(path)
    ports = range(2000, 2000 + PROCESSES * rounds)
    assert all(len(store.get(ADDRESS, port)) == 1 for port in ports)
    assert len(path.read_text().splitlines()) == PROCESSES * rounds
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_one_host_pinned_by_processes_at_once_keeps_the_first_key(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "known_hosts"
    results = _race(_pin_same_host, path)
    winners = [fp for pinned, fp in results if pinned]
    assert len(winners) == 1
    pinned = HostKeyStore(path).get(ADDRESS, 22)
    assert [key.get_fingerprint("sha256") for key in pinned] == winners
    # The same key again is fine; a different one is refused, not added.
    assert HostKeyStore(path).pin(ADDRESS, 22, pinned[0])
    assert not HostKeyStore(path).pin(ADDRESS, 22, asyncssh.generate_private_key("ssh-ed25519"))
    assert len(path.read_text().splitlines()) == 1
