"""Cleaning input: a document's text (see reading.py) -> articles ready for the pipeline.

Real pages arrive with site navigation before the title, "Who we are" blurbs, cookie
banners, contact footers, markup remnants, hard-wrapped lines and, on archive pages,
several articles in one file. Everything here is plain string work; spaCy is not imported.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .datetext import find_dates, first_date
from .reading import BOILERPLATE, Converted, InputError, text_to_text
from .resources import load_shared


@dataclass
class Article:
    source: str
    text: str
    title: str | None = None
    published: str | None = None
    index: int | None = None  # 1-based, only where a file holds several articles
    context_year: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """The same text up to case and spacing gives the same fingerprint (duplicates): the
        SHA-1 of its words joined by single spaces, lower-cased. Hashed a block at a time (cut
        at a space, so no word is split), a long text is not copied whole four times over."""
        digest, separator = hashlib.sha1(), b""
        text, start = self.text, 0
        while start < len(text):
            cut = _SPACE.search(text, start + _FINGERPRINT_BLOCK)
            end = cut.end() if cut else len(text)
            words = text[start:end].split()
            if words:
                digest.update(separator + " ".join(words).lower().encode("utf-8", "surrogatepass"))
                separator = b" "
            start = end
        return digest.hexdigest()


_SPACE = re.compile(r"\s")
_FINGERPRINT_BLOCK = 1 << 20

# ---------------------------------------------------------------------------- text clean-up

# A link to an address left in plain text by a careless export: `<a href="mailto:x@y.org">Jane
# Doe</a>` or its tail `"mailto:x@y.org\">Press Office</a>`. The address is kept (with the link
# text as the contact's name) and the markup goes. Every part is bounded: linear time.
_MAILTO_REMNANT = re.compile(
    r"(?:<a\s[^<>\n]{0,300}?href=)?\\?[\"']?mailto:([^\"'\s<>\\?]{1,320})(?:\?[^\"'\s<>\\]{0,300})?"
    r"\\?(?:[\"'][^<>\n]{0,300})?>(?:([^<>\n]{0,200})</a>)?",
    re.I,
)
# "jane.doe [at] iom.int", "info(at)unodc.org", "x [at] y [dot] org": an address written
# against harvesters. Brackets are required: "meet at iom" stays prose.
_OBFUSCATED = re.compile(
    r"(?<![\w.%+-])([\w.%+-]{1,64}) ?[\[(](?:at|@)[\])] ?"
    r"((?:[A-Za-z0-9-]{1,63}(?:\.| ?[\[(]dot[\])] ?)){1,8}[A-Za-z]{2,24})\b",
    re.I,
)
_DOT = re.compile(r" ?[\[(]dot[\])] ?", re.I)
_TAG_REMNANT = re.compile(r"</?(?:a|span|strong|em|b|i|p|div|br)\b[^<>\n]{0,500}>", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LONG_RUN = re.compile(r"\S{400}(?=\S)")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")


def _mailto_link(m: re.Match) -> str:
    address, label = m.group(1), (m.group(2) or "").strip()
    if m.group(2) is None:  # the link text is still to come, inside more markup
        return address + " "
    if not label or "@" in label or label.lower() in ("e-mail", "email", "mail", "here", "contact"):
        return address
    return f"{label} ({address})"


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    if "mailto:" in text.lower():
        text = _MAILTO_REMNANT.sub(_mailto_link, text)
    text = _OBFUSCATED.sub(lambda m: m.group(1) + "@" + _DOT.sub(".", m.group(2)), text)
    text = _TAG_REMNANT.sub("", text)
    if "&" in text and re.search(r"&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", text, re.I):
        text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    # spaCy's tokenizer is quadratic in the length of a run without spaces ("((((...", a
    # base64 blob: 20,000 characters take two minutes); no word or address is that long.
    return _LONG_RUN.sub(r"\g<0> ", text)


def join_wrapped(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines (text wrapped at a fixed width, as in PDF text layers and plain-text
    e-mails) back into paragraphs.

    The wrap width is read from the line lengths: a wrapped text has many lines near a common
    maximum that end in mid-sentence, whatever that width is (a PDF's 105 columns as much as an
    e-mail's 72). A text written one paragraph per line has no such cluster: its long lines end
    with a sentence, and then nothing is joined. Only a line near the width that ends without a
    sentence's punctuation takes the next one; short lines (headlines, datelines, contact lines,
    list items) stay as they are.
    """
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) >= 5:
        width = lengths[int(len(lengths) * 0.9)]
        threshold, ceiling, lower_only = max(30, int(width * 0.6)), int(width * 1.15) + 2, False
        if not _looks_wrapped(lines, threshold, ceiling):
            return lines
    else:  # too few lines to measure the width: join only where the next line plainly continues
        threshold, ceiling, lower_only = 40, 100, True
    # Each paragraph as its pieces, joined once at the end: re-joining and re-searching a growing
    # paragraph at every line is quadratic. ``prev`` is the paragraph's end (its last two pieces):
    # all the tests below need, or the whole paragraph where it has one piece (a headline's test).
    out: list[list[str]] = []
    last_len = 0  # length of the previous physical line, before any joining
    opens_block = False  # the previous physical line began a paragraph (after a short or blank line)
    for line in lines:
        prev = "".join(out[-1][-2:]) if out else ""
        # a title-case headline that wraps goes on in title case or ends on a short line
        headline = opens_block and _title_case(prev) and len(line) >= threshold and not _title_case(line)
        opens_block = last_len < threshold
        if (
            prev
            and line
            and not headline
            and threshold <= last_len <= ceiling
            and (not _SENTENCE_END.search(prev) or (_CLOSE_END.search(prev) and line[:1].islower()))
            and not line.startswith(("-", "*", "|", "•", "#"))
            and not _is_contact_line(line)
            and not (lower_only and not (line[:1].islower() or line[:1].isdigit()))
            # "12 JUNE 2023" under a headline is a line of its own, "2 June 2023." ends a paragraph
            and not (_is_date_line(line) and not _SENTENCE_END.search(line))
        ):
            joiner = "" if prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].islower() else " "
            out[-1].append(joiner + line)
        else:
            out.append([line])
        last_len = len(line)
    return ["".join(pieces) for pieces in out]


