"""Resolve and map: fragments one at a time through the resolver (the language pipeline reads chunks
together) and the mapping, with repeated FragmentIDs compared and links to confidential outcomes dropped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from ..errors import BatchError, Problem
from ..mapping import MappedFragment, map_all, map_fragment
from ..normalise import Fragment
from ..read import RawFragment
from ..resolve import Resolver
from ..vocab import HG
from .batch import Progress, describe, normalise_all
from .keys import record_key
from .links import hidden_outcomes, redact_links
from .pool import MappingPool


def prepare(raws: Sequence[RawFragment], resolver: Resolver, progress: Progress | None = None,
            stored_confidential: Iterable[str] = ()) -> tuple[list[MappedFragment], list[Problem]]:
    """Normalise, resolve and map every fragment; raise BatchError listing every problem.
    ``stored_confidential``: FragmentIDs of confidential fragments already in the store (their outcomes
    must not be named by links in public graphs, see :func:`redact_public_links`)."""
    fragments, problems = normalise_all(raws)
    warnings: list[Problem] = []
    confidential = {f.id for f in fragments if f.is_confidential} | set(stored_confidential)
    batch = list(iter_mapped(fragments, resolver, confidential, problems, warnings, progress))
    if problems:
        raise BatchError(problems)
    return batch, warnings


def iter_mapped(fragments: Iterable[Fragment], resolver: Resolver, confidential: set[str],
                problems: list[Problem], warnings: list[Problem], progress: Progress | None = None,
                *, counts: Counter[str] | None = None, pipeline: str | None = None,
                repeat_keys: dict[str, str] | None = None, pool: MappingPool | None = None) -> Iterator[MappedFragment]:
    """Resolve and map fragments one at a time (so a big batch can stream into the bulk loader),
    appending problems and warnings. A FragmentID seen twice is read once when both say the same
    (the first one is mapped again to compare: rare, and it keeps no mapped fragment in memory),
    else it is a problem. Links from public fragments to ``confidential`` outcomes are redacted.
    ``counts``: how often each FragmentID occurs in the batch, when ``fragments`` is an iterator
    (the streaming path re-reads the files rather than hold every normalised fragment).
    ``pipeline``: :func:`pipeline_key`, to give each mapped fragment its :func:`record_key`;
    ``repeat_keys``: the :func:`repeat_key` of each FragmentID the batch repeats (one without a key is
    mapped again next time). ``pool``: resident mapping processes (:mod:`.pool`) that map the batch on
    every core when it is big enough; the rest of this loop is the same."""
    if counts is None:
        fragments = list(fragments)
        counts = Counter(f.id for f in fragments)
    total = counts.total()
    first: dict[str, Fragment] = {}  # only the FragmentIDs that occur more than once
    hidden = hidden_outcomes(confidential)
    pairs = _pooled(fragments, resolver, pool) if pool is not None else map_all(fragments, resolver)
    for i, (frag, mapped) in enumerate(pairs):
        if pipeline is not None and counts[frag.id] == 1:
            mapped.record_key = record_key(frag.raw, pipeline)
        if counts[frag.id] == 1:
            warnings.extend(frag.warnings)
            yield redact_links(mapped, hidden)
        elif (prior := first.get(frag.id)) is not None:
            if _same_content(map_fragment(prior, resolver.resolve(prior)), mapped):
                warnings.append(Problem(frag.raw.source_file, frag.raw.line, "FragmentID",
                                        f"{frag.id!r} repeats {describe(prior.raw)} with the same values; read once"))
            else:
                problems.append(Problem(frag.raw.source_file, frag.raw.line, "FragmentID",
                                        f"duplicate FragmentID {frag.id!r} with different values (first at "
                                        f"{describe(prior.raw)}); fix one of them"))
        else:
            first[frag.id] = frag
            warnings.extend(frag.warnings)
            if repeat_keys is not None:
                mapped.record_key = repeat_keys.get(frag.id)
            yield redact_links(mapped, hidden)
        if progress and ((i + 1) % 200 == 0 or i + 1 == total):
            progress("map", i + 1, total)


# The pool maps a stream this many fragments at a time: each window is split among its processes, and
# a streamed batch never holds more than one window of normalised and mapped fragments.
POOL_WINDOW = 2000


def _pooled(fragments: Iterable[Fragment], resolver: Resolver,
            pool: MappingPool) -> Iterator[tuple[Fragment, MappedFragment]]:
    it = iter(fragments)
    while window := list(islice(it, POOL_WINDOW)):
        done = pool.map(window, resolver)
        if done is None:  # too few to send, or the pool's registry is not this resolver's
            yield from map_all(window, resolver)
        else:
            yield from zip(window, done)


_PROVENANCE = {str(HG.sourceFile), str(HG.sourceLine), str(HG.sourceFormat), str(HG.rawRecord)}


def _same_content(a: MappedFragment, b: MappedFragment) -> bool:
    """Equal but for where they were read from (the same fragment exported twice)."""
    def facts(m: MappedFragment) -> set[str]:
        return {f"{q.subject} {q.predicate} {q.object}" for q in m.quads
                if q.predicate.value not in _PROVENANCE}
    return facts(a) == facts(b)
