"""tipx's spaCy pipeline components; importing this package registers their factories
(installed packages also find them through the ``spacy_factories`` entry points)."""

from . import common, contacts, countries, dates, funders, organisations, participants, phones  # noqa: F401
