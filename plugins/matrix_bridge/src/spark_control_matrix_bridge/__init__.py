"""Spark Control plugin: dashboard tiles for chat bots running in Docker on the nodes."""
