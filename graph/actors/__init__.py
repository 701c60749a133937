"""Actors, contributors and places found in the text of OH records: the whole extraction in one place.

One module per concern, in pipeline order:

- :mod:`.model` — what travels to mapping: :class:`Actor`, :class:`ActorLink`, :class:`PlaceLink`,
  :class:`Resolution`, and the programme-only base :class:`Resolver`;
- :mod:`.registry` — the user's actor registry (YAML/CSV) and its ignore list;
- :mod:`.rules` — text rules, one module each: sentences, capitalised organisation names, acronyms, people by role,
  contribution cues, appositions (the subpackage :mod:`.rules`);
- :mod:`.places` — the gazetteer of countries, subdivisions and towns;
- :mod:`.resolver` — :class:`ActorResolver`: names → one actor each, roles in the outcome, places;
- :mod:`.review` — the review sheet and ``actors apply``;
- :mod:`.evaluate` — precision, recall and F1 against labelled data.

Names are imported lazily, so ``from harvestgraph.actors import Registry`` does not load the language
pipeline.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "ACTOR_KINDS": "model", "Actor": "model", "ActorLink": "model", "PlaceLink": "model", "Resolution": "model",
    "Resolver": "model",
    "Registry": "registry", "ignore_path": "registry", "make_actor": "registry", "key": "registry",
    "Gazetteer": "places", "Place": "places", "fold": "places",
    "ActorResolver": "resolver", "FUZZY_THRESHOLD": "resolver",
    "review_rows": "review", "write_sheet": "review", "read_sheet": "review", "apply_sheet": "review",
    "plan": "review", "ApplyReport": "review", "SHEET_COLUMNS": "review",
    "load_gold": "evaluate", "ROLES": "evaluate", "RoleScore": "evaluate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
