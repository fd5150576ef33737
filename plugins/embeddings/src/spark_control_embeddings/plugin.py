"""The hooks of the embeddings plugin (its entry point)."""
