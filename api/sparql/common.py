"""What the SPARQL modules share: a refusal (:class:`SparqlError`, with its HTTP status and code), the app's
settings (:class:`Settings`, ``app.state.hg``) and a materialised answer (:class:`Answer`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from harvestgraph.api.cache import Body, ResultCache, VisibleGraphs
from harvestgraph.api.limits import Limits, ReaderSlots
from harvestgraph.store import GraphStore


class SparqlError(Exception):
    """A refusal with an HTTP status and a machine-readable code; rendered as JSON."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers

    def __reduce__(self):  # crosses the worker boundary
        return (type(self), (self.status, self.code, self.message, self.headers))

    def response(self) -> Response:
        body = self.body()
        return Response(body.content, status_code=body.status, media_type=body.media_type, headers=self.headers)

    def body(self) -> Body:
        """The refusal as a cacheable answer."""
        return Body(self.status, json.dumps({"error": self.code, "message": self.message}).encode(),
                    "application/json")

    @classmethod
    def from_body(cls, body: Body) -> "SparqlError":
        """A refusal back from its cached form (:meth:`body`)."""
        d = json.loads(body.content)
        return cls(body.status, d["error"], d["message"])


@dataclass
class Settings:
    """What the app's routes share (``app.state.hg``)."""

    store: GraphStore
    query_timeout: float
    result_cap: int
    pool: object  # where queries run (workers.WorkerPool or ThreadRunner): its size bounds evaluations at once
    cache: ResultCache
    graphs: VisibleGraphs  # the reader's graphs, per scope, remembered across requests
    limits: Limits = field(default_factory=Limits)
    view_timeout: float = 60.0  # the network view, report and exports: an analysis, not one query
    slots: ReaderSlots = field(default_factory=lambda: ReaderSlots(0))
    # seconds a request waits for its scope's network and list index while they are built (after start or a
    # write) before it is answered 503 ``building`` with Retry-After (:mod:`harvestgraph.api.explore_data`)
    index_wait: float = 60.0


def settings(request: Request) -> Settings:
    return request.app.state.hg


@dataclass
class Answer:
    """A materialised result: at most ``result_cap`` rows or triples."""

    kind: str  # select | ask | graph
    variables: list[str]
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]]
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None
