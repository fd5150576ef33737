"""Spark Control's vLLM plugin: the model catalog and safe swaps on the cluster's nodes."""
