"""Answers in the media type a client asks for: SPARQL 1.1 results as JSON, XML, CSV or TSV for SELECT and
ASK; Turtle, N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE; chosen by ``Accept`` or ``format=``."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from harvestgraph.api.cache import Body
from harvestgraph.vocab import PREFIXES

from .common import Answer, SparqlError

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
FORMAT_ALIASES = {  # ?format= shortcuts
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
_MEDIA_TYPE_OUT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                   "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}



def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": str(t)}  # RDF-star: rare; readable rather than exact


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"


def serialize_results(ans: Answer, fmt: str) -> bytes:
    """SPARQL 1.1 results (JSON, XML, CSV, TSV) of a SELECT or ASK answer."""
    if fmt == "json":
        if ans.kind == "ask":
            return json.dumps({"head": {}, "boolean": ans.boolean}).encode()
        bindings = [{v: _json_term(t) for v, t in zip(ans.variables, row) if t is not None} for row in ans.rows]
        return json.dumps({"head": {"vars": ans.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in ans.variables)
        if ans.kind == "ask":
            body = f"<boolean>{'true' if ans.boolean else 'false'}</boolean>"
        else:
            results = "".join(
                "<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                     for v, t in zip(ans.variables, row) if t is not None) + "</result>"
                for row in ans.rows)
            body = f"<results>{results}</results>"
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head>{body}</sparql>\n").encode()
    buf = io.StringIO()
    if ans.kind == "ask":
        variables, rows = ["_askResult"], [[ox.Literal("true" if ans.boolean else "false")]]
    else:
        variables, rows = ans.variables, ans.rows
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row])
    else:  # tsv: terms in SPARQL/Turtle syntax
        buf.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            buf.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return buf.getvalue().encode()


def serialize_graph(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Triples as Turtle (with our prefixes), N-Triples, JSON-LD or RDF/XML."""
    if fmt == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    return ox.serialize(triples, format=fmt)


def accepted_media_types(accept: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, order kept among equals)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, bits[0].lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(kind: str, accept: str | None, fmt: str | None) -> str:
    """The media type to answer with, or SparqlError 406."""
    table = SELECT_TYPES if kind in ("select", "ask") else GRAPH_TYPES
    default = "application/sparql-results+json" if kind in ("select", "ask") else "text/turtle"
    if fmt:
        mt = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if mt in table:
            return mt
        raise SparqlError(406, "not_acceptable", f"format {fmt!r} is not available for this query; use one of "
                          + ", ".join(sorted(table)))
    wanted = accepted_media_types(accept or "*/*")
    for mt in wanted:
        if mt in table:
            return mt
        if mt in ("*/*", "application/*", "text/*") or not wanted:
            return default
    if not wanted:
        return default
    raise SparqlError(406, "not_acceptable", "none of the accepted media types can carry this result; use one of "
                      + ", ".join(sorted(table)))


def encode(ans: Answer, mt: str) -> Body:
    """An answer in a negotiated media type (see :func:`negotiate`)."""
    if ans.kind == "graph":
        rdf = GRAPH_TYPES[mt]
        ctype = rdf.media_type + ("; charset=utf-8" if rdf != ox.RdfFormat.RDF_XML else "")
        return Body(200, serialize_graph(ans.triples or [], rdf), ctype, compress=True)
    out = SELECT_TYPES[mt]
    return Body(200, serialize_results(ans, out), _MEDIA_TYPE_OUT[out], compress=True)


def _media_key(accept: str | None, fmt: str | None) -> tuple[str, str]:
    """What the negotiation gives for a table and for a graph (a media type, or the 406 message): the part
    of the cache key that stands for ``Accept`` and ``format=``, shared by clients that ask alike."""
    out = []
    for kind in ("select", "graph"):
        try:
            out.append(negotiate(kind, accept, fmt))
        except SparqlError as exc:
            out.append(exc.message)
    return out[0], out[1]
