"""The hooks of the matrix_bridge plugin (its entry point)."""
