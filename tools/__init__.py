"""I/O: files, the vector store, the keyword index, and (later) uHub and GitLab."""
