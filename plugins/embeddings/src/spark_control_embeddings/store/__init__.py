"""Where documents are kept: one interface (``base.Store``), two implementations —
the embedded qdrant-edge-py store in the data directory (``edge.EdgeStore``, the
default) and a Qdrant server through qdrant-client (``remote.RemoteStore``)."""
