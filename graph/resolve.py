"""The resolve stage's interface, kept here for the modules that import it by this name (mapping,
ingest): the dataclasses that travel from extraction to mapping live in :mod:`harvestgraph.actors.model`."""

from .actors.model import ACTOR_KINDS, Actor, ActorLink, PlaceLink, Resolution, Resolver

__all__ = ["ACTOR_KINDS", "Actor", "ActorLink", "PlaceLink", "Resolution", "Resolver"]
