"""The Python API: what extract() takes, what it says when given something else."""

import re
from pathlib import Path

import pytest

import tipx
from tipx import InputError, extract

from conftest import SAMPLES

PRESS = SAMPLES / "press_release.txt"
STORY = SAMPLES / "story.html"
MARKDOWN = (
    "# Police officers in Maseru learn to spot trafficking\n\n"
    "Maseru, 3 May 2023 – The [International Organization for Migration](https://www.iom.int/) "
    "trained **30 police officers** in Maseru, Lesotho. The training was funded by the European Union.\n"
)


def test_input_error_is_importable_from_tipx():
    assert tipx.InputError is InputError and "InputError" in tipx.__all__
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        extract(str(SAMPLES / "nope.txt"))


def test_a_path_a_pathlike_and_a_list_of_paths():
    one = extract(str(PRESS))
    assert extract(PRESS) == one  # pathlib.Path
    both = extract([PRESS, str(STORY)])
    assert both == one + extract(STORY)
    assert extract((PRESS,)) == one


def test_a_list_naming_a_missing_file_says_which():
    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        extract([PRESS, SAMPLES / "missing.txt"])


def test_a_string_that_is_not_a_path_points_to_text():
    with pytest.raises(InputError, match=re.escape("use extract(text=...)")):
        extract("IOM trained 30 police officers in Maseru, Lesotho, with funding from the EU.")
    with pytest.raises(InputError, match=re.escape("use extract(text=...)")):
        extract(MARKDOWN)


@pytest.mark.parametrize(
    ("argument", "named"),
    [
        (42, "not int"),
        (b"samples/press_release.txt", "not bytes"),
        ({"path": "x.txt"}, "not dict"),
        ([42], "not int"),
    ],
)
def test_other_types_are_type_errors_that_say_what_is_accepted(argument, named):
    with pytest.raises(TypeError, match=re.escape(named)) as error:
        extract(argument)
    assert "a path (str or os.PathLike), a list of paths, or text=str" in str(error.value)


def test_bytes_say_how_to_turn_them_into_a_name_or_a_text():
    with pytest.raises(TypeError, match=re.escape("os.fsdecode(name)")):
        extract(bytes(PRESS))
    with pytest.raises(TypeError, match=r"text= takes a str, not bytes: decode it first"):
        extract(text=PRESS.read_bytes())
    with pytest.raises(TypeError, match=r"text= takes a str, not int$"):
        extract(text=5)


def test_a_path_and_text_together_or_neither_is_an_error():
    with pytest.raises(ValueError, match="not both"):
        extract(PRESS, text="x")
    with pytest.raises(ValueError, match="give a path or text="):
        extract()


def test_text_is_read_as_its_source_suffix_says():
    (as_markdown,) = extract(text=MARKDOWN, source="update.md")
    (as_plain,) = extract(text=MARKDOWN, source=Path("update.txt"))
    assert as_markdown["source"] == "update.md" and as_plain["source"] == "update.txt"
    assert as_markdown["title"] == "Police officers in Maseru learn to spot trafficking"
    assert as_plain["title"].startswith("# Police officers")  # Markdown read as plain text
    sentences = [m["sentence"] for o in as_markdown["organisations"] for m in o["mentions"]]
    assert "The International Organization for Migration trained 30 police officers" in sentences[0]
    html = (
        "<html><body><h1>Police trained</h1>"
        "<p>IOM trained <b>30 officers</b> in Maseru, Lesotho.</p></body></html>"
    )
    (as_html,) = extract(text=html, source="page.html")
    assert [p["text"] for p in as_html["participants"]] == ["30 officers"]
    assert "<b>" not in as_html["countries"][0]["mentions"][0]["sentence"]


def test_an_empty_text_gives_no_records():
    assert extract(text="   \n") == []
