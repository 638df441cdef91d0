"""Resolve stage: mentions → canonical actors (aliases, name order, transliterations, metonyms)."""

from aidtracker.resolve.actors import Registry, build_registry

__all__ = ["Registry", "build_registry"]
