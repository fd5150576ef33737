# ruff: noqa: E501, S311, SIM905  (templates of text; a seeded generator, no secrets)
"""Build ``negatives.jsonl``: texts with no personal data in them, for counting false
positives (issue 21, round 8).

    uv run python bench/redaction/negatives/build_negatives.py

Everything here was written by hand for this set: the templates, the word lists
(services, modules, products, libraries, verbs of operations), the shapes of the
look-alike numbers. Nothing is imported from the detector, the tests or the other
corpora, and no fake-data library is used. A fixed seed makes the file reproducible.

Each row: ``{"id", "kind", "tags", "text"}`` with ``kind`` one of ``log``, ``docs``,
``chat``, ``config``, ``lookalike``; ``tags[-1]`` names the template. What counts as
"no personal data" follows docs/REDACTION_GATEWAY.md ("Not redacted"): loopback,
documentation and unspecified addresses and address ranges, ``localhost`` URLs,
versions, builds, hashes, UUIDs, meeting/tracking/order numbers, ISBNs, placeholders
such as ``${VAR}`` and ``<your-token>``. Host addresses of private ranges and URLs of
real hosts are personal there (they identify a machine someone uses), so they are not
written here.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "negatives.jsonl"
SEED = 2126

SERVICES = """billing-api auth-svc checkout ledger search-indexer thumbnailer notifier
    scheduler ingest-worker report-builder session-store rate-limiter feature-flags
    image-resizer webhook-relay metrics-agent cart-service inventory pricing-engine""".split()
HOSTS = "web-01 web-02 db-03 cache-1 worker-7 edge-2 build-04 gpu-node-3 lb-1 api-5".split()
MODULES = """app.db.pool app.http.client worker.tasks.resize core.cache.redis
    api.handlers.orders sync.jobs.nightly auth.tokens.refresh storage.s3.upload
    org.acme.ledger.Posting com.example.search.IndexWriter io.netty.channel.EventLoop
    kafka.consumer.Fetcher hikari.pool.HikariPool grpc.server.Transport""".split()
LOGGERS = """HikariPool Scheduler Fetcher EventLoop Reaper Compactor Dispatcher Watchdog
    Janitor Sweeper Balancer Replicator Indexer Uploader Resolver Migrator Harvester""".split()
PRODUCTS = """Kubernetes PostgreSQL Redis Nginx Grafana Prometheus Kafka RabbitMQ Terraform
    Ansible Jenkins Docker Helm Envoy Traefik Elasticsearch OpenSearch ClickHouse MinIO
    Vault Consul Celery FastAPI Django Flask Pydantic SQLAlchemy NumPy PyTorch Spark
    Airflow Argo Istio Loki Tempo Jaeger Sentry Vitest Webpack Rollup Vite""".split()
CLASSES = """ConnectionPool RetryPolicy TokenBucket BackoffStrategy RequestContext
    SessionManager CacheEntry EventEmitter StreamReader JsonEncoder HttpAdapter
    QueryBuilder SchemaValidator TaskRunner LeaseKeeper ShardRouter BlobStore""".split()
ERRORS = """TimeoutError ConnectionResetError KeyError ValueError IllegalStateException
    NullPointerException SocketTimeoutException OperationalError IntegrityError
    BrokenPipeError PermissionError FileNotFoundError""".split()
LEVELS = ["INFO", "WARN", "ERROR", "DEBUG", "WARNING", "NOTICE"]
VERBS = """started stopped restarted reloaded drained rotated compacted evicted
    retried scheduled skipped flushed rebalanced throttled promoted""".split()
# Documentation, loopback and unspecified addresses only (RFC 5737, RFC 3849).
SAFE_IPS = ["127.0.0.1", "0.0.0.0", "192.0.2.10", "198.51.100.7", "203.0.113.42", "::1"]
SAFE_NETS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "2001:db8::/32"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "April", "June", "September", "November"]
TEAMS = ["Platform", "Payments", "Search", "Infra", "Data", "Mobile", "Growth", "Security"]
REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-west-2"]
FEATURES = [
    *"Dark Mode|Bulk Export|Audit Trail|Single Sign-On|Usage Quotas|Saved Filters".split("|"),
    *"Webhook Retries|Rate Limits|Team Workspaces|Cost Explorer|Smart Alerts".split("|"),
    "Data Retention",
]


def pick(r: random.Random, xs: list[str]) -> str:
    return r.choice(xs)


def ts(r: random.Random) -> str:
    return (
        f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
        f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"
    )


def hexs(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def uid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def ver(r: random.Random) -> str:
    return f"{r.randint(0, 14)}.{r.randint(0, 30)}.{r.randint(0, 40)}"


# --- logs -------------------------------------------------------------------------------


def app_log(r: random.Random) -> str:
    lines = []
    for _ in range(r.randint(3, 6)):
        lines.append(
            f"{ts(r)} {pick(r, LEVELS):<5} [{pick(r, MODULES)}] {pick(r, SERVICES)} "
            f"request_id={uid(r)} {pick(r, VERBS)} in {r.randint(2, 900)} ms"
        )
    return "\n".join(lines)


def logger_log(r: random.Random) -> str:
    lines = []
    for _ in range(r.randint(3, 5)):
        name = pick(r, LOGGERS)
        lines.append(
            f"{ts(r)} {pick(r, LEVELS)} {name} - {pick(r, ['pool', 'queue', 'segment', 'lease'])} "
            f"{pick(r, VERBS)} (size={r.randint(1, 64)}, pending={r.randint(0, 500)})"
        )
    return "\n".join(lines)


def syslog(r: random.Random) -> str:
    host = pick(r, HOSTS)
    units = ["nginx.service", "docker.service", "kubelet.service", "cron.service", "sshd.service"]
    out = []
    for _ in range(r.randint(3, 5)):
        out.append(
            f"Dec {r.randint(1, 28):2d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}:"
            f"{r.randint(0, 59):02d} {host} systemd[1]: {pick(r, ['Started', 'Stopped', 'Reloaded'])} "
            f"{pick(r, units)} - {pick(r, PRODUCTS)} {pick(r, ['daemon', 'agent', 'controller'])}."
        )
    return "\n".join(out)


def kernel_log(r: random.Random) -> str:
    return "\n".join(
        [
            f"[{r.randint(1, 99999)}.{r.randint(0, 999999):06d}] EXT4-fs (nvme0n1p{r.randint(1, 4)}): "
            "mounted filesystem with ordered data mode. Quota mode: none.",
            f"[{r.randint(1, 99999)}.{r.randint(0, 999999):06d}] NVRM: loading NVIDIA UNIX "
            f"x86_64 Kernel Module  {r.randint(500, 560)}.{r.randint(10, 99)}.{r.randint(1, 9):02d}",
            f"[{r.randint(1, 99999)}.{r.randint(0, 999999):06d}] eth0: Link is Up - 10Gbps/Full - "
            "flow control rx/tx",
            f"[{r.randint(1, 99999)}.{r.randint(0, 999999):06d}] Out of memory: Killed process "
            f"{r.randint(1000, 99999)} (python3) total-vm:{r.randint(10**6, 9 * 10**6)}kB",
        ]
    )


def nginx_log(r: random.Random) -> str:
    paths = ["/healthz", "/api/v2/orders?page=3", "/static/app.3f9a1c.js", "/metrics", "/login"]
    out = []
    for _ in range(r.randint(3, 5)):
        out.append(
            f"{pick(r, ['127.0.0.1', '::1', '192.0.2.33', '203.0.113.9'])} - - "
            f"[07/Dec/2026:{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} +0000] "
            f'"{pick(r, ["GET", "POST", "HEAD"])} {pick(r, paths)} HTTP/1.1" '
            f'{pick(r, ["200", "204", "301", "404", "502"])} {r.randint(0, 90000)} "-" '
            f'"{pick(r, ["curl/8.5.0", "kube-probe/1.29", "Prometheus/2.51.0", "Go-http-client/1.1"])}"'
        )
    return "\n".join(out)


def k8s_events(r: random.Random) -> str:
    svc = pick(r, SERVICES)
    pod = f"{svc}-{hexs(r, 9)}-{hexs(r, 5)}"
    return "\n".join(
        [
            "LAST SEEN   TYPE      REASON              OBJECT                MESSAGE",
            f"{r.randint(1, 59)}m         Normal    Scheduled           pod/{pod}   "
            f"Successfully assigned default/{pod} to {pick(r, HOSTS)}",
            f"{r.randint(1, 59)}m         Normal    Pulled              pod/{pod}   "
            f'Container image "registry.local/{svc}:{ver(r)}" already present on machine',
            f"{r.randint(1, 59)}m         Warning   BackOff             pod/{pod}   "
            "Back-off restarting failed container",
            f"{r.randint(1, 59)}s         Normal    ScalingReplicaSet   deployment/{svc}   "
            f"Scaled up replica set {svc}-{hexs(r, 9)} to {r.randint(2, 9)}",
        ]
    )


def python_traceback(r: random.Random) -> str:
    mod = pick(r, MODULES).replace(".", "/")
    err = pick(r, ERRORS)
    return (
        "Traceback (most recent call last):\n"
        f'  File "/srv/app/{mod}.py", line {r.randint(10, 900)}, in {pick(r, ["run", "fetch", "handle", "_retry"])}\n'
        f"    result = self.{pick(r, ['pool', 'client', 'session'])}.{pick(r, ['get', 'execute', 'send'])}(query)\n"
        f'  File "/usr/lib/python3.12/site-packages/{pick(r, ["sqlalchemy", "httpx", "redis"])}/base.py", '
        f"line {r.randint(10, 2000)}, in execute\n"
        f"    raise {err}(msg)\n"
        f"{err}: {pick(r, ['connection pool exhausted', 'timed out after 30.0 s', 'unexpected EOF'])}"
    )


def java_trace(r: random.Random) -> str:
    cls = pick(r, [m for m in MODULES if m.count(".") >= 3])
    return (
        f"{ts(r)} ERROR [main] {cls} - Unhandled exception\n"
        f"java.lang.{pick(r, ['IllegalStateException', 'NullPointerException'])}: "
        f"{pick(r, CLASSES)} is closed\n"
        f"\tat {cls}.{pick(r, ['flush', 'commit', 'poll'])}({cls.split('.')[-1]}.java:{r.randint(20, 700)})\n"
        f"\tat org.springframework.transaction.support.TransactionTemplate.execute"
        f"(TransactionTemplate.java:{r.randint(100, 200)})\n"
        f"\tat java.base/java.lang.Thread.run(Thread.java:{r.randint(800, 1600)})"
    )


def ci_log(r: random.Random) -> str:
    return "\n".join(
        [
            f"Run #{r.randint(1000, 99999)} on runner {pick(r, HOSTS)} ({pick(r, ['ubuntu-24.04', 'debian-12'])})",
            "Step 3/7 : RUN pip install -r requirements.txt --no-cache-dir",
            f"Successfully installed {pick(r, PRODUCTS).lower()}-{ver(r)} urllib3-2.2.1 certifi-2024.2.2",
            f"Tests: {r.randint(100, 3000)} passed, {r.randint(0, 3)} skipped in {r.randint(30, 900)}.{r.randint(0, 9)}s",
            f"Uploading artifact dist/{pick(r, SERVICES)}-{ver(r)}-py3-none-any.whl "
            f"(sha256 {hexs(r, 64)})",
            f"Build {r.randint(20260101, 20261231)}.{r.randint(1, 40)} finished: SUCCESS",
        ]
    )


def audit_log(r: random.Random) -> str:
    out = []
    for _ in range(r.randint(3, 5)):
        out.append(
            json.dumps(
                {
                    "ts": ts(r),
                    "level": pick(r, ["info", "warn", "error"]),
                    "logger": pick(r, MODULES),
                    "msg": f"{pick(r, SERVICES)} {pick(r, VERBS)}",
                    "trace_id": hexs(r, 32),
                    "duration_ms": r.randint(1, 5000),
                    "region": pick(r, REGIONS),
                }
            )
        )
    return "\n".join(out)


def db_log(r: random.Random) -> str:
    return "\n".join(
        [
            f"{ts(r)} [{r.randint(100, 99999)}] LOG:  checkpoint starting: time",
            f"{ts(r)} [{r.randint(100, 99999)}] LOG:  checkpoint complete: wrote {r.randint(10, 9000)} "
            f"buffers ({r.randint(0, 99)}.{r.randint(0, 9)}%); 0 WAL file(s) added",
            f"{ts(r)} [{r.randint(100, 99999)}] LOG:  automatic vacuum of table "
            f'"{pick(r, ["app.public.orders", "app.public.events", "app.audit.entries"])}": index scans: 1',
            f"{ts(r)} [{r.randint(100, 99999)}] WARNING:  could not open statistics file "
            '"pg_stat_tmp/global.stat": Operation not permitted',
        ]
    )


def gpu_log(r: random.Random) -> str:
    return "\n".join(
        [
            f"{ts(r)} INFO vLLM engine started: model=/models/{pick(r, ['Qwen2.5-7B-Instruct', 'Llama-3.1-8B', 'Mistral-7B-v0.3'])} "
            f"tp={r.choice([1, 2, 4])} max_model_len={r.choice([4096, 8192, 32768])}",
            f"{ts(r)} INFO KV cache usage {r.randint(1, 99)}.{r.randint(0, 9)}%, "
            f"running={r.randint(0, 64)} waiting={r.randint(0, 12)}",
            f"{ts(r)} WARNING CUDA graph capture took {r.randint(5, 90)} s on GPU{r.randint(0, 7)}",
            f"{ts(r)} INFO Avg prompt throughput: {r.randint(10, 9000)}.{r.randint(0, 9)} tokens/s",
        ]
    )


# --- documentation --------------------------------------------------------------------


def readme(r: random.Random) -> str:
    p1, p2, p3 = r.sample(PRODUCTS, 3)
    cls = pick(r, CLASSES)
    return (
        f"# {pick(r, SERVICES).replace('-', ' ').title()}\n\n"
        f"A small service that sits between {p1} and {p2}. It batches writes through a "
        f"`{cls}` and exposes Prometheus metrics on `http://localhost:{r.randint(8000, 9999)}/metrics`.\n\n"
        "## Getting Started\n\n"
        f"Requires Python 3.{r.randint(10, 13)} and {p3} {ver(r)} or newer.\n\n"
        "```\n"
        f"pip install {pick(r, SERVICES)}=={ver(r)}\n"
        f"{pick(r, SERVICES)} serve --port {r.randint(1024, 65535)} --workers {r.randint(1, 16)} --log-level debug\n"
        "```\n\n"
        "## Configuration\n\n"
        f"Set `{pick(r, ['APP_ENV', 'LOG_FORMAT', 'CACHE_TTL'])}` before starting. See the Architecture "
        "Overview and the Troubleshooting Guide for details."
    )


def release_notes(r: random.Random) -> str:
    v = ver(r)
    return "\n".join(
        [
            f"## v{v} ({r.randint(2024, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d})",
            "",
            "### Added",
            f"- {pick(r, FEATURES)} for {pick(r, TEAMS)} workspaces (#{r.randint(100, 9999)})",
            f"- Support for {pick(r, PRODUCTS)} {ver(r)} and {pick(r, PRODUCTS)} {ver(r)}",
            "### Fixed",
            f"- `{pick(r, CLASSES)}` no longer leaks file handles on {pick(r, ERRORS)} (#{r.randint(100, 9999)})",
            f"- Upgraded {pick(r, PRODUCTS).lower()} to {ver(r)} to address CVE-{r.randint(2019, 2026)}-{r.randint(1000, 49999)}",
            "### Deprecated",
            f"- The `--{pick(r, ['legacy-auth', 'no-verify', 'old-format'])}` flag will be removed in v{ver(r)}.",
        ]
    )


def api_doc(r: random.Random) -> str:
    res = pick(r, ["orders", "invoices", "projects", "datasets", "pipelines"])
    return (
        f"### GET /api/v{r.randint(1, 3)}/{res}/{{id}}\n\n"
        f"Returns one of the {res}. Requires the `{res}:read` scope.\n\n"
        "| Parameter | Type | Required | Description |\n"
        "| --- | --- | --- | --- |\n"
        f"| id | UUID | yes | e.g. `{uid(r)}` |\n"
        "| expand | string | no | comma-separated relations |\n"
        f"| limit | integer | no | 1 to {r.choice([100, 500, 1000])}, default {r.choice([20, 50])} |\n\n"
        "Example:\n\n"
        f"    curl -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:{r.randint(3000, 9000)}/api/v1/{res}/{uid(r)}\n\n"
        f"Errors: `404 Not Found`, `409 Conflict`, `429 Too Many Requests` (retry after {r.randint(1, 60)} s)."
    )


def cli_help(r: random.Random) -> str:
    tool = pick(r, SERVICES)
    return (
        f"Usage: {tool} [OPTIONS] COMMAND [ARGS]...\n\n"
        "Options:\n"
        f"  --config PATH          Configuration file (default: /etc/{tool}/config.yaml)\n"
        f"  --timeout SECONDS      Request timeout [default: {r.randint(5, 120)}]\n"
        "  --dry-run              Print what would change and exit\n"
        "  -v, --verbose          Repeat for more output\n"
        "  --version              Show the version and exit\n\n"
        "Commands:\n"
        "  migrate   Apply pending schema migrations\n"
        "  rotate    Rotate the signing keys\n"
        "  status    Show Replication Status and Queue Depth"
    )


def design_doc(r: random.Random) -> str:
    a, b = r.sample(PRODUCTS, 2)
    return (
        f"## Design: moving the {pick(r, SERVICES)} queue from {a} to {b}\n\n"
        f"Today the Ingest Worker reads from {a} and writes to the Event Store. Under load the "
        f"Consumer Group lags by {r.randint(2, 90)} minutes. The proposal keeps the same "
        f"Message Schema (v{r.randint(2, 9)}) and swaps the transport. {b} gives us ordered "
        f"partitions and a Dead Letter Queue.\n\n"
        "### Risks\n\n"
        f"- Backfill of {r.randint(1, 900)} GB during the Maintenance Window\n"
        f"- {pick(r, CLASSES)} must be made idempotent\n"
        f"- Rollback Plan: flip the `use_{b.lower()}` flag in Feature Flags"
    )


def howto(r: random.Random) -> str:
    return (
        f"To enable {pick(r, FEATURES)}, open Settings > Workspace > Advanced and turn on "
        f"the toggle. Changes apply within {r.randint(1, 15)} minutes. On {pick(r, ['Linux', 'macOS', 'Windows'])}, "
        f"restart the Desktop Client afterwards. If the Sync Status stays at Pending, "
        f"clear the local cache (`~/.cache/{pick(r, SERVICES)}`) and sign in again. "
        f"Works with Chrome {r.randint(100, 130)}+, Firefox {r.randint(100, 130)}+ and Safari {r.randint(15, 18)}."
    )


def sql_schema(r: random.Random) -> str:
    t = pick(r, ["orders", "line_items", "shipments", "audit_events", "sessions"])
    return (
        f"CREATE TABLE {t} (\n"
        "    id          BIGSERIAL PRIMARY KEY,\n"
        "    tenant_id   UUID NOT NULL REFERENCES tenants(id),\n"
        "    status      TEXT NOT NULL DEFAULT 'pending',\n"
        "    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()\n"
        ");\n"
        f"CREATE INDEX {t}_tenant_created ON {t} (tenant_id, created_at DESC);\n"
        f"SELECT status, count(*) FROM {t} WHERE created_at > now() - interval '{r.randint(1, 30)} days' "
        "GROUP BY status ORDER BY 2 DESC;"
    )


def metrics_table(r: random.Random) -> str:
    rows = []
    for s in r.sample(SERVICES, 4):
        rows.append(
            f"| {s} | {r.randint(50, 9000)} | {r.randint(1, 400)} ms | {r.randint(0, 99)}.{r.randint(0, 9)} % "
            f"| {pick(r, REGIONS)} |"
        )
    return (
        f"Weekly SLO Report, week {r.randint(1, 52)}\n\n"
        "| Service | RPS | p99 | Error budget used | Region |\n"
        "| --- | --- | --- | --- | --- |\n" + "\n".join(rows)
    )


# --- configuration --------------------------------------------------------------------


def env_placeholders(r: random.Random) -> str:
    return "\n".join(
        [
            "# copy to .env and fill in",
            f"APP_ENV={pick(r, ['development', 'staging', 'production'])}",
            "DATABASE_URL=${DATABASE_URL}",
            "API_TOKEN=<your-token>",
            "SMTP_PASSWORD=",
            f"LOG_LEVEL={pick(r, ['info', 'debug', 'warning'])}",
            f"WORKERS={r.randint(1, 32)}",
            f"BIND=127.0.0.1:{r.randint(1024, 65535)}",
            "SECRET_KEY=${SECRET_KEY:?must be set}",
        ]
    )


def yaml_config(r: random.Random) -> str:
    svc = pick(r, SERVICES)
    return (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        f"  name: {svc}\n"
        f"  labels: {{app: {svc}, tier: backend}}\n"
        "spec:\n"
        f"  replicas: {r.randint(1, 12)}\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        f"        - name: {svc}\n"
        f"          image: registry.local/{svc}:{ver(r)}\n"
        "          env:\n"
        "            - name: DB_PASSWORD\n"
        "              valueFrom: {secretKeyRef: {name: db-credentials, key: password}}\n"
        f"          resources: {{limits: {{cpu: {r.randint(1, 8)}, memory: {r.choice([256, 512, 1024])}Mi}}}}"
    )


def toml_config(r: random.Random) -> str:
    return (
        "[server]\n"
        f'host = "0.0.0.0"\nport = {r.randint(1024, 65535)}\n'
        f"max_body_mb = {r.randint(1, 100)}\n\n"
        "[cache]\n"
        f'backend = "{pick(r, ["redis", "memory"])}"\nttl_seconds = {r.randint(30, 86400)}\n\n'
        "[auth]\n"
        'token = "{{ vault_token }}"\n'
        f"token_ttl = {r.randint(60, 7200)}\n"
        "password_min_length = 12\n"
    )


def nginx_conf(r: random.Random) -> str:
    return (
        "upstream app {\n"
        f"    server 127.0.0.1:{r.randint(8000, 8999)} max_fails=3 fail_timeout=30s;\n"
        "    keepalive 32;\n"
        "}\n"
        "server {\n"
        "    listen 443 ssl http2;\n"
        "    server_name _;\n"
        f"    ssl_certificate /etc/ssl/certs/{pick(r, SERVICES)}.pem;\n"
        f"    client_max_body_size {r.randint(1, 200)}m;\n"
        "    location / { proxy_pass http://app; }\n"
        "}"
    )


def dockerfile(r: random.Random) -> str:
    return (
        f"FROM python:3.{r.randint(10, 13)}-slim AS build\n"
        "WORKDIR /src\n"
        "COPY pyproject.toml uv.lock ./\n"
        "RUN pip install --no-cache-dir uv && uv sync --frozen --no-dev\n"
        f"ENV PORT={r.randint(3000, 9000)} PYTHONUNBUFFERED=1\n"
        f"EXPOSE {r.randint(3000, 9000)}\n"
        "HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1\n"
        f'CMD ["uvicorn", "{pick(r, ["app.main:app", "service.api:create_app"])}", "--host", "0.0.0.0"]'
    )


# --- chat and business prose without people ---------------------------------------------


def chat(r: random.Random) -> str:
    lines = [
        f"Standup moved to {r.randint(9, 11)}:{r.choice(['00', '15', '30'])} on {pick(r, WEEKDAYS)}.",
        f"Deploy of {pick(r, SERVICES)} {ver(r)} is green in {pick(r, REGIONS)}.",
        f"Heads up: {pick(r, PRODUCTS)} upgrade window is {pick(r, WEEKDAYS)} {r.randint(18, 23)}:00 UTC.",
        f"The {pick(r, TEAMS)} retro is cancelled this week; notes are in the Team Wiki.",
        f"Can someone review PR #{r.randint(100, 9999)}? It touches the {pick(r, CLASSES)}.",
        f"Incident INC-{r.randint(1000, 9999)} resolved, postmortem due {pick(r, WEEKDAYS)}.",
        f"Build {r.randint(1000, 99999)} failed on the flaky {pick(r, ['integration', 'e2e', 'smoke'])} suite again.",
        f"Q{r.randint(1, 4)} planning doc is up, please add estimates by {pick(r, MONTHS)} {r.randint(1, 28)}.",
        f"Reminder: Office Hours for the {pick(r, TEAMS)} API at {r.randint(1, 5)} pm.",
        f"Dashboards look fine, p95 is back under {r.randint(100, 900)} ms.",
        f"Who owns the {pick(r, SERVICES)} alerts now? Pager rotation changed on {pick(r, MONTHS)} 1.",
        f"Release Train {r.randint(20, 60)} is frozen, only hotfixes until {pick(r, WEEKDAYS)}.",
    ]
    return "\n".join(r.sample(lines, r.randint(2, 4)))


def business(r: random.Random) -> str:
    return (
        f"Subject: {pick(r, TEAMS)} quarterly update\n\n"
        f"Hi all,\n\nRevenue from the Enterprise Plan grew {r.randint(2, 40)} % quarter over quarter. "
        f"Churn is flat at {r.randint(1, 9)}.{r.randint(0, 9)} %. The Customer Advisory Board meets in "
        f"{pick(r, MONTHS)}; the agenda covers {pick(r, FEATURES)} and {pick(r, FEATURES)}. "
        f"Headcount plan: {r.randint(2, 12)} open roles in {pick(r, TEAMS)}.\n\nThanks,\nThe {pick(r, TEAMS)} Team"
    )


def ticket(r: random.Random) -> str:
    return (
        f"[{pick(r, ['OPS', 'PLAT', 'BILL', 'SRCH'])}-{r.randint(100, 9999)}] "
        f"{pick(r, FEATURES)}: {pick(r, ['timeout on large exports', 'wrong totals in CSV', 'UI freezes on Safari'])}\n"
        f"Priority: P{r.randint(1, 4)}  Component: {pick(r, SERVICES)}  Affects: v{ver(r)}\n"
        f"Steps: open Reports > Export, pick {pick(r, ['Last 90 Days', 'This Quarter', 'All Time'])}, click Export CSV.\n"
        f"Expected: file in under {r.randint(5, 60)} s. Actual: {pick(r, ERRORS)} after {r.randint(30, 300)} s.\n"
        "Workaround: narrow the date range."
    )


# --- look-alikes ------------------------------------------------------------------------


def isbn13(r: random.Random) -> str:
    digits = [9, 7, 8] + [r.randint(0, 9) for _ in range(9)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, [*digits, check]))


def lookalikes(r: random.Random) -> str:
    items = [
        f"ISBN {isbn13(r)}",
        f"Tracking number 1Z{hexs(r, 6).upper()}{r.randint(10**9, 10**10 - 1)}",
        f"Meeting ID: {r.randint(100, 999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}",
        f"Order #{r.randint(10**6, 10**8)}",
        f"Build {r.randint(20000, 29999)}.{r.randint(1000, 9999)}",
        f"version {r.randint(1, 9)}.{r.randint(0, 99)}.{r.randint(0, 999)}.{r.randint(0, 9999)}",
        f"commit {hexs(r, 40)}",
        f"sha256:{hexs(r, 64)}",
        f"request {uid(r)}",
        f"listening on 127.0.0.1:{r.randint(1024, 65535)}",
        f"see RFC {r.randint(1000, 9999)}, section {r.randint(1, 9)}.{r.randint(1, 9)}",
        f"{r.randint(1, 999)} GiB free of {r.randint(1, 4)} TiB",
        f"epoch {r.randint(1_600_000_000, 1_800_000_000)}",
        f"docs net {pick(r, SAFE_NETS)}",
        f"test address {pick(r, SAFE_IPS)}",
        f"invoice INV-{r.randint(2024, 2026)}-{r.randint(10000, 99999)}",
        f"part no. {r.choice(['AX', 'QB', 'ZR'])}-{r.randint(1000, 9999)}-{r.randint(10, 99)}",
        f"CVE-{r.randint(2019, 2026)}-{r.randint(1000, 49999)}",
        f"KB{r.randint(4000000, 5999999)}",
        f"OID 1.3.6.1.4.1.{r.randint(1000, 60000)}.{r.randint(1, 9)}",
    ]
    chosen = r.sample(items, r.randint(3, 5))
    return pick(r, ["Reference: ", "Notes: ", "", "Checklist: "]) + "; ".join(chosen) + "."


TEMPLATES: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "app-log": ("log", app_log),
    "logger-log": ("log", logger_log),
    "syslog": ("log", syslog),
    "kernel-log": ("log", kernel_log),
    "nginx-log": ("log", nginx_log),
    "k8s-events": ("log", k8s_events),
    "python-traceback": ("log", python_traceback),
    "java-trace": ("log", java_trace),
    "ci-log": ("log", ci_log),
    "json-log": ("log", audit_log),
    "db-log": ("log", db_log),
    "gpu-log": ("log", gpu_log),
    "readme": ("docs", readme),
    "release-notes": ("docs", release_notes),
    "api-doc": ("docs", api_doc),
    "cli-help": ("docs", cli_help),
    "design-doc": ("docs", design_doc),
    "howto": ("docs", howto),
    "sql-schema": ("docs", sql_schema),
    "metrics-table": ("docs", metrics_table),
    "env-placeholders": ("config", env_placeholders),
    "yaml-config": ("config", yaml_config),
    "toml-config": ("config", toml_config),
    "nginx-conf": ("config", nginx_conf),
    "dockerfile": ("config", dockerfile),
    "chat": ("chat", chat),
    "business": ("chat", business),
    "ticket": ("chat", ticket),
    "lookalikes": ("lookalike", lookalikes),
}
PER_TEMPLATE = 10


def build() -> list[dict[str, object]]:
    r = random.Random(SEED)
    rows: list[dict[str, object]] = []
    for name, (kind, make) in TEMPLATES.items():
        for i in range(PER_TEMPLATE):
            rows.append({"id": f"{name}-{i}", "kind": kind, "tags": [kind, name], "text": make(r)})
    return rows


def main() -> None:
    rows = build()
    OUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    print(f"{len(rows)} texts -> {OUT}")


if __name__ == "__main__":
    main()
