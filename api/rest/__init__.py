"""The REST API, one router per resource: named queries, outcomes, actors, and dereferenceable entity IRIs (``/id/...``).

Every route takes the reader from :func:`harvestgraph.api.auth.get_reader` and queries only the graphs that
reader may see, through the same guarded runner as ``/sparql`` (timeout, result cap, cache). Parameters reach
SPARQL only as typed RDF terms (:func:`harvestgraph.queries.bind` or store substitutions), never as text.

One module per resource (:mod:`.named_queries`, :mod:`.outcomes`, :mod:`.actors`, :mod:`.linked_data`), the
response models in :mod:`.models`, and what the routes share (query specs, encoders, the runner's answer as a
table) in :mod:`.common`.
"""

from fastapi import APIRouter

from . import actors, linked_data, named_queries, outcomes
from .common import (DEFAULT_PAGE, PageOf, QuerySpec, curie, id_href, iri_slug, named_query, query_body, query_table,
                     text_query)
from .models import ActorPage, ActorSummary, OutcomePage, OutcomeSummary, ParamInfo, QueryInfo, Table, TablePage
from .named_queries import default_page, named_page

router = APIRouter()
for _resource in (named_queries, outcomes, actors, linked_data):  # the order of the routes as they were written
    router.include_router(_resource.router)

__all__ = ["DEFAULT_PAGE", "ActorPage", "ActorSummary", "OutcomePage", "OutcomeSummary", "PageOf", "ParamInfo",
           "QueryInfo", "QuerySpec", "Table", "TablePage", "curie", "default_page", "id_href", "iri_slug", "named_page",
           "named_query", "query_body", "query_table", "router", "text_query"]
