"""tipx's spaCy pipeline components; importing this package registers their factories (every
module in it is imported, so a new component needs no line here). Installed packages also find
them through the ``spacy_factories`` entry points, which is how ``spacy.load`` of a saved
pipeline works without importing tipx first."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
