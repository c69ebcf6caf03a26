"""A long text streams through the pipeline in pieces: each piece's Doc is folded into the
record as it comes out and then freed, and the record is the one the pieces' content gives
processed whole. (Peak memory itself is measured in bench/bench_memory.py.)"""

import gc
import re
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from tipx import engine
from tipx.cleaning import Article
from tipx.engine import make_doc, pieces
from tipx.pipeline import build_pipeline
from tipx.record import build_record

from conftest import SAMPLES, record_items

LIMIT = 2_000  # piece size for these tests (the real one is 100,000 characters)


def _long_article(blocks: int) -> tuple[Article, list[int]]:
    """The sample press release ``blocks`` times over, its years changed from block to block
    (every block the same length): the Article and each block's offset."""
    [release] = engine.read_document(str(SAMPLES / "press_release.txt"))
    texts = [re.sub(r"\b20(\d\d)\b", f"20{10 + i:02d}", release.text) for i in range(blocks)]
    text = "\n\n".join(texts)
    offsets = [i * (len(texts[0]) + 2) for i in range(blocks)]
    return Article("long.txt", text, title=release.title, published=release.published), offsets


@pytest.fixture()
def small_pieces(monkeypatch):
    """Pieces and batches of LIMIT characters, so a short text is a long one."""
    monkeypatch.setattr(engine, "PIECE_CHARS", LIMIT)
    monkeypatch.setattr(engine, "BATCH_CHARS", LIMIT)


def test_pieced_text_gives_the_record_of_its_pieces_processed_whole(nlp, monkeypatch):
    article, offsets = _long_article(blocks=8)
    # a block is one piece: the premise of the comparison (no content crosses a cut)
    block = offsets[1]
    assert [offset for offset, _ in pieces(article.text, block)] == offsets
    monkeypatch.setattr(engine, "PIECE_CHARS", block)
    monkeypatch.setattr(engine, "BATCH_CHARS", block)

    [(_, streamed)] = list(engine._records([article], nlp, batch_size=16))
    whole = [(nlp(make_doc(nlp, article, article.text[o : o + block], first=o == 0)), o) for o in offsets]
    assert streamed == build_record(whole, article)
    # every block's items are there, at offsets that point at their text
    assert {item["start_char"] // block for item in record_items(streamed)} == set(range(8))
    for item in record_items(streamed):
        assert article.text[item["start_char"] : item["end_char"]] == item["text"]
    assert {d["start"][:4] for d in streamed["dates"]} >= {f"20{10 + i}" for i in range(8)}


_SEEN: weakref.WeakSet = weakref.WeakSet()
_ALIVE: list[int] = []


@Language.component("tipx_test_live_docs")
def _live_docs(doc):
    _SEEN.add(doc)
    gc.collect()
    _ALIVE.append(len(_SEEN))  # Docs that went through the pipeline and are still held
    return doc


def test_a_long_text_keeps_no_more_than_a_batch_of_docs(small_pieces):
    """Without folding, every piece's Doc lived until the article's end (a 20 MB text: 700 MB
    of Docs with the rules alone, gigabytes with a statistical model)."""
    nlp = build_pipeline("blank")
    nlp.add_pipe("tipx_test_live_docs")
    _ALIVE.clear()
    article, _ = _long_article(blocks=30)
    [(_, record)] = list(engine._records([article], nlp, 16))
    assert len(_ALIVE) >= 20  # the long text went through in pieces
    assert max(_ALIVE) <= 2, _ALIVE
    assert [d["start"][:4] for d in record["dates"]][-1] == "2039"  # the last piece is in it


def test_unreadable_files_pass_through_without_waiting(nlp, tmp_path):
    """A result that needs no pipeline comes out before the next document is read."""
    read: list[str] = []

    def items():
        for name in ("a", "b", "c"):
            read.append(name)
            yield name  # not an Article: passed through in order

    out = engine._records(items(), nlp, 16)
    assert next(out) == "a" and read == ["a"]
    assert list(out) == ["b", "c"]


def test_json_of_a_long_record_is_written_in_bounded_chunks(nlp):
    """`extract -f json` wrote one string built from millions of small ones: 400 MB at once for
    a 20 MB text's record. It goes out in chunks now, the same text."""
    import json

    from tipx.engine import Result
    from tipx.export import Output, _json
    from tipx.summary import Summary

    article, _ = _long_article(blocks=40)
    [(_, record)] = list(engine._records([article], nlp, 16))
    out = Output([Result("long.txt", article=article, record=record)], Summary(), is_summary=False)
    chunks = list(_json(out))
    assert "".join(chunks) == json.dumps([record], ensure_ascii=False, indent=2) + "\n"
    assert len(chunks) > 3 and max(len(c) for c in chunks) < 2**17


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.sampled_from([" ", "\n\n", "\u00a0", "\x1c", "\u2003", "ΟΔΟΣ", "Σ", "İ", "ß", "Straße"]),
        ),
        max_size=40,
    ).map("".join),
    st.integers(1, 12),
)
def test_fingerprint_is_the_hash_of_the_whole_text_normalised(text, block):
    """Hashed a block at a time (a 20 MB text was copied four times to be hashed), the
    fingerprint is the one of the whole text: words joined by a space, lower-cased."""
    import hashlib

    from tipx import cleaning

    whole = hashlib.sha1(re.sub(r"\s+", " ", text).strip().lower().encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cleaning, "_FINGERPRINT_BLOCK", block)
        assert Article("x", text).fingerprint == whole.hexdigest()
