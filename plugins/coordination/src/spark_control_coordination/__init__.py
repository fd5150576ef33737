"""Spark Control plugin: swap reservation lease, signed swap webhooks and the schedule registry."""
