"""The names of the contribution-analysis exports: each kind with the formats it offers, and the tables.

Kept apart from :mod:`harvestgraph.outputs.export` (networkx, openpyxl: 0.44 s to import) so that the CLI can
build its ``export ... --help`` text at start-up without loading the exporters.
"""

from __future__ import annotations

KINDS = {  # kind → formats it offers (the first is the default)
    "contributions": ("csv", "xlsx", "json"),
    "actors": ("csv", "xlsx", "json"),
    "outcomes": ("csv", "xlsx", "json"),
    "network": ("graphml", "gexf", "kumu-json", "kumu-xlsx"),
    "graph": ("turtle", "jsonld"),
}
# The tables one of them can be narrowed to (``--table``, ``?table=``): the keys of export.TABLES.
TABLE_NAMES = ("contributions", "actors", "communities", "outcomes", "significance_contribution", "who_contributed",
               "type_objective")
