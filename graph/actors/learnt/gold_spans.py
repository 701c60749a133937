"""Gold actor names as spans: the labelled sets give canonical names per fragment, not offsets, so each
gold changed actor and contributor is looked for in the fragment's free-text fields (exact, then
case-insensitive, then through the set's registry: names, aliases, acronyms). What is found is a training
span of the span model (:mod:`.span_model`); what is not is counted and reported (:func:`failures`).

The gold places of the fragment are spans too: written as names they look like actors, and the model
must learn that they are not (tokens of a place are labelled "outside").

    >>> frags = labelled("dev5")          # doctest: +SKIP
    >>> frags[0].spans["outcome_description"][:1]  # doctest: +SKIP
    [(0, 35, 'Northern Regional Health Directorate')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..evaluate import LABELLED_SETS, load_gold
from ..registry import Registry

# the fields the roles are read from: the outcome description (changed), the contribution fields
# (contributors); "supported by X" in the other fields is rare and left to the rules
FIELDS = ("outcome_description", "contribution_programme", "contribution_others")
HELD_OUT = ("test",)  # never read: the lead scores it after merging


@dataclass
class LabelledFragment:
    id: str
    set: str
    fields: dict[str, str]
    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # field → (start, end, gold name)
    places: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    unaligned: list[str] = field(default_factory=list)  # gold actors found in no field


def _occurrences(text: str, name: str, flags: int = 0) -> list[tuple[int, int]]:
    """Where ``name`` occurs in ``text`` as whole words."""
    pat = re.compile(r"(?<![\w])" + re.escape(name).replace(r"\ ", r"\s+") + r"(?![\w])", flags)
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def align(fields: dict[str, str], name: str, registry: Registry) -> dict[str, list[tuple[int, int]]]:
    """The spans of one gold name in ``fields``: exact, else case-insensitive (also with "’" for "'"),
    else the registry's labels of the actor it names."""
    for flags in (0, re.I):
        out = {f: occ for f, t in fields.items() if (occ := _occurrences(t, name, flags))}
        if not out and "'" in name:
            out = {f: occ for f, t in fields.items() if (occ := _occurrences(t, name.replace("'", "’"), flags))}
        if out:
            return out
    known = registry.find(name)
    if known is not None:
        labels = sorted({known.name, *known.aliases, *([known.acronym] if known.acronym else [])}, key=len,
                        reverse=True)
        out: dict[str, list[tuple[int, int]]] = {}
        for f, t in fields.items():
            taken: list[tuple[int, int]] = []
            for label in labels:
                for s, e in _occurrences(t, label, re.I):
                    if not any(a < e and s < b for a, b in taken):
                        taken.append((s, e))
            if taken:
                out[f] = sorted(taken)
        return out
    return {}


def _without_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest first, no overlaps ("UNICEF" inside "UNICEF Ghana" when both are gold)."""
    out: list[tuple[int, int, str]] = []
    for s, e, n in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        if not any(a < e and s < b for a, b, _ in out):
            out.append((s, e, n))
    return sorted(out)


def gold_fragments(name: str):
    """(fragment, its gold entry, the set's registry) for each labelled fragment of set ``name``, once each, in the
    order the set's files hold them: what every learnt model is trained on (the caller refuses the sets it must not
    read)."""
    from ...ingest import read_batch
    from ...ingest.batch import normalise_all

    gold_path, examples, reg_path = LABELLED_SETS()[name]
    gold = load_gold(gold_path)
    registry = Registry.load(reg_path)
    raws, _ = read_batch([examples])
    frags, _ = normalise_all(raws)
    seen = set()
    for frag in frags:
        if frag.id not in gold or frag.id in seen:
            continue
        seen.add(frag.id)
        yield frag, gold[frag.id], registry


def labelled(name: str) -> list[LabelledFragment]:
    """Every labelled fragment of set ``name`` with its gold actors as spans of its free-text fields."""
    if name in HELD_OUT:
        raise ValueError(f"{name} is held out")
    out = []
    for frag, entry, registry in gold_fragments(name):
        fields = {k: v for k, v in frag.text_fields().items() if k in FIELDS}
        lf = LabelledFragment(frag.id, name, fields)
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for actor in dict.fromkeys((*entry.changed, *entry.contributors)):
            found = align(fields, actor, registry)
            if not found:
                lf.unaligned.append(actor)
            for f, occ in found.items():
                spans.setdefault(f, []).extend((s, e, actor) for s, e in occ)
        lf.spans = {f: _without_overlaps(v) for f, v in spans.items()}
        for place, _country in entry.places:
            for f, t in fields.items():
                lf.places.setdefault(f, []).extend(_occurrences(t, place))
        out.append(lf)
    return out


def failures(frags: list[LabelledFragment]) -> tuple[int, int, list[tuple[str, str]]]:
    """Gold actors, those aligned, and the (fragment, name) pairs that found no span."""
    total = sum(len(f.unaligned) + len({n for v in f.spans.values() for _, _, n in v}) for f in frags)
    missed = [(f.id, n) for f in frags for n in f.unaligned]
    return total, total - len(missed), missed
