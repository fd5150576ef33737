"""Core settings and their loading: built-in defaults < YAML file < environment.

Every setting has a generated environment name, ``SPARK_CONTROL__<SECTION>__<KEY>``;
fields may declare older names with ``EnvAlias`` (the generated name wins when both are
set). A blank value means "use the default", so a blank port never crashes start-up.
Plugin sections are validated by the plugin's own model (see ``plugins.py``); the core
validates only its own sections and fails with :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import os
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import yaml
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretBytes,
    SecretStr,
    ValidationError,
    field_validator,
)

from spark_control.errors import ConfigError
from spark_control.leadership import replica_url

ENV_PREFIX = "SPARK_CONTROL"
CONFIG_PATH_ENV = "SPARK_CONTROL_CONFIG"

_SECRET_NAME = re.compile(r"secret|token|password|passwd|api_key|apikey", re.IGNORECASE)
_NAME = r"^[a-z0-9][a-z0-9_-]{0,62}$"


@dataclass(frozen=True)
class EnvAlias:
    """Field metadata: older environment names that also set this field."""

    names: tuple[str, ...]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", names)


class Section(BaseModel):
    """Base of every settings section: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


PluginSettings = Section
"""The base class plugins use for their own settings model."""

Port = Annotated[int, Field(ge=1, le=65535)]
Name = Annotated[str, Field(pattern=_NAME)]


class GatewaySettings(Section):
    host: str = Field("127.0.0.1", description="Address the gateway binds.")
    port: Port = Field(9999, description="Port the gateway listens on.")
    data_dir: Path = Field(
        Path("data"),
        description="The SQLite database lives here, and the keys and pinned host keys "
        "unless secrets_dir is set.",
    )
    secrets_dir: Path | None = Field(
        None,
        description="One folder every gateway replica mounts (a Kubernetes or Docker "
        "secret volume, NFS) holding the gateway's SSH key pair (ssh/), the pinned host "
        "keys (known_hosts) and the redaction vault's key, so every replica reaches the "
        "nodes and opens the vault alike; unset, they stay in data_dir "
        "(docs/REPLICAS.md).",
    )
    database_url: SecretStr | None = Field(
        None,
        description="Where the gateway's state lives: unset, the SQLite file in data_dir; "
        "a postgresql://user:password@host:5432/db URL for several gateways on one "
        "database (the store of every subsystem and plugin, the swap lock, the cluster's "
        "leader and the event relay; docs/REPLICAS.md).",
    )
    leader_lease_s: float = Field(
        9.0,
        ge=1.0,
        le=300.0,
        description="With several gateways on one PostgreSQL (database_url): how long the "
        "cluster's leader holds the lead without renewing it (it renews every third of "
        "it); a dead leader is replaced within about 4/3 of this (docs/REPLICAS.md).",
    )
    advertise_url: str | None = Field(
        None,
        description="With several gateways on one PostgreSQL (database_url): the URL the "
        "other replicas reach this one at (http://gateway-a.internal:9999), stored with the "
        "lead while this replica leads, so a replica that does not lead forwards gated "
        "actions (a swap, a stop, a bot update) to it; unset, they answer 503 naming the "
        "leader (docs/REPLICAS.md).",
        examples=["http://gateway-a.internal:9999"],
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host header values accepted besides localhost, 127.0.0.1, [::1] and "
        "the bind address (DNS-rebinding guard). Add the name or IP users browse to.",
    )
    trusted_origins: list[str] = Field(
        default_factory=list,
        description="Extra origins (scheme://host:port) allowed to send state-changing "
        "requests, e.g. a reverse proxy's public origin.",
    )
    public_url: AnyHttpUrl | None = Field(
        None,
        description="The URL people reach the gateway at, e.g. https://spark.example behind "
        "a TLS reverse proxy: its name passes the Host allow-list, its origin the "
        "same-origin guard, and when it is https the sign-in cookie is always Secure.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (10.0.0.5, 10.0.0.0/24) of reverse proxies whose "
        "X-Forwarded-Proto and X-Forwarded-For the gateway believes; none by default.",
    )
    max_body_bytes: int = Field(
        1_048_576, ge=1024, description="Default request body limit; routes may set their own."
    )
    log_level: str = Field("info", pattern="^(debug|info|warning|error)$")
    access_log: Literal["text", "json", "off"] = Field(
        "text",
        description="One line per HTTP request (time, client, method, path, status, bytes, "
        "duration, and for /v1 the model and upstream): text, JSON lines, or off. "
        "Written in batches from a thread, not through logging.",
    )
    access_log_file: Path | None = Field(
        None,
        description="Append the access log to this file instead of standard output. "
        "A relative path is read from the working directory, as data_dir is.",
    )
    services_overrides: Annotated[Path | None, EnvAlias("SERVICES_OVERRIDES")] = Field(
        None,
        description="A services-overrides.yaml of extra or custom services, merged over "
        "the services section (a second node's model server, say). Relative paths "
        "are read from the config file's folder.",
    )

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        if not value.get_secret_value().strip():
            return None
        if value.get_secret_value().split("://", 1)[0] not in ("postgresql", "postgres"):
            raise ValueError(
                "must be a postgresql://user:password@host:5432/database URL; leave it "
                "unset for the SQLite file in data_dir"
            )
        return value

    @field_validator("advertise_url")
    @classmethod
    def _advertise_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return replica_url(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                ipaddress.ip_network(value.strip(), strict=False)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not an IP address or network (no names, no '*')"
                ) from None
        return [value.strip() for value in values]


