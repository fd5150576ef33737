"""Spark Control: the host that loads every subsystem as a plugin."""

from spark_control.hookspecs import hookimpl

__all__ = ["hookimpl"]
