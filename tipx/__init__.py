"""tipx: structured, verifiable records from counter-trafficking press releases and reports.

from tipx import InputError, extract, load_pipeline
records = extract("release.pdf")          # one record per article; also a list of paths
records = extract(text=body, source="page.html")  # a text, read as its source's suffix says
nlp = load_pipeline()                     # the spaCy Language itself
"""

__version__ = "0.1.0"

__all__ = ["InputError", "__version__", "extract", "load_pipeline"]


def __getattr__(name: str):
    # spaCy is imported only when extraction is asked for, so `tipx --version` stays fast.
    if name == "extract":
        from .extraction import extract

        return extract
    if name == "InputError":  # a file that cannot be read
        from .reading import InputError

        return InputError
    if name == "load_pipeline":
        from .pipeline import load_pipeline

        return load_pipeline
    raise AttributeError(name)