def _title_case(line: str) -> bool:
    """'Border Police Trained to Prevent and Prosecute Human Trafficking': a headline set in
    title case, which a wrapped paragraph's first line hardly ever is."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) >= 4]
    return (
        len(line.split()) >= 4
        and len(words) >= 3
        and line[:1].isupper()
        and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)
    )


_CLOSE_END = re.compile(r"[\"”’)]$")  # "(IOM)" or a closing quote may end a wrapped line mid-sentence


def _looks_wrapped(lines: list[str], threshold: int, ceiling: int) -> bool:
    """Whether lines near the common width mostly run on into the next line."""
    full = open_ = 0
    for i, line in enumerate(lines):
        if threshold <= len(line) <= ceiling:
            full += 1
            if i + 1 < len(lines) and lines[i + 1] and not _SENTENCE_END.search(line):
                open_ += 1
    return open_ >= 2 and open_ >= 0.3 * full


_CONTACT_LINE = re.compile(r"^(tel|phone|fax|e-?mail|mob|cell)\b", re.I)


def _is_contact_line(line: str) -> bool:
    return bool(_CONTACT_LINE.match(line))


# ---------------------------------------------------------------------------- page structure


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern]:
    vocab = load_shared("boilerplate.json", BOILERPLATE)
    keys = ("header_blocks", "drop_lines", "footer", "metadata_lines", "archive_markers")
    return {key: re.compile("|".join(f"(?:{p})" for p in vocab[key]), re.I) for key in keys}


def _is(kind: str, line: str) -> bool:
    return bool(_markers()[kind].search(line[:300]))


_LETTER = r"(?:[^\W\d_]|[.'’-])"  # any script's letters: "CHIȘINĂU", "Lomé"
_PLACE = rf"[A-ZÀ-ÖØ-Þ]{_LETTER}{{1,30}}(?: [A-ZÀ-ÖØ-Þ]{_LETTER}{{1,30}}){{0,3}}"
_DASH = r"[-–—]"
_DATELINE = re.compile(
    rf"^(?=[^\n]{{0,60}},)(?:\*\*)?(?P<place>{_PLACE}(?:,\s?{_PLACE}){{0,2}}),?\s(?:{_DASH}\s)?"
    rf"(?P<date>(?:\d|[A-Z][a-z]{{2}})[^\n]{{3,40}}?)"
    rf"(?:\*\*)?\s?(?:{_DASH}(?:\s|$)|$)"
)
_DATELINE_DATE_FIRST = re.compile(
    rf"^(?P<date>[^\n,]{{4,30}}),\s?(?P<place>{_PLACE}(?:,\s?{_PLACE}){{0,2}})$"
)
_DATELINE_NO_DATE = re.compile(rf"^(?:[A-Z][A-Z .'-]{{2,30}}|[A-Z][a-z]+(?: [A-Z][a-z]+)?) {_DASH} [A-Z]")
_NAV_SEPARATORS = re.compile(r"\s[|›»>/]\s|\s\|$")


def _dateline(line: str) -> tuple[bool, str | None]:
    """(is a dateline, the date's text) for a line such as 'Maseru, 14 March 2023 – ...'."""
    head = line[:160]
    if " | " in head:  # "Press Release | Local | 14 March 2023" is page furniture
        return False, None
    for pattern in (_DATELINE, _DATELINE_DATE_FIRST):
        m = pattern.match(head)
        if m and find_dates(m.group("date"), context_year=2000):
            return True, m.group("date")
    return bool(_DATELINE_NO_DATE.match(head) or _DATELINE_PLACE_COUNTRY.match(head)), None


# "NAIROBI, KENYA — Sixty-three agents ...", "PHNOM PENH, CAMBODIA – The ...": a capitalised
# place and its country, a dash, then the first sentence (no date on the line).
_CAPS_PLACE = r"[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{2,30}"
_DATELINE_PLACE_COUNTRY = re.compile(rf"^{_CAPS_PLACE}, {_CAPS_PLACE} {_DASH} \S")


def _standalone(line: str, date_text: str | None) -> bool:
    """A dateline holding nothing but its place and date ('Abidjan, 15/11/2023'): the headline
    may stand below it, just above the article's first paragraph."""
    if not date_text:
        return False
    rest = line.split(date_text, 1)[-1].strip(" *–—-")
    return not rest and len(line.split()) <= 8


# "Home › News › Press releases", "News & Events » 2023": a breadcrumb trail, not a headline.
_BREADCRUMB = re.compile(r"\s[›»>]\s")


def _is_nav(line: str) -> bool:
    words = line.split()
    return (
        len(_NAV_SEPARATORS.findall(line)) >= 2
        or bool(_BREADCRUMB.search(line))
        or (len(words) <= 4 and not _SENTENCE_END.search(line))
        or (line.startswith(("- ", "» ", "• ")) and len(words) <= 6)
        or line in ("-", "»", "|")
    )


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        3 <= len(words) <= 30
        and not line.endswith((".", ":", ";", ","))
        and not _is_nav(line)
        and not _is("metadata_lines", line)
        and not _is("drop_lines", line)
        and not _is("header_blocks", line)
        # "May 11, 2023 | Press Releases", "Published on 12/03/2022 by Staff Writer": the date
        and not _is_date_line(line)
    )


