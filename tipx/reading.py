"""What a file is and the text in it: PDF, DOCX, HTML, Markdown and plain text in any common encoding.

``convert(data, name)`` turns a file's bytes into a ``Converted`` (text plus the title and
publication date the format carries); ``cleaning`` then turns that text into articles.
The heavy libraries (pypdf, python-docx, trafilatura, charset-normalizer) are imported only
when a file needs them, so ``tipx --help`` and plain-text runs never pay for them.
"""

from __future__ import annotations

import codecs
import errno
import io
import logging
import os
import re
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .resources import Spec, load_shared

# What input cleaning knows of page furniture (boilerplate.json); reading uses the HTML keys.
BOILERPLATE = Spec(
    keys={
        "header_blocks": list,
        "drop_lines": list,
        "footer": list,
        "metadata_lines": list,
        "archive_markers": list,
        "html_skip_tags": list,
        "html_skip_attr": str,
    }
)

# Every suffix `summarize` picks up in a folder (other files are still read when named).
DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx")

# A DOCX is a zip: refuse archives that would inflate beyond these (zip bombs). Real documents
# stay far below: text XML compresses about 10x and embedded images hardly at all.
MAX_UNZIPPED_BYTES = 200 * 2**20
MAX_ZIP_RATIO = 100  # checked from 20 MiB up
MAX_ZIP_ENTRIES = 5000

# What is read of one file at most (--max-bytes): a long report in PDF is a few MB; a file
# of gigabytes is a mistake (a disk image, a log) and must not exhaust memory.
MAX_BYTES = 50 * 10**6

# Third-party parsers log recoverable problems; tipx reports failures itself, on one line.
for _noisy in ("pypdf", "trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_noisy).setLevel(logging.CRITICAL + 1)


class InputError(Exception):
    """A document that cannot be read; the message is one line naming the reason."""


@dataclass
class Converted:
    text: str
    title: str | None = None
    published: str | None = None
    warnings: list[str] = field(default_factory=list)
    headline: bool = False  # the title is the document's own headline (<h1>, og:title, front matter)


# ---------------------------------------------------------------------------- sniffing

# Magic numbers of binary formats people rename to .txt by mistake.
_BINARY_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xd0\xcf\x11\xe0", "legacy Office file (.doc/.xls); save it as DOCX or PDF"),
)


def sniff(data: bytes, name: str) -> str:
    """'pdf', 'docx' or 'text' (text includes HTML and Markdown); InputError for other binaries."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if Path(name).suffix.lower() == ".docx" or b"word/" in data[:65536]:
            return "docx"
        raise InputError("binary file (ZIP archive), not a document")
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise InputError("binary file (WebP image), not text")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic) and not (magic == b"MZ" and data[:200].isascii() and b"\x00" not in head):
            raise InputError(f"binary file ({what}), not text")
    return "text"


def convert(data: bytes, name: str) -> Converted:
    """A file's bytes -> its text, whatever the format; InputError on what cannot be read."""
    kind = sniff(data, name)
    if kind != "text":
        return {"pdf": pdf_to_text, "docx": docx_to_text}[kind](data)
    text, warnings = decode(data)
    converted = text_to_text(text, name)
    converted.warnings[:0] = warnings
    return converted


def text_to_text(text: str, name: str) -> Converted:
    """Decoded text that may be HTML or Markdown -> plain text."""
    converter = {"html": html_to_text, "markdown": markdown_to_text}.get(kind_of(name, text), Converted)
    return converter(text)