class PluginSelection(Section):
    enabled: list[str] | None = Field(
        None, description="Plugins to load, in order; unset means every installed plugin."
    )
    required: list[str] = Field(
        default_factory=list,
        description="Plugins that must be loaded and started, else every gated action "
        "answers 503 (fail closed).",
    )


class SSHSettings(Section):
    key_path: Annotated[Path | None, EnvAlias("SSH_KEY_PATH")] = Field(
        None,
        description="Private key for every node without its own; default: the "
        "gateway's generated key in the data directory.",
    )
    user: str | None = Field(None, description="SSH user for nodes that name none.")
    known_hosts: Path | None = Field(
        None,
        description="Check host keys against this known_hosts file instead of "
        "pinning them on first use.",
    )
    connect_timeout_s: float = Field(5.0, gt=0)
    command_timeout_s: float = Field(30.0, gt=0)
    keepalive_interval_s: float = Field(15.0, gt=0)


class HealthSettings(Section):
    interval_s: float = Field(5.0, gt=0, description="Poll interval.")
    probe_timeout_s: float = Field(3.0, gt=0, description="Default per-probe timeout.")
    damping: int = Field(2, ge=1, description="Consistent results needed to change state.")
    log_limit: int = Field(5000, ge=10, description="Connectivity log rows kept.")
    facts_interval_s: float = Field(
        15.0, gt=0, description="How often node facts (GPU, memory, disk) are refreshed."
    )
    min_free_disk_gb: float = Field(
        20.0, ge=0, description="'nodes check' fails a node with less free disk than this."
    )


class HistorySettings(Section):
    interval_s: float = Field(
        30.0, gt=0, description="How often node facts and plugin series are written."
    )
    max_age_s: float = Field(7 * 86_400.0, gt=0, description="History older than this is dropped.")
    max_rows: int = Field(500_000, ge=1000, description="Most history rows kept.")


class NodeSettings(Section):
    # SPARK<N>_HOST is read by _apply_legacy_node_addresses (it names the node too);
    # the alias here is what `config env` lists for it.
    address: Annotated[str, EnvAlias("SPARK<N>_HOST")] = Field(
        description="IP address (preferred) or hostname of the node."
    )
    user: str | None = Field(None, description="SSH user; default: ssh.user.")
    key_path: Path | None = Field(None, description="SSH private key; default: ssh.key_path.")
    port: Port = 22
    labels: list[str] = Field(default_factory=list)
    proc_root: str = Field(
        "/proc",
        description="Where the node's meminfo and uptime are read (a simulated "
        "node has its own view).",
    )
    disk_path: str = Field("/", description="Filesystem whose free space the node card shows.")


class ServiceSettings(Section):
    node: str
    port: Port
    kind: str = Field(description="Which plugin's kind of service this is.")
    health_path: str = "/health"
    scheme: str = Field("http", pattern="^https?$")


