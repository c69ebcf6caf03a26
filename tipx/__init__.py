"""tipx: structured, verifiable records from counter-trafficking press releases and reports."""

__version__ = "0.1.0"

__all__ = ["__version__", "extract"]


def __getattr__(name: str):
    # spaCy is imported only when extraction is asked for, so `tipx --version` stays fast.
    if name == "extract":
        from .extraction import extract

        return extract
    raise AttributeError(name)