def kind_of(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = text[:1000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return "html"
    if head.startswith("<") and "<body" in text[:5000].lower():  # a page saved without its doctype
        return "html"
    if suffix not in DOCUMENT_SUFFIXES:  # standard input, a file without a known suffix
        if _looks_like_html_fragment(text[:5000]):
            return "html"
        if _looks_like_markdown(text[:5000]):
            return "markdown"
    return "text"


_MD_HEADING = re.compile(r"^#{1,6} \S", re.M)
_MD_MARKS = re.compile(r"\*\*\S|\]\((?:https?:|mailto:|/)|^[-*] \S", re.M)
# Tags of an article's markup; an address in angle brackets (<nmushi@iom.int>) is not one.
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|b|i|em|strong|br|hr|h[1-6]|ul|ol|li|table|tr|td|th|article|section|"
    r"header|footer|main|nav|blockquote|figure|img|head|body|title|meta)(?:\s[^<>]*)?/?>",
    re.I,
)


def _looks_like_markdown(head: str) -> bool:
    """Front matter, a heading on the first line, or a heading and other marks (bold, links,
    bullets)."""
    return (
        head.startswith("---\n")
        or bool(_MD_HEADING.match(head.lstrip()))
        or (bool(_MD_HEADING.search(head)) and len(_MD_MARKS.findall(head)) >= 2)
    )


def _looks_like_html_fragment(head: str) -> bool:
    """Markup without a page around it (<h1>...</h1><p>...</p>): it opens with a tag and has a
    closing one."""
    first = _HTML_TAG.match(head.lstrip())
    return first is not None and any(m.group().startswith("</") for m in _HTML_TAG.finditer(head))


# ---------------------------------------------------------------------------- encodings

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> text: BOMs first, UTF-16 without a BOM, UTF-8, then charset-normalizer's best guess."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return _printable(data.decode(codec)), []
            except UnicodeDecodeError as exc:
                raise InputError(f"undecodable bytes: invalid {codec.upper()} at byte {exc.start}") from exc
    if b"\x00" in data[:8192]:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise InputError("binary file (NUL bytes), not text")
        warning = f"no byte-order mark; decoded as {codec.upper()}"
        return _printable(data.decode(codec, errors="replace")), [warning]
    try:
        return _printable(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("undecodable bytes: not text in any known encoding")
    # Short Western texts decode cleanly in many code pages and charset-normalizer's first pick
    # is then often cp1250 or a Cyrillic one ("Ministère" -> "Ministčre"). These documents are
    # mostly in English, French, Spanish and Portuguese, so among the near-equal candidates the
    # Western code pages win; a real Cyrillic or Greek text makes them chaotic and they drop out.
    for encoding in _WESTERN:
        for match in matches:
            if encoding in match.could_be_from_charset and match.chaos <= best.chaos + 0.05:
                return _printable(data.decode(encoding)), [f"not UTF-8; decoded as {encoding}"]
    return _printable(str(best)), [f"not UTF-8; decoded as {best.encoding}"]


_WESTERN = ("cp1252", "latin_1", "iso8859_15", "mac_roman")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one side of mostly-ASCII code units."""
    sample = data[: 8192 - (len(data[:8192]) % 2)]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) > 0.7 * len(zeros) and other.count(0) < 0.05 * len(other):
            return codec
    return None


def _printable(text: str) -> str:
    # Stray control characters (a NUL deep in a text file) carry nothing and upset terminals.
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


# ---------------------------------------------------------------------------- PDF

_HYPHENATED = re.compile(r"(\w)-\n(?=[a-z])")


def pdf_to_text(data: bytes) -> Converted:
    """The text layer of a PDF, page after page; a scanned PDF (no text layer) is refused."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("encrypted PDF: needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title")
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise InputError(f"corrupt PDF: {_reason(exc)}") from exc
    text = join_pages(pages)
    if not text.strip():
        raise InputError("PDF has no text layer (scanned?): run OCR first, e.g. ocrmypdf")
    title = str(title).strip() if title else None
    if title and re.search(r"\.(docx?|pdf|indd)$|^(untitled|microsoft word)", title, re.I):
        title = None  # the authoring tool's file name, not the document's title
    return Converted(_HYPHENATED.sub(r"\1-", text), title=title)


_ADDRESS = re.compile(r"[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}")


def _addresses(text: str) -> set[str]:
    """The e-mail addresses a text shows, lower-cased: a mailto link's address is looked up
    here (a search of the whole text for each link was quadratic on pages of many links)."""
    return {m.group().lower() for m in _ADDRESS.finditer(text)}


def join_pages(pages: list[str]) -> str:
    """Pages' texts in one: a sentence running on to the next page is joined like a wrapped
    line, else a page starts a paragraph. Only the end of the text so far is looked at (a
    search of all of it at every page was quadratic in the number of pages)."""
    parts: list[str] = []
    end = ""  # the text so far's last character; "" while there is no text
    for page in (page.strip() for page in pages):
        if end:
            continues = page and end not in '.!?:"”' and page[:1].islower()
            parts.append("\n" if continues else "\n\n")
        parts.append(page)
        end = page[-1:] or (end and "\n")
    return "".join(parts)


def _reason(exc: Exception) -> str:
    message = " ".join(str(exc).split())[:160]
    return message or type(exc).__name__


# ---------------------------------------------------------------------------- DOCX


def docx_to_text(data: bytes) -> Converted:
    """Paragraphs and tables of a Word document in reading order, mailto links kept."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"corrupt DOCX: {_reason(exc)}") from exc
    # Declared sizes bound what zipfile inflates (it stops at the declared size and fails the CRC).
    unzipped = sum(entry.file_size for entry in entries)
    ratio = unzipped / max(len(data), 1)
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or unzipped > MAX_UNZIPPED_BYTES
        or (unzipped > 20 * 2**20 and ratio > MAX_ZIP_RATIO)
    ):
        raise InputError(
            f"refused: a {len(data) / 2**20:.1f} MiB DOCX would unpack to {unzipped / 2**20:.0f} MiB "
            f"in {len(entries)} parts ({ratio:.0f}x); a zip bomb?"
        )
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        lines = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = [_cell_text(cell) for cell in row.cells]
                    lines.append(" | ".join(dict.fromkeys(c for c in cells if c)))  # merged cells repeat
                lines.append("")
                continue
            lines.append(_paragraph_text(block))
        title = document.core_properties.title or None
    except Exception as exc:  # python-docx and lxml raise many types on damaged files
        raise InputError(f"corrupt DOCX: {_reason(exc)}") from exc
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("DOCX has no text")
    return Converted(text, title=title)


def _paragraph_text(paragraph) -> str:
    """A Word paragraph's text, with the address of a mailto link whose text does not show it."""
    text, known = paragraph.text, _addresses(paragraph.text)
    for link in paragraph.hyperlinks:
        address = link.address or ""
        if address.lower().startswith("mailto:"):
            address = address[7:].split("?")[0]
            if address.lower() not in known:
                known.add(address.lower())
                text += f" <{address}>"
    return text


def _cell_text(cell) -> str:
    """Every paragraph in a table cell, those of tables nested in it at any depth included
    (``cell.text`` has only the cell's own): read in document order without recursion, so
    no nesting depth can exhaust the stack (lxml refuses XML nested past 256 levels anyway)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    paragraphs = (_paragraph_text(Paragraph(p, cell)) for p in cell._tc.iter(qn("w:p")))
    return " ".join(" ".join(paragraphs).split())


# ---------------------------------------------------------------------------- HTML

_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "main",
    "figure",
    "figcaption",
}
_VOID = {"br", "img", "meta", "link", "hr", "input", "area", "base", "col", "embed", "source", "wbr"}


class _TextExtractor(HTMLParser):
    """Visible article text from HTML; page furniture (nav, footer, sidebars) is skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        vocab = load_shared("boilerplate.json", BOILERPLATE)
        self.skip_tags = set(vocab["html_skip_tags"])
        self.skip_attr = re.compile(vocab["html_skip_attr"], re.I)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: does it start a skipped region?
        self.skipping = 0
        # texts gathered piece by piece (growing a string at every piece is quadratic), joined once
        self.title: list[str] = []
        self.h1: list[str] = []
        self.h1_skipped: list[str] = []  # an <h1> in a skipped region: site name, header's headline
        self.og_title = ""
        self.published = ""
        self._in_title = self._in_h1 = False
        self.article_depth = 0  # open <article>/<main> elements: their own <header> is the headline's
        # per open list: [parts index, items, link chars and all chars before it]; what a list
        # holds is the running totals at its end less those at its start (updating every open
        # list at each piece of text was quadratic in the nesting depth)
        self._lists: list[list[int]] = []
        self._linked_chars = self._all_chars = 0
        self._in_link = 0  # open links (not mailto: or tel:) around the current text
        self._link_counted: list[bool] = []
        self._opened_article: list[bool] = []
        self._mailto: list[str | None] = []
        self._anchor_text: list[list[str]] = []
        self.mailto_seen: list[str] = []

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # "<![CDATA[", "<![if ...]>": in HTML a bogus comment up to the next ">" (HTML5). The
        # stdlib's SGML version fails on "<![ " (AssertionError) and rescans to the end for "]]>".
        return self.parse_bogus_comment(i, report)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = (attrs.get("name") or attrs.get("property") or "").lower()
            if key in ("date", "article:published_time", "dc.date", "pubdate") and attrs.get("content"):
                self.published = self.published or attrs["content"]
            if key == "og:title" and attrs.get("content"):
                self.og_title = self.og_title or attrs["content"]
            return
        if tag in _VOID:
            if tag in ("br", "hr") and not self.skipping:
                self.parts.append("\n")
            return
        marker = " ".join(filter(None, (attrs.get("id"), attrs.get("class"), attrs.get("role"))))
        if self.article_depth and (tag == "header" or "header" in marker.lower()):
            # <article><header class="entry-header"><h1>...: the article's own headline and date
            marker = re.sub(r"header", "", marker, flags=re.I)
            skip = bool(marker and self.skip_attr.search(marker))
        else:
            skip = tag in self.skip_tags or bool(marker and self.skip_attr.search(marker))
        opens_article = tag in ("article", "main") and not self.skipping and not skip
        self.article_depth += opens_article
        self.stack.append(skip)
        self._opened_article.append(opens_article)
        self.skipping += skip
        if not self.skipping:
            if tag in ("ul", "ol"):
                self._lists.append([len(self.parts), 0, self._linked_chars, self._all_chars])
            elif tag == "li" and self._lists:
                self._lists[-1][1] += 1
        if tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag == "a":
            href = attrs.get("href") or ""
            self._mailto.append(href[7:].split("?")[0] if href.lower().startswith("mailto:") else None)
            self._anchor_text.append([])
            counted = not href.lower().startswith(("mailto:", "tel:"))
            self._link_counted.append(counted)
            self._in_link += counted
        if tag in _BLOCK and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag in ("ul", "ol") and self._lists and not self.skipping:
            start, items, linked, total = self._lists.pop()
            linked, total = self._linked_chars - linked, self._all_chars - total
            # a list of links ("Other news", a menu without its class): site furniture
            if items >= 2 and total and linked >= 0.7 * total:
                del self.parts[start:]
        if tag == "a" and self._mailto:
            self._in_link -= self._link_counted.pop()
            address, text = self._mailto.pop(), "".join(self._anchor_text.pop())
            if address and not self.skipping:
                self.mailto_seen.append(address)
                if address.lower() not in text.lower():
                    self.parts.append(f" <{address}>")
        if tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if self.stack:
            self.skipping -= self.stack.pop()
            self.article_depth -= self._opened_article.pop()
        if tag in _BLOCK and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
            return
        if self.skipping:
            if self._in_h1:
                self.h1_skipped.append(data)
            return
        if self._in_h1:
            self.h1.append(data)
        if self._anchor_text:
            self._anchor_text[-1].append(data)
        size = len(data.strip())
        self._all_chars += size
        self._linked_chars += size if self._in_link else 0
        self.parts.append(data)


def html_to_text(markup: str) -> Converted:
    """The article in an HTML page: trafilatura's main content, our own parser as the fallback.

    trafilatura is built for one article per page; where it keeps less than a third of what our
    furniture-skipping parser sees (an archive page, a layout it does not know) or fails on the
    markup, our parser's text is used. Addresses from mailto links that trafilatura dropped
    with a contact box are added back, since every address in the document counts.
    """
    own = own_html_to_text(markup)
    main = _trafilatura(markup)
    if main is None or len(main.text.strip()) < len(own.text.strip()) / 3:
        return own
    main.text = _restore_date_line(main.text, own.text)
    known = _addresses(main.text)
    missing = [a for a in own.mailto if a.lower() not in known]
    if missing:
        main.text += "\n\nContact: " + ", ".join(dict.fromkeys(missing))
    if own.headline:
        main.title, main.headline = own.title, True
    main.title = main.title or own.title
    main.published = own.published or main.published
    return main


def _restore_date_line(main: str, own: str) -> str:
    """trafilatura drops a page's date line ("Press release · 8 June 2023") with the furniture
    around it, but the date is the article's own: put back a short dated line that stands, in
    our parser's text, just above the first paragraph trafilatura kept."""
    from .datetext import first_date

    # the first paragraph (a headline has no full stop at its end)
    first = next(
        (ln for ln in main.splitlines() if len(ln) >= 60 and ln.rstrip().endswith((".", '"', "”"))), None
    )
    if first is None:
        return main
    own = own.replace("\u00a0", " ")
    at = own.find(first[:60])
    if at <= 0:
        return main
    for line in reversed(own[:at].splitlines()[-3:]):
        line = line.strip()
        if line and len(line) < 80 and line not in main and first_date(line) is not None:
            cut = main.find(first)
            return main[:cut] + line + "\n\n" + main[cut:]
    return main


def _trafilatura(markup: str) -> Converted | None:
    try:
        import trafilatura

        extracted = trafilatura.extract(
            markup,
            output_format="markdown",
            with_metadata=True,
            include_links=True,
            include_tables=True,
            include_comments=False,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # lxml refuses some markup (too deep, too broken): our parser copes
        return None
    return markdown_to_text(extracted) if extracted and extracted.strip() else None


@dataclass
class _OwnHtml(Converted):
    mailto: list[str] = field(default_factory=list)


def own_html_to_text(markup: str) -> _OwnHtml:
    """Our stdlib parser: visible text with page furniture skipped; never fails on malformed markup."""
    parser = _TextExtractor()
    parser.feed(markup)
    # What feed() leaves is an unterminated tag, comment or declaration: it runs to the end of
    # the page, as in browsers (HTML5) and Python 3.13's parser. Older parsers retry it as text
    # at every later "<", which is quadratic ("<a " repeated 33,000 times took 70 s).
    if len(parser.rawdata) > 1 and parser.rawdata.startswith("<"):
        parser.rawdata = ""
    parser.close()
    text = "".join(parser.parts)
    h1, h1_skipped, page_title = ("".join(parts) for parts in (parser.h1, parser.h1_skipped, parser.title))
    headline = " ".join((h1 or parser.og_title or h1_skipped).split())
    title = headline or " ".join(page_title.split(" | ")[0].split()) or None
    published = parser.published[:10] if parser.published else None
    return _OwnHtml(
        text, title=title, published=published, mailto=parser.mailto_seen, headline=bool(headline)
    )


# ---------------------------------------------------------------------------- Markdown

_FRONT_MATTER = re.compile(r"\A---\s*\n(.{0,4000}?)\n---\s*\n", re.S)
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\(([^)\s]{0,2000})\)")
_MD_AUTOLINK = re.compile(r"<((?:mailto:)?[^<>\s@]{1,64}@[^<>\s]{1,255}|https?://[^<>\s]{1,2000})>")
# '*' may emphasise inside a word; '_' only at its edges (CommonMark), so snake_case and
# first_last@example.org keep their underscores.
_MD_EMPHASIS = re.compile(
    r"(\*\*|\*)(?=\S)([^*\n]{1,500}?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)([^_\n]{1,500}?)(?<=\S)\3(?!\w)"
)
# No two \s* side by side: on a long line of spaces that is quadratic.
_MD_TABLE_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")


def _link_text(match: re.Match) -> str:
    """A link's text; a mailto link keeps its address (the text is often just a name)."""
    text, href = match.group(1), match.group(2)
    if href.lower().startswith("mailto:"):
        address = href[7:].split("?")[0]
        if address.lower() not in text.lower():
            return f"{text} <{address}>"
    return text


def markdown_to_text(text: str) -> Converted:
    title = published = None
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            value = value.strip().strip("\"'")
            if key.strip() == "title":
                title = value
            elif key.strip() == "date":
                published = value[:10]
        text = text[front.end() :]
    lines = []
    for line in text.splitlines():
        if _MD_TABLE_RULE.match(line):
            continue
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            line = " | ".join(c for c in cells if c)
        heading = re.match(r"^\s{0,3}(#{1,6})\s+", line)
        if heading:
            line = line[heading.end() :].rstrip("# \t")
            if title is None and len(heading.group(1)) == 1 and line.strip():
                title = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(4), line.strip())  # the first h1
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        if re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            line = ""
        line = _MD_LINK.sub(_link_text, line)
        line = _MD_AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), line)
        line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(4), line)
        lines.append(line)
    return Converted("\n".join(lines), title=title, published=published, headline=bool(title))


