"""Spark Control plugin: scrub PII before text leaves for a cloud model, rehydrate the reply."""