def _title_above(lines: list[str], index: int, floor: int) -> int | None:
    """The headline nearest above line ``index``: by-lines, date lines, bylines and other
    furniture between the two are passed over."""
    for i in range(index - 1, max(floor, index - 8) - 1, -1):
        line = lines[i]
        if not line or _is("metadata_lines", line) or _is("drop_lines", line) or _is_date_line(line):
            continue
        if _is_headline(line):
            return i
        if len(line.split()) > 30 or _is("header_blocks", line) or _is("footer", line):
            return None
    return None


def _is_furniture(line: str) -> bool:
    return (
        _is_nav(line)
        or _is("header_blocks", line)
        or _is("drop_lines", line)
        or _is("metadata_lines", line)
        or _is("archive_markers", line)
    )


def _is_prose(line: str) -> bool:
    """A paragraph of the article: a dozen words or more that end a sentence (a long headline
    ends without punctuation: "Recruiters, officials go back to class as complaints pile up")."""
    words = len(line.split())
    return words >= 12 and (bool(_SENTENCE_END.search(line)) or words > 30 or not _is_headline(line))


def _first_prose(lines: list[str], start: int, stop: int) -> int | None:
    for i in range(start, min(stop, len(lines))):
        line = lines[i]
        if line and not _is_furniture(line) and _is_prose(line):
            return i
    return None