# ---------------------------------------------------------------------------- files


def _missing(p: Path) -> str:
    if not p.is_symlink():
        return "no such file"
    try:
        p.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


class StdinName(str):
    """Standard input under a name (``--name``, else "-"): the records' source, and its suffix
    picks the parser (update.md, page.html). ``data``, when set, holds its bytes, read before
    the work went to other processes (whose standard input is /dev/null)."""

    data: bytes | None = None


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> InputError:
    what = next((name for test, name in _NOT_REGULAR if test(mode)), None)
    return InputError("not a regular file" + (f" ({what})" if what else ""))


def megabytes(size: int) -> str:
    """'212 MB', '1.5 MB', '800 kB' (decimal units, as --max-bytes takes them)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def _too_large(size: int | None, limit: int) -> InputError:
    if size is None:  # standard input: only that it went past the limit is known
        return InputError(f"too large: more than {megabytes(limit)} (--max-bytes)")
    shown = megabytes(size), megabytes(limit)
    if shown[0] == shown[1]:  # 50.2 MB against 50 MB
        shown = f"{size:,} bytes", f"{limit:,} bytes"
    return InputError(f"too large: {shown[0]} > {shown[1]} (--max-bytes)")


def parse_size(text: str) -> int:
    """'50MB', '50M', '1.5G', '800k', '1000000' -> bytes (decimal units); 0 for no limit."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)b?\s*", text, re.I)
    if not m:
        raise ValueError(f"not a size: {text!r} (e.g. 50MB, 800kB, 1G; 0 for no limit)")
    scale = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]
    return int(float(m.group(1)) * scale)


