"""The hooks of the speech plugin (its entry point)."""
