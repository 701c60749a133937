"""The read-only SPARQL 1.1 Protocol endpoint (``GET/POST /sparql``) and the guarded query runner every
route shares.

Guards, in order, before anything reaches the store:

1. **Read-only.** Updates are refused (403), whether sent as ``update=``, as ``application/sparql-update``
   or disguised as a query: the text is parsed with rdflib's SPARQL grammar, and a token scan (outside
   strings, IRIs and comments) backs it up when rdflib cannot parse it.
2. **No SERVICE.** A federated query would make the server call out to the network (human-rights data must
   not leak, and the server must not be used to probe other hosts): refused with 403 *before* execution.
3. **The reader's dataset.** Queries only see ``store.visible_graphs(confidential=reader.can_see_confidential)``.
   ``default-graph-uri`` / ``named-graph-uri`` may only *narrow* that set; FROM / FROM NAMED in the text are
   overridden by the store's dataset (an anonymous reader never sees a confidential fragment's triples).
4. **Size before parsing** (:mod:`harvestgraph.api.limits`): text length (413), nesting depth and
   triple patterns (400); the protocol's rules: one ``query`` parameter, UTF-8, the right content type.
5. **Time and size.** The query runs in a worker process (:mod:`harvestgraph.api.workers`: ``workers``
   evaluations at once, the event loop only routes requests and sends bytes), which is killed and
   replaced when the query overruns ``query_timeout`` seconds (503) or crashes (500): nothing of it keeps
   running. A job still queued when its last client gave up is dropped. More than ``result_cap`` rows
   (or triples) is a 400 asking for a LIMIT.
6. **Fairness.** At most ``per_reader`` evaluations at once per reader (user, or client address for
   anonymous readers): 429 with ``Retry-After`` beyond it. Cached answers are served regardless.

Jobs must be picklable to reach a worker process: a ``produce`` is a module-level function or a
``functools.partial`` of one (see :func:`answer`).

Answers are cached (:mod:`harvestgraph.api.cache`) as the bytes sent, keyed by the store generation, the
reader's scope (public, or public + confidential), the query and its parameters and the media type; the
same key in flight is evaluated once. Cached answers carry an ``ETag`` (``If-None-Match`` gets a 304).

Results: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or
RDF/XML, chosen by the Accept header (or ``format=``).

One module per concern: :mod:`.guards` (what a query may be), :mod:`.runner` (workers, deadline, cap,
fairness, cache, sending), :mod:`.formats` (media types), :mod:`.endpoint` (the protocol's routes), and
:mod:`.common` (the refusal, the settings, an answer).
"""

from .common import Answer, Settings, SparqlError, settings
from .endpoint import router
from .formats import GRAPH_TYPES, accepted_media_types, encode, negotiate, serialize_graph, serialize_results
from .guards import check_query, dataset
from .runner import Job, OwnRequest, accepts_gzip, answer, own_request, reader_key, send

__all__ = ["GRAPH_TYPES", "Answer", "Job", "OwnRequest", "Settings", "SparqlError", "accepted_media_types",
           "accepts_gzip", "answer", "check_query", "dataset", "encode", "negotiate", "own_request", "reader_key",
           "router", "send", "serialize_graph", "serialize_results", "settings"]
