"""Builders for the binary documents the tests feed tipx: real PDF, DOCX and zip files made on the fly."""

from __future__ import annotations

import io
import zipfile


def pdf_bytes(
    pages: list[list[str]], title: str | None = None, to_unicode: dict[str, str] | None = None
) -> bytes:
    """A valid PDF whose pages carry the given lines as a text layer (an empty page list item = no text).
    ``to_unicode`` gives the font a ToUnicode map: a character -> the UTF-16 code units (hex) it reads as."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = b""
    if to_unicode:
        chars = b"".join(b"<%02X> <%s>\n" % (ord(c), u.encode()) for c, u in to_unicode.items())
        stream = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom def "
            b"/CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"%d beginbfchar\n%sendbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
        ) % (len(to_unicode), chars)
        cmap = b" /ToUnicode %d 0 R" % add(
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        )
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica%s >>" % cmap)
    page_ids = []
    pages_id = len(objects) + 2 * len(pages) + 1
    for lines in pages:
        ops = [b"BT /F1 11 Tf 14 TL 72 760 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops) if lines else b""
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
            )
        )
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title (%s) >>" % title.encode("latin-1")) if title else None
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    trailer += b" /Info %d 0 R >>" % info if info else b" >>"
    out.write(b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def docx_bytes(
    paragraphs: list[str], table: list[list[str]] | None = None, mailto: str | None = None
) -> bytes:
    """A Word document made with python-docx; ``mailto`` adds a paragraph with a mailto hyperlink."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    if mailto:
        paragraph = document.add_paragraph("For more information, contact ")
        rel = paragraph.part.relate_to(f"mailto:{mailto}", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "our media officer"
        run.append(text)
        link.append(run)
        paragraph._p.append(link)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx(megabytes: int) -> bytes:
    """A small zip that looks like a DOCX and inflates to ``megabytes`` of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()
