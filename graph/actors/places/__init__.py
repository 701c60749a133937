"""Places named in the free text (the gazetteer, :mod:`.gazetteer`), places read from their context where no
gazetteer lists them (:mod:`.context`), and the vocabulary and judgements both share (:mod:`.words`)."""

from .context import context_place, context_places
from .gazetteer import GEONAMES, Gazetteer, Place, PlaceMatch, _geonames, _geonames_rows
from .words import _UNIT_WORDS, fold, names_a_language, not_a_place_here, spoken_in

__all__ = ["GEONAMES", "Gazetteer", "Place", "PlaceMatch", "context_place", "context_places", "fold",
           "names_a_language", "not_a_place_here", "spoken_in"]
