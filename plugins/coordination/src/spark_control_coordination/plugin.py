"""The hooks of the coordination plugin (its entry point)."""
