"""The coordination plugin's settings (config section ``coordination``).

The original system configured one webhook through ``SWAP_WEBHOOK_URL`` and
``SWAP_WEBHOOK_SECRET`` (also read as ``WEBHOOK_URL`` / ``WEBHOOK_SECRET``); a list of
receivers, each with its own secrets, lives under ``webhooks``.
"""

from __future__ import annotations

import logging
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator

from spark_control.api import EnvAlias, PluginSettings
from spark_control_coordination.alerts import ALERT_EVENTS
from spark_control_coordination.signing import WebhookSecret, is_weak, parse_secret
from spark_control_coordination.swap_events import WEBHOOK_TYPES

SWAP_EVENTS = tuple(WEBHOOK_TYPES.values())
EVENTS = (*SWAP_EVENTS, *ALERT_EVENTS)

log = logging.getLogger(__name__)

DAY_S = 86_400.0


def _check_secret(secret: SecretStr) -> SecretStr:
    value = secret.get_secret_value()
    parse_secret(value)  # raises ValueError naming the problem, never the secret
    if is_weak(value):
        log.warning(
            "a webhook secret is shorter than 16 characters: receivers' signature checks "
            "are only as strong as the secret; use a whsec_ secret of 32 random bytes"
        )
    return secret


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url) > 2000 or " " in url:
        raise ValueError("must be an http:// or https:// URL without spaces")
    return url


class WebhookTarget(PluginSettings):
    """One receiver: where to POST and the secrets to sign with (newest first)."""

    url: str = Field(description="http(s) URL that receives the swap events.")
    secrets: list[SecretStr] = Field(
        min_length=1,
        description="Signing secrets, newest first: 'whsec_<base64>' (Standard Webhooks) or "
        "any other string (used as UTF-8 bytes). Several sign every message during a "
        "rotation; X-Spark-Signature uses the first.",
    )
    events: list[str] | None = Field(
        None,
        description="Event types to send: swap_started, swap_complete, swap_failed, "
        "swap_rolled_back, and the alerts service_down, service_up, crash_loop_guard; "
        "none: the four swap events (alerts only go to receivers that list them).",
    )

    _check = field_validator("url")(classmethod(lambda cls, v: _check_url(v)))

    @field_validator("secrets")
    @classmethod
    def _valid_secrets(cls, secrets: list[SecretStr]) -> list[SecretStr]:
        for secret in secrets:
            _check_secret(secret)
        return secrets

    @field_validator("events")
    @classmethod
    def _known_events(cls, events: list[str] | None) -> list[str] | None:
        for event in events or []:
            if event not in EVENTS:
                raise ValueError(f"unknown event {event!r}; known: {', '.join(EVENTS)}")
        return events

    def wants(self, event: str) -> bool:
        """Whether this receiver subscribed to ``event``."""
        return event in SWAP_EVENTS if self.events is None else event in self.events

    def keys(self) -> list[WebhookSecret]:
        return [parse_secret(s.get_secret_value()) for s in self.secrets]


class CoordinationSettings(PluginSettings):
    gated_actions: list[str] = Field(
        default_factory=lambda: ["vllm.swap", "vllm.stop"],
        description="Actions refused without the lock's token while the swap lock is held.",
    )
    lock_default_ttl_s: float = Field(
        600.0, gt=0, description="TTL of a lock acquired without ttl_s."
    )
    lock_max_ttl_s: float = Field(
        DAY_S, gt=0, le=7 * DAY_S, description="Longest TTL a lock (or renewal) may ask for."
    )
    webhook_url: Annotated[str | None, EnvAlias("SWAP_WEBHOOK_URL", "WEBHOOK_URL")] = Field(
        None, description="A single receiver (legacy form; see also webhooks)."
    )
    webhook_secret: Annotated[
        SecretStr | None, EnvAlias("SWAP_WEBHOOK_SECRET", "WEBHOOK_SECRET")
    ] = Field(None, description="The secret of webhook_url.")
    webhooks: list[WebhookTarget] = Field(default_factory=list)
    webhook_timeout_s: float = Field(
        10.0, gt=0, le=300, description="One delivery attempt's time limit."
    )
    webhook_max_attempts: int = Field(8, ge=1, le=50, description="Attempts per delivery.")
    webhook_max_age_s: float = Field(
        DAY_S, gt=0, description="A delivery not done this long after its event is given up."
    )
    webhook_backoff_s: float = Field(
        2.0, gt=0, description="Wait before the 2nd attempt; doubles per attempt, with jitter."
    )
    webhook_backoff_max_s: float = Field(600.0, gt=0, description="Longest wait between attempts.")
    webhook_concurrency: int = Field(4, ge=1, le=64, description="Deliveries in flight at once.")
    webhook_log_keep: int = Field(1000, ge=10, description="Finished deliveries kept in the log.")
    alert_quiet_s: float = Field(
        300.0,
        ge=0,
        le=DAY_S,
        description="After an alert about a service (or the crash-loop guard), later ones "
        "about it wait this long; then only the latest is sent, if it says something new.",
    )
    schedule_horizon_days: float = Field(
        7.0, gt=0, le=92, description="How far ahead overlapping jobs are looked for."
    )

    @field_validator("webhook_url")
    @classmethod
    def _legacy_url(cls, url: str | None) -> str | None:
        return None if url is None else _check_url(url)

    @field_validator("webhook_secret")
    @classmethod
    def _legacy_secret(cls, secret: SecretStr | None) -> SecretStr | None:
        return None if secret is None else _check_secret(secret)

    @model_validator(mode="after")
    def _legacy_pair(self) -> CoordinationSettings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("webhook_url needs webhook_secret: every webhook is signed")
        return self

    def targets(self) -> list[WebhookTarget]:
        """Every receiver, the legacy single one first."""
        targets = list(self.webhooks)
        if self.webhook_url and self.webhook_secret is not None:
            legacy = {"url": self.webhook_url, "secrets": [self.webhook_secret]}
            targets.insert(0, WebhookTarget.model_validate(legacy))
        return targets
