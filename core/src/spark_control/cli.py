"""The ``spark-control`` command: serve, demo, plugins, config check|env, nodes
check|install-key, keys create|list|revoke, health, db upgrade|import.

Configuration errors exit with 78 (EX_CONFIG: "do not restart, fix the config") and one
clear message on stderr, never a traceback and never a secret.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from spark_control.api_keys import KeyInfo, KeyStore
from spark_control.audit import AuditLog
from spark_control.db_cli import add_db_parser
from spark_control.errors import ConfigError, SparkError
from spark_control.folders import folder_problem
from spark_control.plugins import load_plugins
from spark_control.settings import (
    CoreSettings,
    LoadedConfig,
    iter_env_settings,
    load_config,
    unclaimed_sections,
)
from spark_control.stopping import Stopped, stop_signals
from spark_control.store import store_for
from spark_control.topology import build_topology

T = TypeVar("T")

EX_CONFIG = 78
EX_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except ConfigError as exc:
        print(f"spark-control: configuration error: {exc.message}", file=sys.stderr)
        return EX_CONFIG
    except Stopped as stop:
        # SIGINT or SIGTERM, after serve's or demo's clean shutdown (stopping.stop_signals).
        return stop.exit_code
    except KeyboardInterrupt:
        return EX_INTERRUPTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spark-control", description="Control plane for a small private GPU cluster."
    )
    sub = parser.add_subparsers(metavar="COMMAND")
    serve = _with_config(sub.add_parser("serve", help="run the gateway"))
    serve.add_argument("--host", help="bind address (overrides gateway.host)")
    serve.add_argument("--port", type=int, help="port (overrides gateway.port)")
    serve.add_argument(
        "--strict", action="store_true", help="fail if any enabled plugin fails to load or start"
    )
    serve.set_defaults(run=_serve)

    demo = sub.add_parser("demo", help="run the gateway against a simulated cluster")
    demo.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=9999, help="port (default 9999; 0 picks one)")
    demo.add_argument(
        "--data-dir",
        type=Path,
        default=Path("demo-data"),
        help="the demo's own folder, emptied on every run (default ./demo-data)",
    )
    demo.add_argument(
        "--realistic", action="store_true", help="simulated loads take as long as real ones"
    )
    demo.add_argument(
        "--engine",
        choices=("stand-in", "docker"),
        default="stand-in",
        help="what runs the nodes' containers: the simulator's stand-in (default) or a real "
        "dockerd per node (needs Debian's docker.io and root; see docs/ENGINE_MODE.md)",
    )
    demo.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host name the browser may use besides IP addresses and localhost",
    )
    demo.set_defaults(run=_demo)

    plugins = _with_config(sub.add_parser("plugins", help="list discovered plugins"))
    plugins.add_argument("--json", action="store_true")
    plugins.set_defaults(run=_plugins)

    config = sub.add_parser("config", help="check the configuration or list its env names")
    config_sub = config.add_subparsers(metavar="ACTION")
    check = _with_config(config_sub.add_parser("check", help="validate and show the topology"))
    check.add_argument("--json", action="store_true")
    check.set_defaults(run=_config_check)
    env = _with_config(config_sub.add_parser("env", help="every environment variable name"))
    env.add_argument("--json", action="store_true")
    env.set_defaults(run=_config_env)

    nodes = sub.add_parser("nodes", help="check the nodes")
    nodes_sub = nodes.add_subparsers(metavar="ACTION")
    nodes_check = _with_config(
        nodes_sub.add_parser("check", help="verify every node's prerequisites over SSH")
    )
    nodes_check.add_argument("--json", action="store_true")
    nodes_check.set_defaults(run=_nodes_check)

    install = _with_config(
        nodes_sub.add_parser(
            "install-key",
            help="install the gateway's SSH key on a node, asking once for its password",
        )
    )
    install.add_argument("node", help="node name, e.g. spark-1")
    install.set_defaults(run=_nodes_install_key)
    _keys_parser(sub)
    _health_parser(sub)
    add_db_parser(sub, _with_config)
    return parser


def _with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--config", "-c", type=Path, help="YAML config file (default: $SPARK_CONTROL_CONFIG)"
    )
    return p


def _keys_parser(sub: Any) -> None:
    keys = sub.add_parser("keys", help="create, list and revoke API keys")
    keys_sub = keys.add_subparsers(metavar="ACTION")
    create = _with_config(
        keys_sub.add_parser("create", help="create a key; prints its secret once")
    )
    create.add_argument("name", help="a name for who uses the key, e.g. meeting-app")
    create.add_argument(
        "--scope",
        action="append",
        dest="scopes",
        metavar="SCOPE",
        help="read (default), swap, admin, or a plugin's scope; repeat for several",
    )
    create.add_argument("--json", action="store_true")
    create.set_defaults(run=_keys_create)
    listing = _with_config(keys_sub.add_parser("list", help="active keys (never their secrets)"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_keys_list)
    revoke = _with_config(keys_sub.add_parser("revoke", help="revoke a key and its sign-ins"))
    revoke.add_argument("name")
    revoke.set_defaults(run=_keys_revoke)


def _health_parser(sub: Any) -> None:
    health = sub.add_parser("health", help="ask a running gateway for its health")
    health.add_argument(
        "--url", default=os.environ.get("SPARK_CONTROL_URL", "http://127.0.0.1:9999")
    )
    health.add_argument("--deep", action="store_true", help="run every check now")
    health.add_argument(
        "--key",
        default=os.environ.get("SPARK_CONTROL_KEY"),
        help="API key when access.require_keys is on (default: $SPARK_CONTROL_KEY)",
    )
    health.add_argument("--json", action="store_true")
    health.set_defaults(run=_health)


# --- commands --------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    with stop_signals():
        return _serve_until_stopped(args)


def _serve_until_stopped(args: argparse.Namespace) -> int:
    from spark_control.gateway import Gateway
    from spark_control.server import make_server

    config = load_config(args.config)
    if args.host:
        config.core.gateway.host = args.host
    if args.port:
        if not 1 <= args.port <= 65535:
            raise ConfigError(f"--port: must be 1..65535 (got {args.port})")
        config.core.gateway.port = args.port
    gateway = Gateway(config, strict=args.strict)
    failed = [r for r in gateway.records.values() if r.status == "failed"]
    if args.strict and failed:
        reasons = "; ".join(f"{r.name}: {r.reason}" for r in failed)
        raise ConfigError(f"--strict: plugins failed to load: {reasons}")
    settings = config.core.gateway
    print(f"Spark Control on http://{_url_host(settings.host)}:{settings.port}/", flush=True)
    make_server(gateway).run()
    return 0


def _demo(args: argparse.Namespace) -> int:
    from spark_control.demo import DemoOptions, run_demo

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port: must be 0..65535 (got {args.port})")
    options = DemoOptions(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        realistic=args.realistic,
        engine="docker" if args.engine == "docker" else None,
        allowed_hosts=tuple(args.allow_host),
    )
    with stop_signals():
        return run_demo(options)


def _plugins(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    _, records = _load(config)
    rows = [r.public() for r in records.values()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no plugins installed")
    for row in rows:
        state = "enabled" if row["enabled"] else row["status"]
        print(f"{row['name']:<16} {row['version'] or '-':<10} {state}")
        if row["reason"]:
            print(f"    reason: {row['reason']}")
        if row["hooks"]:
            print(f"    hooks:  {', '.join(row['hooks'])}")
    return 0


def _config_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    core = config.core
    if (problem := folder_problem(core.gateway.data_dir)) is not None:
        raise ConfigError(f"gateway.data_dir {core.gateway.data_dir}: {problem}")
    secrets_dir = core.gateway.secrets_dir or core.gateway.data_dir
    topology = build_topology(core, default_key=secrets_dir / "ssh" / "id_ed25519")
    _, records = _load(config)
    report: dict[str, Any] = {
        "config_file": str(config.source_path) if config.source_path else None,
        "gateway": {
            "host": core.gateway.host,
            "port": core.gateway.port,
            "data_dir": str(core.gateway.data_dir),
            "secrets_dir": str(secrets_dir),
        },
        "nodes": {
            n.name: {
                "address": n.address,
                "user": n.user,
                "port": n.port,
                "key_path": str(n.key_path),
                "labels": list(n.labels),
            }
            for n in topology.nodes.values()
        },
        "services": {
            s.name: {
                "node": s.node,
                "kind": s.kind,
                "url": topology.service_url(s),
                "disabled": s.disabled,
            }
            for s in topology.services.values()
        },
        "plugins": {
            r.name: r.status if not r.reason else f"{r.status}: {r.reason}"
            for r in records.values()
        },
        "warnings": [*topology.warnings, *unclaimed_sections(config, records)],
    }
    # A plugin section that does not validate is a configuration error here, although
    # plain ``serve`` runs on without that plugin (``--strict`` refuses to start).
    invalid = [r for r in records.values() if r.config_error]
    if args.json:
        print(json.dumps(report, indent=2))
        return EX_CONFIG if invalid else 0
    print(f"config file: {report['config_file'] or '(none: defaults and environment)'}")
    print(
        f"gateway:     http://{_url_host(core.gateway.host)}:{core.gateway.port}/ "
        f"data in {core.gateway.data_dir}"
    )
    print("nodes:" if report["nodes"] else "nodes:       none")
    for name, n in report["nodes"].items():
        labels = f" [{', '.join(n['labels'])}]" if n["labels"] else ""
        print(f"  {name:<12} {n['user']}@{n['address']}:{n['port']} key {n['key_path']}{labels}")
    print("services:" if report["services"] else "services:    none configured")
    for name, s in report["services"].items():
        off = " (disabled)" if s["disabled"] else ""
        print(f"  {name:<12} {s['kind']:<12} {s['url']} on {s['node']}{off}")
    print("plugins:" if report["plugins"] else "plugins:     none installed")
    for name, state in report["plugins"].items():
        print(f"  {name:<12} {state}")
    for warning in report["warnings"]:
        print(f"warning: {warning}")
    for record in invalid:
        print(f"config error: {record.name}: {record.reason}", file=sys.stderr)
    return EX_CONFIG if invalid else 0


def _config_env(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    pm, records = _load(config)
    rows = [dict(s.__dict__, section="core") for s in iter_env_settings(CoreSettings)]
    for name, record in records.items():
        if record.status != "loaded":
            continue
        model = getattr(pm.get_plugin(name), "settings_model", None)
        if model is not None:
            rows += [dict(s.__dict__, section=name) for s in iter_env_settings(model, (name,))]
    for row in rows:
        row["aliases"] = list(row["aliases"])
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    for row in rows:
        aliases = f" (also {', '.join(row['aliases'])})" if row["aliases"] else ""
        print(f"{row['name']}{aliases}  default: {json.dumps(row['default'], default=str)}")
    return 0


def _nodes_check(args: argparse.Namespace) -> int:
    from spark_control.gateway import Gateway
    from spark_control.node_checks import run_node_checks

    gateway = Gateway(load_config(args.config))

    async def run() -> list[Any]:
        # Start the gateway without serving it: plugins register their checks and
        # open what their checks need, exactly as when serving.
        async with gateway.app.router.lifespan_context(gateway.app):
            return await run_node_checks(gateway)

    rows = asyncio.run(run())
    failed = [r for r in rows if not r.ok]
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], indent=2))
    elif not rows:
        print("no nodes configured")
    else:
        for row in rows:
            mark = "ok  " if row.ok else "FAIL"
            owner = "" if row.owner == "core" else f" ({row.owner})"
            print(f"{mark} {row.node:<12} {row.check + owner:<24} {row.detail}")
        print(f"{len(rows) - len(failed)} of {len(rows)} checks passed")
    return 1 if failed else 0


def _nodes_install_key(args: argparse.Namespace) -> int:
    from spark_control.gateway import Gateway
    from spark_control.ssh import ensure_gateway_key
    from spark_control.ssh.install import install_key

    gateway = Gateway(load_config(args.config))
    host = gateway.host
    # An operator's one-off, idempotent install from a shell, not the cluster's
    # automation: it needs no lead (several gateways, docs/REPLICAS.md).
    host.ssh.fence = None
    node = host.topology.nodes.get(args.node)
    if node is None:
        known = ", ".join(host.topology.nodes) or "none configured"
        raise ConfigError(f"no node named {args.node!r} (nodes: {known})")
    password = getpass.getpass(f"password of {node.user}@{node.address} (used once, not kept): ")

    async def run() -> str:
        host.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        await host.run_blocking(ensure_gateway_key, host.secrets_dir)
        async with host.store:
            await host.audit.setup()
            try:
                result = await install_key(host.ssh, node, password)
            except SparkError as exc:
                await host.audit.record(
                    "ssh.key_install",
                    actor="cli",
                    origin="cli",
                    target=node.name,
                    result="failed",
                    detail={"user": node.user, "reason": exc.message},
                )
                raise
            finally:
                await host.ssh.close()
                host.close()
            await host.audit.record(
                "ssh.key_install",
                actor="cli",
                origin="cli",
                target=node.name,
                result=result.status,
                detail={"user": node.user, "fingerprint": result.fingerprint},
            )
            return result.status

    try:
        status = asyncio.run(run())
    except SparkError as exc:
        print(f"spark-control: {exc.message}", file=sys.stderr)
        return 1
    if status == "already_installed":
        print(f"{node.name} already accepts the gateway's key; nothing changed")
    else:
        print(f"installed the gateway's key on {node.name}; key login works")
    return 0


def _with_keys(config: LoadedConfig, work: Callable[[KeyStore, AuditLog], Awaitable[T]]) -> T:
    """Run ``work`` against the key store in the configured data directory."""

    async def run() -> T:
        data_dir = config.core.gateway.data_dir.expanduser()
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        url = config.core.gateway.database_url
        async with store_for(data_dir, url.get_secret_value() if url else None) as store:
            keys = KeyStore(store)
            audit = AuditLog(store)
            await keys.setup()
            await audit.setup()
            return await work(keys, audit)

    return asyncio.run(run())


def _keys_create(args: argparse.Namespace) -> int:
    scopes = args.scopes or ["read"]

    async def work(keys: KeyStore, audit: AuditLog) -> tuple[KeyInfo, str]:
        info, secret = await keys.create(args.name, scopes)
        await audit.record(
            "access.key_create",
            actor="cli",
            origin="cli",
            target=info.name,
            result="ok",
            detail={"scopes": info.scopes},
        )
        return info, secret

    try:
        info, secret = _with_keys(load_config(args.config), work)
    except SparkError as exc:
        print(f"spark-control: {exc.message}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({**info.public(), "secret": secret}, indent=2))
        return 0
    print(f"created key {info.name!r} with scopes {', '.join(info.scopes)}")
    print("its secret, shown only now (store it where the app reads it):")
    print(secret)
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    async def work(keys: KeyStore, audit: AuditLog) -> list[KeyInfo]:
        return await keys.list()

    rows = _with_keys(load_config(args.config), work)
    if args.json:
        print(json.dumps([k.public() for k in rows], indent=2))
        return 0
    if not rows:
        print("no API keys")
    for key in rows:
        used = _when(key.last_used) if key.last_used else "never used"
        print(f"{key.name:<24} {','.join(key.scopes):<20} created {_when(key.created)}, {used}")
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    async def work(keys: KeyStore, audit: AuditLog) -> KeyInfo:
        info = await keys.revoke(args.name)
        await audit.record(
            "access.key_revoke", actor="cli", origin="cli", target=info.name, result="ok"
        )
        return info

    try:
        _with_keys(load_config(args.config), work)
    except SparkError as exc:
        print(f"spark-control: {exc.message}", file=sys.stderr)
        return 1
    print(f"revoked key {args.name!r}; a running gateway refuses it within access.key_cache_s")
    return 0


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _health(args: argparse.Namespace) -> int:
    path = "/api/health/deep" if args.deep else "/api/health"
    try:
        headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
        response = httpx.get(
            args.url.rstrip("/") + path, headers=headers, timeout=30.0, trust_env=False
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        print(f"spark-control: cannot reach the gateway at {args.url}: {exc}", file=sys.stderr)
        return 1
    body = response.json()
    if args.json:
        print(json.dumps(body, indent=2))
    else:
        print(f"overall: {body['status']}")
        for name, probe in sorted(body["probes"].items()):
            latency = probe.get("latency_ms")
            ms = f" {latency:.0f} ms" if isinstance(latency, (int, float)) else ""
            detail = f" - {probe['detail']}" if probe.get("detail") else ""
            print(f"  {name:<24} {probe['state']:<9}{ms}{detail}")
    return 0 if body["status"] in ("ok", "degraded") else 1


# --- helpers ---------------------------------------------------------------------------


def _load(config: LoadedConfig) -> tuple[Any, dict[str, Any]]:
    return load_plugins(config.core.plugins.enabled, config.plugin_sections, config.environ)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


if __name__ == "__main__":
    raise SystemExit(main())
