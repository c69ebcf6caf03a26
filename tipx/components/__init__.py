"""tipx's spaCy pipeline components; importing this package registers their factories."""

from . import contacts, countries, dates, funders, organisations, participants  # noqa: F401
