"""The hooks of the redaction plugin (its entry point)."""
