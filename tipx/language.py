"""Is a text English? tipx's vocabularies and rules read English: on another language they find
little, so a record says so rather than being quietly poor.

Cheap first: English running text is about a third function words (spaCy's English stop
words: 0.29 and up on every development document; French 0.02, Portuguese 0.11), so a text
that has them is not looked at further and English runs never load a model. A text long enough
to judge that lacks them goes to py3langid, whose small model ships inside the package (nothing
is downloaded), and a confident verdict other than English gives the warning."""

from __future__ import annotations

from functools import lru_cache

WARNING = "text looks {}; tipx reads English: expect fewer results"
PREFIX = WARNING.split("{")[0]  # how the command line recognises the warning to repeat on stderr
MIN_WORDS = 40  # a caption, a contact block or a one-line note is too short to judge
SAMPLE_TOKENS = 1000
ENGLISH_SHARE = 0.2  # of words that are English stop words
CONFIDENCE = 0.9


def language_warning(doc) -> str | None:
    """The warning for a Doc that is long enough to judge and confidently not English."""
    from spacy.lang.en.stop_words import STOP_WORDS  # English's, whatever the pipeline's language

    sample = doc[:SAMPLE_TOKENS]
    words = [token.lower_ for token in sample if token.is_alpha]
    if len(words) < MIN_WORDS or sum(word in STOP_WORDS for word in words) >= ENGLISH_SHARE * len(words):
        return None
    code, confidence = _identifier().classify(sample.text)
    if code == "en" or confidence < CONFIDENCE:
        return None
    return WARNING.format(_name(code))


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # probabilities, not scores


def _name(code: str) -> str:
    import pycountry

    language = pycountry.languages.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    return language.name if language is not None else f"like language {code!r}"
