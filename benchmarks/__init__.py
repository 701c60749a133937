"""Benchmarks: ingest, named queries, API and network view at portfolio scale (``make bench``)."""
