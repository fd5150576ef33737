"""What the redaction plugin counts, for ``/metrics``. Counts and types only: never a
value, a placeholder of a session, or a session id."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class RedactionMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.entities = Counter(
            "spark_control_redaction_entities",
            "Values replaced by placeholders, by entity type",
            ["type"],
            registry=registry,
        )
        self.scrub_seconds = Histogram(
            "spark_control_redaction_scrub_seconds",
            "Time to scrub one request's texts (detection, placeholders, vault write)",
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.unknown_placeholders = Counter(
            "spark_control_redaction_unknown_placeholders",
            "Placeholder-shaped text in replies that the session had no value for",
            registry=registry,
        )
        self.proxy_requests = Counter(
            "spark_control_redaction_proxy_requests",
            "Requests through the scrubbing proxy, by the status answered",
            ["status"],
            registry=registry,
        )