def _first_body_line(lines: list[str]) -> tuple[int | None, int]:
    """Without a dateline: skip the header zone; return (title index, body start). The body is
    the first paragraph of prose, the title the headline nearest above it."""
    prose = _first_prose(lines, 0, len(lines))
    if prose is not None:
        t = _title_above(lines, prose, 0)
        if t is None:
            return t, prose
        d = _nonempty_above(lines, t, 0)
        if d is None or not _is_date_line(lines[d]):
            return t, t + 1
        # a date line right above the line taken for the headline is the article's own date: it
        # stays in the body; and a headline above that date line is the title, the line below it a
        # photo caption or a standfirst ("May 3, 2024 4 min read" between headline and caption)
        u = _nonempty_above(lines, d, 0)
        if u is not None and _is_headline(lines[u]) and not _is_furniture(lines[u]):
            return u, d
        return t, d
    for i, line in enumerate(lines):
        if not line or _is_furniture(line):
            continue
        if len(line.split()) >= 12:
            return None, i
    return None, 0


def _nonempty_above(lines: list[str], index: int, floor: int) -> int | None:
    """The nearest non-empty line above ``index`` (blank lines passed over, at most three)."""
    for i in range(index - 1, max(floor, index - 4) - 1, -1):
        if lines[i]:
            return i
    return None


def _footer_finder(lines: list[str]) -> Callable[[int], int]:
    """``footer_start(start)``: the first footer line ("Related news", "Who we are", "© 2023 ...")
    after some of the article's text from ``start`` on (a menu between the headline and the first
    paragraph ends nothing). The lines are read once for every start: a scan to the page's end per
    article was quadratic on archive pages of thousands of datelines."""
    texts: list[int] = []  # lines of a dozen words or more
    footers: list[int] = []
    for i, line in enumerate(lines):
        if not line or _is("drop_lines", line):  # a photo credit "© UNICEF/2023/Name" is no footer
            continue
        if _is("footer", line):
            footers.append(i)
        if len(line.split()) >= 12:
            texts.append(i)

    def footer_start(start: int) -> int:
        k = bisect.bisect_left(texts, start)
        if k == len(texts):
            return len(lines)
        f = bisect.bisect_right(footers, texts[k])  # a footer after the first text line
        return footers[f] if f < len(footers) else len(lines)

    return footer_start


# A publisher's address: a post box, a street, a floor.
_POSTAL = re.compile(
    r"\b(?:P\.? ?O\.? Box|B\.?P\.? \d|Private Bag|Postal|Caixa Postal|Casilla"
    r"|\d{1,5},? (?:[A-Z][\w'’-]+ ){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Blvd|Boulevard|Drive|Lane|Way)\b"
    r"|(?:Av|Avenida|Rue|Calle|Rua)\.? [A-Z\d]|\d+(?:st|nd|rd|th) Floor)",
)
_REACH = re.compile(r"@|\b(?:tel|phone|fax|t|p)\b\.?\s?:|\+\d{2,3}[\s\d()-]{6,}|\s[|·•]\s", re.I)