class AccessSettings(Section):
    require_keys: bool = Field(
        False,
        description="Require an API key (or a dashboard sign-in) on every route but "
        "/health and the dashboard's own page. Off by default for a LAN install; create "
        "a first key with 'spark-control keys create' before turning it on.",
    )
    session_ttl_s: float = Field(
        43_200, ge=60, description="How long a dashboard sign-in lasts (seconds)."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins (scheme://host:port) whose pages may call the API "
        "with an API key; none by default.",
    )
    key_cache_s: float = Field(
        5.0,
        ge=0,
        description="How long a checked key or session is trusted without reading the "
        "database again; a key revoked from the CLI stops working within this time.",
    )


class CoreSettings(Section):
    """The core's own sections. Plugin sections are kept aside in ``plugin_sections``."""

    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    plugins: PluginSelection = Field(default_factory=PluginSelection)
    access: AccessSettings = Field(default_factory=AccessSettings)
    ssh: SSHSettings = Field(default_factory=SSHSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    nodes: dict[Name, NodeSettings] = Field(default_factory=dict)
    services: dict[Name, ServiceSettings] = Field(default_factory=dict)
    disabled_services: Annotated[list[str], EnvAlias("DISABLED_SERVICES")] = Field(
        default_factory=list, description="Services hidden everywhere: no tile, no probe, no log."
    )


CORE_SECTIONS = frozenset(CoreSettings.model_fields)

# Legacy per-node address variables of the two-box deployment this project grew from.
_LEGACY_NODE_ADDRESS = re.compile(r"^SPARK(\d+)_HOST$")


@dataclass
class LoadedConfig:
    """The validated core settings, the raw plugin sections, and where values came from."""

    core: CoreSettings
    plugin_sections: dict[str, dict[str, Any]]
    source_path: Path | None
    environ: Mapping[str, str]


# --- reading ---------------------------------------------------------------------------


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML config file; a syntax error names its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}: malformed YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    return data


def write_config(path: Path, data: Mapping[str, Any]) -> Path:
    """Write a config file (the demo and tests generate theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(data), sort_keys=False), encoding="utf-8")
    return path


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> LoadedConfig:
    """Load defaults < YAML < environment and validate the core sections."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get(CONFIG_PATH_ENV, "").strip():
        path = Path(environ[CONFIG_PATH_ENV])
    raw = read_yaml(path) if path is not None else {}
    core_raw = {k: v for k, v in raw.items() if k in CORE_SECTIONS}
    plugin_sections = {k: v for k, v in raw.items() if k not in CORE_SECTIONS}
    for name, section in plugin_sections.items():
        if section is not None and not isinstance(section, dict):
            raise ConfigError(f"{name}: a plugin section must be a mapping, got {section!r}")

    merged = apply_env(CoreSettings, core_raw, (), environ)
    _apply_legacy_node_addresses(merged, environ)
    core = validate_section(CoreSettings, merged, prefix="")
    overrides = core.gateway.services_overrides
    if overrides is not None:
        if not overrides.is_absolute() and path is not None:
            overrides = path.parent / overrides
        merged["services"] = {**(merged.get("services") or {}), **_read_services(overrides)}
        core = validate_section(CoreSettings, merged, prefix="")
    return LoadedConfig(core, plugin_sections, path, environ)


def unclaimed_sections(config: LoadedConfig, plugin_names: Iterable[str]) -> list[str]:
    """A warning for each top-level section no core section and no installed plugin
    claims: usually a typo (``helth:``), whose settings would otherwise be silently
    left at their defaults. Not an error: one file may configure plugins a deployment
    has not installed."""
    known = sorted({*CORE_SECTIONS, *plugin_names})
    warnings = []
    for name in sorted(set(config.plugin_sections) - set(known)):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        warnings.append(
            f"config section {name!r} is not a core section nor an installed plugin's; "
            f"its settings are not used{hint}"
        )
    return warnings


def _read_services(path: Path) -> dict[str, Any]:
    """A services-overrides file: ``{name: {node, port, kind, ...}}``, optionally under a
    top-level ``services:`` key."""
    data = read_yaml(path)
    services = data.get("services", data) if isinstance(data, dict) else data
    if not isinstance(services, dict):
        raise ConfigError(f"{path}: expected a mapping of service names to services")
    return services


def validate_section(model: type[BaseModel], data: Any, *, prefix: str) -> Any:
    """Validate ``data`` with ``model``; errors become one ConfigError naming each key."""
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(model, exc, prefix)) from None


