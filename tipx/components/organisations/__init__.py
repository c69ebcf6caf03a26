"""Organisations: a gazetteer of known bodies, naming patterns, acronym definitions.

Modules: ``gazetteer`` (known bodies and their acronyms), ``names`` (naming patterns),
``acronyms`` (definitions and bare uses), ``grouping`` (canonical names, offices, prefixes),
``context`` (what is computed per document) and ``component`` (the spaCy component)."""

from .component import OrganisationFinder, make_organisations

__all__ = ["OrganisationFinder", "make_organisations"]