def _is_address_line(line: str) -> bool:
    return len(line.split()) <= 40 and bool(_POSTAL.search(line)) and bool(_REACH.search(line))


def _publisher_address_start(lines: list[str], begin: int, end: int) -> int:
    """The publisher's address, telephone and e-mail at the foot of the page ("Hope Shelter, P.O.
    Box 12, Mombasa. Tel: ... Email: ...") right after the last paragraph is the site's footer, not
    the article's press contact (which stands under "For more information:" or a contact's name)."""
    i = end
    while i > begin and (
        not lines[i - 1] or _is_address_line(lines[i - 1]) or _is("drop_lines", lines[i - 1])
    ):
        i -= 1
    if i == end or not any(_is_address_line(line) for line in lines[i:end] if line):
        return end
    above = lines[i - 1] if i > begin else ""
    return i if _is_prose(above) and _SENTENCE_END.search(above) and not above.endswith(":") else end


def split_articles(
    text: str,
    source: str,
    title: str | None = None,
    published: str | None = None,
    headline: bool = False,
) -> list[Article]:
    """A document's text -> its articles. ``title`` is the one the format carries; with
    ``headline`` it is the page's own headline (<h1>, front matter) and beats any line's guess."""
    lines = join_wrapped(clean_text(text).split("\n"))
    datelines = []
    for i, line in enumerate(lines):
        if not line:
            continue
        is_dateline, date_text = _dateline(line)
        if is_dateline:
            datelines.append((i, date_text))
    archive = any(_is("archive_markers", line) for line in lines[:40] if line)
    context_year = None
    for line in lines[:40]:
        if line and _is("archive_markers", line):
            years = re.findall(r"\b(?:19|20)\d\d\b", line)
            context_year = int(years[0]) if years else None

    # Article starts: the headline above each dated dateline (several only on archive-like pages).
    if any(d for _, d in datelines):
        datelines = [(i, d) for i, d in datelines if d]
    footer_start = _footer_finder(lines)
    if datelines:
        limit = footer_start(datelines[0][0])
        datelines = [(i, d) for i, d in datelines if i < limit]
    starts: list[tuple[int | None, int, str | None]] = []  # (title index, dateline index, date)
    floor = 0
    several = archive or sum(1 for _, d in datelines if d) >= 2
    for i, date_text in datelines:
        t = None
        if _standalone(lines[i], date_text):  # "Abidjan, 15/11/2023" above the headline
            prose = _first_prose(lines, i + 1, i + 10)
            t = _title_above(lines, prose, i + 1) if prose is not None else None
        t = t if t is not None else _title_above(lines, i, floor)
        if starts and t is None:
            continue
        starts.append((t, i, date_text))
        floor = max(i, t if t is not None else i) + 1
        if not several:
            break
    if len([s for s in starts if s[2]]) < 2:
        starts = starts[:1]

    if not starts:
        t, body = _first_body_line(lines)
        starts = [(t, body, None)]

    if headline and title and len(starts) == 1:
        t, d, date_text = starts[0]
        j = _line_of(lines, title, max(d, t or 0) + 10)
        if j is not None and j != d:
            starts[0] = (j, d, date_text)

    articles = []
    for n, (t, d, date_text) in enumerate(starts):
        if t is not None and t > d:  # the headline below a dateline of its own: both kept, once
            begin = d
        else:
            begin = t + 1 if t is not None else _date_line_above(lines, d, starts[n - 1][1] + 1 if n else 0)
        next_begin = len(lines)
        if n + 1 < len(starts):
            nt, nd, _ = starts[n + 1]
            next_begin = min(nt, nd) if nt is not None else nd
        end = footer_start(begin)
        end = _publisher_address_start(lines, begin, min(end, next_begin))
        # furniture goes, but a line giving the article's date ("Press release · 8 June 2023") stays
        body = [
            line
            for i, line in enumerate(lines[begin:end], begin)
            if i != t and (not _is("drop_lines", line) or _is_date_line(line))
        ]
        heading = lines[t] if t is not None else None
        if len(starts) == 1 and title and (headline or not heading):
            heading = title
        art_published = None
        if date_text:
            dated = find_dates(date_text, context_year=context_year or _year_near(lines, d))
            # a dateline range ("8-11 November 2021") is published on its last day
            art_published = dated[0].end if dated and len(dated[0].end) == 10 else None
        if not art_published:
            art_published = _metadata_date(body) or (published if len(starts) == 1 else None)
        if not art_published and len(starts) == 1:
            art_published = _metadata_date([line for line in lines[:begin] if line])
        parts = ([heading] if heading else []) + ["\n".join(body).strip()]
        article_text = re.sub(r"\n{3,}", "\n\n", "\n\n".join(p for p in parts if p)).strip()
        articles.append(
            Article(
                source=source,
                text=article_text,
                title=heading,
                published=art_published,
                index=n + 1 if len(starts) > 1 else None,
                context_year=(int(art_published[:4]) if art_published else context_year),
            )
        )
    return articles