def describe_validation_error(model: type[BaseModel], exc: ValidationError, prefix: str) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(part) for part in (*([prefix] if prefix else []), *err["loc"]))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown setting" + _did_you_mean(model, err["loc"])
        value = err.get("input")
        # Structures may hold secrets deeper down: only plain values are echoed.
        plain = isinstance(value, (str, int, float, bool)) or value is None
        shown = f" (got {_short(value)})" if plain and not _is_secret(model, err["loc"]) else ""
        if not plain and err["type"] != "extra_forbidden":
            shown = f" (got a {_kind_of(value)})"
        if err["type"] == "missing":
            shown = ""
        lines.append(f"{key}: {message}{shown}")
    return "invalid configuration: " + "; ".join(lines)


def _did_you_mean(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """A close known name for an unknown key at ``loc`` (its section's fields)."""
    section: Any = model
    for part in loc[:-1]:
        if typing.get_origin(section) is dict:
            section = typing.get_args(section)[1]  # ``part`` is a key (a node's name)
            continue
        fields = getattr(section, "model_fields", None)
        field = fields.get(part) if isinstance(fields, dict) else None
        if field is None:
            return ""
        section = field.annotation
    fields = getattr(section, "model_fields", None)
    if not isinstance(fields, dict) or not isinstance(loc[-1], str):
        return ""
    close = difflib.get_close_matches(loc[-1], list(fields), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind_of(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "list"
    return "mapping" if isinstance(value, dict) else type(value).__name__


def _short(value: Any) -> str:
    if isinstance(value, str):
        # A URL's user-info may hold a password, whatever the setting's name says.
        value = _URL_USERINFO.sub(r"\1***@", value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_URL_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@]*@")


def _is_secret(model: type[BaseModel], loc: tuple[Any, ...]) -> bool:
    if any(_SECRET_NAME.search(str(part)) for part in loc):
        return True
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return False
        annotation = fields[part].annotation
        if _contains_type(annotation, (SecretStr, SecretBytes)):
            return True
        current = _model_in(annotation)
    return False


# --- environment -----------------------------------------------------------------------


@dataclass(frozen=True)
class EnvSetting:
    """One environment variable that sets one setting."""

    name: str
    setting: str
    aliases: tuple[str, ...]
    default: Any
    description: str | None


def env_name(*parts: str) -> str:
    """The generated environment name for a setting path."""
    cleaned = [re.sub(r"[^A-Za-z0-9]", "_", p).upper() for p in parts]
    return "__".join([ENV_PREFIX, *cleaned])


def apply_env(
    model: type[BaseModel], data: dict[str, Any], path: tuple[str, ...], environ: Mapping[str, str]
) -> dict[str, Any]:
    """Return ``data`` with every non-blank environment value for ``model`` applied."""
    data = dict(data or {})
    for field_name, field in model.model_fields.items():
        key_path = (*path, field_name)
        annotation = field.annotation
        nested = _model_in(annotation)
        mapping_of = _mapping_value_model(annotation)
        raw = _env_value(env_name(*key_path), _aliases(field.metadata), environ)
        if raw is not None:
            data[field_name] = _parse_env(raw, annotation)
            continue
        if nested is not None and not _is_optional_model(annotation):
            current = data.get(field_name)
            sub = apply_env(nested, current if isinstance(current, dict) else {}, key_path, environ)
            if sub or field_name in data:
                data[field_name] = sub
        elif mapping_of is not None:
            data[field_name] = _apply_mapping_env(
                mapping_of, data.get(field_name), key_path, environ
            )
    return data


def _apply_mapping_env(
    entry_model: type[BaseModel], current: Any, path: tuple[str, ...], environ: Mapping[str, str]
) -> dict[str, Any]:
    """Entries of a mapping section (nodes, services) may be set one key at a time:
    ``SPARK_CONTROL__NODES__SPARK_1__ADDRESS`` sets ``nodes.spark-1.address``."""
    entries = dict(current) if isinstance(current, dict) else {}
    prefix = env_name(*path) + "__"
    for var, value in environ.items():
        if not var.startswith(prefix) or not value.strip():
            continue
        entry, _, key = var[len(prefix) :].partition("__")
        if not key:
            continue
        name = _entry_name(entry, entries)
        field = key.lower()
        if field not in entry_model.model_fields:
            raise ConfigError(f"{var}: unknown setting {field!r} for {'.'.join(path)}.{name}")
        target = dict(entries.get(name) or {})
        target[field] = _parse_env(value, entry_model.model_fields[field].annotation)
        entries[name] = target
    return entries


def _entry_name(env_part: str, entries: dict[str, Any]) -> str:
    for existing in entries:
        if re.sub(r"[^A-Za-z0-9]", "_", existing).upper() == env_part:
            return existing
    return env_part.lower().replace("_", "-")


def _apply_legacy_node_addresses(data: dict[str, Any], environ: Mapping[str, str]) -> None:
    """``SPARK<N>_HOST`` sets ``nodes.spark-<N>.address`` over YAML, but yields to the
    generated name ``SPARK_CONTROL__NODES__SPARK_<N>__ADDRESS`` when that is set too."""
    nodes = data.setdefault("nodes", {})
    for var, value in environ.items():
        match = _LEGACY_NODE_ADDRESS.match(var)
        if not match or not value.strip():
            continue
        name = f"spark-{match.group(1)}"
        if _env_value(env_name("nodes", name, "address"), (), environ) is not None:
            continue
        nodes[name] = {**(nodes.get(name) or {}), "address": value.strip()}


def _env_value(name: str, aliases: tuple[str, ...], environ: Mapping[str, str]) -> str | None:
    for candidate in (name, *aliases):
        value = environ.get(candidate)
        if value is not None and value.strip():
            return value.strip()
    return None


def _parse_env(raw: str, annotation: Any) -> Any:
    """Environment values are strings: JSON for structures, commas for plain lists."""
    if raw[:1] in "[{":
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            pass
    if _is_list(annotation):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def iter_env_settings(model: type[BaseModel], path: tuple[str, ...] = ()) -> Iterator[EnvSetting]:
    """Every environment name that sets a field of ``model`` (for ``config env``)."""
    for field_name, field in model.model_fields.items():
        key_path = (*path, field_name)
        nested = _model_in(field.annotation)
        mapping_of = _mapping_value_model(field.annotation)
        if nested is not None and not _is_optional_model(field.annotation):
            yield from iter_env_settings(nested, key_path)
            continue
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        yield EnvSetting(
            name=env_name(*key_path),
            setting=".".join(key_path),
            aliases=_aliases(field.metadata),
            default=_jsonable(default),
            description=field.description,
        )
        if mapping_of is not None:
            for sub in iter_env_settings(mapping_of, (*key_path, "NAME")):
                yield replace(
                    sub,
                    name=sub.name.replace("__NAME__", "__<NAME>__", 1),
                    setting=sub.setting.replace(".NAME.", ".<name>.", 1),
                )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (SecretStr, SecretBytes)):
        return "**********"
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


# --- typing helpers --------------------------------------------------------------------


def _aliases(metadata: list[Any]) -> tuple[str, ...]:
    names: list[str] = []
    for item in metadata:
        if isinstance(item, EnvAlias):
            names.extend(item.names)
    return tuple(names)


def _strip_optional(annotation: Any) -> list[Any]:
    args = get_args(annotation)
    if get_origin(annotation) is Annotated:
        return _strip_optional(args[0])
    if args and type(None) in args and get_origin(annotation) is not dict:
        return [a for a in args if a is not type(None)]
    return [annotation]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for candidate in _strip_optional(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _is_optional_model(annotation: Any) -> bool:
    return type(None) in get_args(annotation)


def _mapping_value_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in _strip_optional(annotation):
        if get_origin(candidate) is dict:
            args = get_args(candidate)
            if len(args) == 2:
                return _model_in(args[1])
    return None


def _is_list(annotation: Any) -> bool:
    return any(get_origin(c) in (list, tuple, set) for c in _strip_optional(annotation))


def _contains_type(annotation: Any, types: tuple[type, ...]) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, types):
        return True
    return any(_contains_type(arg, types) for arg in get_args(annotation))
