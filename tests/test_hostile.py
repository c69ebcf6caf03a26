"""Long input: texts past spaCy's max_length are processed in pieces with whole-text offsets."""

from tipx.extraction import pieces


def test_pieces_cover_the_text_and_respect_the_limit():
    text = ("Paragraph with a sentence. " * 40 + "\n\n") * 400
    cuts = pieces(text, 5000)
    assert "".join(piece for _, piece in cuts) == text
    assert all(len(piece) <= 5000 for _, piece in cuts)
    assert [offset for offset, _ in cuts] == [sum(len(p) for _, p in cuts[:i]) for i in range(len(cuts))]