def _line_of(lines: list[str], title: str, stop: int) -> int | None:
    """Where the headline stands among the first lines, if it does."""
    wanted = " ".join(title.split()).casefold()
    for i, line in enumerate(lines[:stop]):
        if line and line.casefold() == wanted:
            return i
    return None


def _date_line_above(lines: list[str], index: int, floor: int) -> int:
    """The article's date line ("Press release · 8 June 2023") just above an untitled body
    belongs to the article: its index, else ``index``."""
    for i in range(index - 1, max(floor, index - 4) - 1, -1):
        if lines[i]:
            return i if _is_date_line(lines[i]) else index
    return index


def _year_near(lines: list[str], index: int) -> int | None:
    for line in lines[index : index + 30]:
        m = re.search(r"\b(?:19[5-9]\d|20\d\d)\b", line)
        if m:
            return int(m.group())
    return None


_DATE_CUE = re.compile(r"^(?:published|updated|posted|dated?|issued|released)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{2,40}")


@lru_cache(maxsize=1024)  # asked of each line for every dateline within eight lines below it
def _is_date_line(line: str) -> bool:
    """A short line that is mostly a full date: 'Press release · 8 June 2023', '12 JUNE 2023',
    'Published on 14.03.2024, 11:20' (a related-article link carries a whole headline)."""
    if not line or len(line) > 100:
        return False
    found = first_date(line)
    if not found or len(found.start) != 10:
        return False
    rest = line[: found.start_char] + " " + line[found.end_char :]
    return len(_WORD.findall(rest)) <= 4 or bool(_DATE_CUE.match(line))


def _metadata_date(lines: list[str]) -> str | None:
    for line in lines[:12]:
        if (
            _is("metadata_lines", line)
            or _NAV_SEPARATORS.search(line)
            or _is("drop_lines", line)
            or _DATE_CUE.match(line)
            or _is_date_line(line)
        ):
            found = first_date(line)
            if found and len(found.start) == 10:
                return found.start
    return None


def prepare(raw: str, source: str) -> list[Article]:
    """Document text (plain, HTML or Markdown) -> cleaned articles."""
    return articles(text_to_text(raw, source), source)


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str | None) -> str | None:
    """Text without lone surrogates (a PDF's broken ToUnicode map gives them; no encoder takes
    them, spaCy's UTF-8 hashing included): a surrogate pair becomes its character, a lone one U+FFFD."""
    if not text or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def articles(converted: Converted, source: str) -> list[Article]:
    """A converted file -> cleaned articles, each with the warnings reading it raised."""
    text, title, published = map(valid_unicode, (converted.text, converted.title, converted.published))
    if not text or not text.strip():
        raise InputError("no text")
    articles = split_articles(text, source, title, published, headline=converted.headline)
    for article in articles:
        article.warnings.extend(converted.warnings)
    return articles
