"""tipx's spaCy pipeline components; importing this package registers their factories."""

from spacy.language import Language

from . import contacts, countries, dates, funders, organisations, participants  # noqa: F401
from .common import mark_line_breaks

Language.component("tipx_line_breaks", func=mark_line_breaks)
