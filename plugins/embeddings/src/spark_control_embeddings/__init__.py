"""Spark Control plugin: embeddings, rerank and hybrid search over Qdrant."""
