"""Defaults, overridable by environment variables (HARVESTGRAPH_STORE, HARVESTGRAPH_REGISTRY)."""

from __future__ import annotations

import os
from pathlib import Path


def default_store() -> str:
    return os.environ.get("HARVESTGRAPH_STORE", "data/store")


def default_registry() -> Path | None:
    env = os.environ.get("HARVESTGRAPH_REGISTRY")
    if env:
        return Path(env)
    for candidate in (Path("actors.yaml"), Path("examples/actors.yaml")):
        if candidate.exists():
            return candidate
    return None


def make_resolver(registry: Path | None):
    """The full actor resolver when available (registry + rules), else the programme-only base."""
    try:
        from .actors import ActorResolver
    except ImportError:  # pragma: no cover - during bootstrap only
        from .resolve import Resolver

        return Resolver()
    return ActorResolver.from_registry(registry)
