"""Engine-specific stores behind :class:`~harvestgraph.store.GraphStore`: one module per engine, plus
:mod:`.guard` (what a query may be before an engine that widens datasets runs it)."""

from .virtuoso import PartialWrite, VirtuosoStore

__all__ = ["PartialWrite", "VirtuosoStore"]
