"""Benchmarks: ingest, named queries, API and network view at portfolio scale (``make bench``).

``run`` (the runner behind ``make bench``), ``generate`` (the seeded synthetic portfolios) and ``common`` (the
measuring helpers) sit here; the measurements themselves in :mod:`benchmarks.ingest` (what writing costs) and
:mod:`benchmarks.serve` (what reading costs).
"""