def read_stdin(max_bytes: int | None) -> bytes:
    """Standard input, at most one byte past ``max_bytes`` (None or 0: all of it): enough to
    know it is too large without reading an endless stream."""
    return sys.stdin.buffer.read(max_bytes + 1) if max_bytes else sys.stdin.buffer.read()


def read_bytes(path: str, max_bytes: int | None = MAX_BYTES) -> bytes:
    """A file's bytes ('-' for standard input); InputError naming why it cannot be read.

    Only regular files are read: a named pipe would block forever and /dev/zero never ends.
    At most ``max_bytes`` are read (None or 0: no limit)."""
    if path == "-" or isinstance(path, StdinName):
        # read by the parent already (--jobs), else here
        data = path.data if isinstance(path, StdinName) and path.data is not None else read_stdin(max_bytes)
        if max_bytes and len(data) > max_bytes:
            raise _too_large(None, max_bytes)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(_missing(p))
        if p.is_dir():
            raise InputError("is a directory")
        try:
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):  # checked before opening: a socket cannot even be opened
                raise _not_regular(mode)
            # O_NONBLOCK: a file swapped for a named pipe after the check must not block the open;
            # what was opened is checked again.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with open(fd, "rb") as file:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    raise _not_regular(info.st_mode)
                if max_bytes and info.st_size > max_bytes:
                    raise _too_large(info.st_size, max_bytes)
                data = file.read(max_bytes + 1) if max_bytes else file.read()
            if max_bytes and len(data) > max_bytes:  # the file grew while it was read
                raise _too_large(None, max_bytes)
        except PermissionError as exc:
            raise InputError("permission denied") from exc
        except OSError as exc:  # a symlink loop, a device that fails, ...
            raise InputError(exc.strerror or str(exc)) from exc
    if not data.strip():
        raise InputError("empty file")
    return data
