"""The OpenAI-compatible proxy at ``/v1`` (the host's ``/v1`` fallback)."""

from spark_control_vllm.proxy.app import ProxyApp, static_probe_name

__all__ = ["ProxyApp", "static_probe_name"]
