"""The base of tipx's rule components: vocabularies that travel with the pipeline.

In the manner of spaCy's ``SpanRuler``: a component's resources are named by its config
settings, read and checked on ``initialize()`` (or on first use), written into the pipeline
folder by ``to_disk`` and read back by ``from_disk``, so a saved pipeline, customised
gazetteer included, loads on a machine without tipx's own data files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import srsly
from spacy.tokens import Doc

from ..resources import ResourceError, Spec, load, read_file


class ResourceComponent:
    """Subclasses declare ``specs`` (setting name -> Spec), implement ``build(data)`` (compile
    matchers and tables from the checked data) and ``process(doc)``."""

    specs: ClassVar[dict[str, Spec]] = {}

    def __init__(self, nlp, name: str, **sources: str) -> None:
        self.nlp, self.name = nlp, name
        self.sources = sources  # setting name -> file (a bare name is one of tipx's own)
        self.data: dict[str, Any] | None = None

    # ------------------------------------------------------------------ resources

    def initialize(self, get_examples=None, *, nlp=None, **sources: str) -> None:
        """Read the resource files (those of the config, or the ones given here) and build."""
        self.sources.update(sources)
        self.set_data({key: load(self.sources[key], spec) for key, spec in self.specs.items()})

    def set_data(self, data: dict[str, Any]) -> None:
        self.data = data
        self.build(data)

    def build(self, data: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def ensure_ready(self) -> None:
        if self.data is None and self.specs:
            self.initialize()

    # ------------------------------------------------------------------ running

    def __call__(self, doc: Doc) -> Doc:
        self.ensure_ready()
        return self._guarded(doc)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        self.ensure_ready()
        for doc in docs:
            yield self._guarded(doc)

    def _guarded(self, doc: Doc) -> Doc:
        """A bug on one document must not cost the others (nlp.pipe would stop at the first
        exception): the document goes on without this component's spans, and the error is
        noted on it (``doc.user_data["tipx_errors"]``) for its record's warnings."""
        try:
            return self.process(doc)
        except Exception as exc:
            doc.user_data.setdefault("tipx_errors", []).append(
                f"internal error in {self.name} ({type(exc).__name__}: {exc}); its items may be missing"
            )
            return doc

    def process(self, doc: Doc) -> Doc:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------------ serialisation

    def _file(self, path: Path, key: str) -> Path:
        return path / (key + (".jsonl" if self.specs[key].rows else ".json"))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.ensure_ready()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for key, value in (self.data or {}).items():
            target = self._file(path, key)
            if self.specs[key].rows:
                srsly.write_jsonl(target, value)
            else:
                srsly.write_json(target, value)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        path = Path(path)
        data = {}
        for key, spec in self.specs.items():
            target = self._file(path, key)
            if not target.is_file():
                raise ResourceError(f"{target}: missing from the saved pipeline (component {self.name!r})")
            data[key] = spec.check(read_file(target), str(target))
        self.set_data(data)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        self.ensure_ready()
        return srsly.msgpack_dumps(self.data or {})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        loaded = srsly.msgpack_loads(data)
        self.set_data(
            {key: spec.check(loaded[key], f"{self.name}.{key}") for key, spec in self.specs.items()}
        )
        return self
