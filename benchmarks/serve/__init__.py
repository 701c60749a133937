"""Benchmarks of serving: named queries (embedded, rdflib, other engines), the API under load and attack, views, /explore."""
