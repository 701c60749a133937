"""Benchmarks of ingest: the CLI end to end, the map stage, the pool, watch, the index patch, extraction."""
