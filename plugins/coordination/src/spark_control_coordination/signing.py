"""Webhook signatures: Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``) and the original system's ``X-Spark-Signature``.

Standard Webhooks signs ``{id}.{timestamp}.{body}`` with HMAC-SHA256 and sends
``v1,<base64 signature>``, one per secret separated by spaces (secret rotation). A
``whsec_<base64>`` secret's key is the base64-decoded part; any other secret string is
used as its UTF-8 bytes. ``X-Spark-Signature: sha256=<hex>`` is the HMAC of the raw
body alone, with the first (newest) secret's key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

PREFIX = "whsec_"
# The Standard Webhooks specification asks for keys of 24 to 64 bytes.
MIN_KEY, MAX_KEY = 24, 64
#: Plain secrets shorter than this still work (the original system accepted them) but
#: are reported as weak.
WEAK_PLAIN = 16


@dataclass(frozen=True)
class WebhookSecret:
    """A signing key; ``repr`` never shows it."""

    key: bytes

    def __repr__(self) -> str:
        return "WebhookSecret(***)"


def parse_secret(secret: str) -> WebhookSecret:
    """The key of a ``whsec_`` or plain secret; ValueError says what is wrong (never the
    secret itself)."""
    if secret.startswith(PREFIX):
        try:
            key = base64.b64decode(secret[len(PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("a whsec_ secret must be followed by base64") from None
        if not MIN_KEY <= len(key) <= MAX_KEY:
            raise ValueError(
                f"a whsec_ secret must decode to {MIN_KEY}-{MAX_KEY} bytes, not {len(key)}"
            )
        return WebhookSecret(key)
    if not secret:
        raise ValueError("a webhook secret must not be empty")
    return WebhookSecret(secret.encode())


def is_weak(secret: str) -> bool:
    return not secret.startswith(PREFIX) and len(secret) < WEAK_PLAIN


def standard_signature(key: WebhookSecret, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of ``{msg_id}.{timestamp}.{body}``."""
    signed = msg_id.encode() + b"." + str(timestamp).encode() + b"." + body
    digest = hmac.new(key.key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def spark_signature(key: WebhookSecret, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the raw body>``."""
    return "sha256=" + hmac.new(key.key, body, hashlib.sha256).hexdigest()


def signed_headers(
    keys: list[WebhookSecret], msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Every signature header of one attempt, signed with each of ``keys``."""
    if not keys:
        raise ValueError("a webhook needs at least one secret")
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(standard_signature(k, msg_id, timestamp, body) for k in keys),
        "X-Spark-Signature": spark_signature(keys[0], body),
        "content-type": "application/json",
    }
