"""Documents for the import tests and the hostile corpus, built in the test (no binary committed)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str | None, *, encrypt: bool = False) -> bytes:
    """A one-page PDF with ``text`` in its text layer (None: a blank page, like a scan without OCR)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if text is not None:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        lines = " ".join(f"({line}) Tj 0 -14 Td" for line in text.split("\n"))
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td {lines} ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if encrypt:
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (80 * 1024 * 1024))
    return buffer.getvalue()


def pdf_bytes_pages(texts: list[str]) -> bytes:
    """A PDF with one page per text, each in its text layer."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for text in texts:
        writer.append(PdfReader(io.BytesIO(pdf_bytes(text))))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _case(name: str, make: Callable[[], bytes]) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        (folder / name).write_bytes(make())
        return name

    return build


#: Hostile-corpus builders for `negotiation import` (each case's file name is what the command reads).
IMPORT_BUILDERS: dict[str, Callable[[Path], str]] = {
    "import-encrypted-pdf": _case("encrypted.pdf", lambda: pdf_bytes("Article 1", encrypt=True)),
    "import-scanned-pdf": _case("scan.pdf", lambda: pdf_bytes(None)),
    "import-corrupt-docx": _case("corrupt.docx", lambda: b"PK\x03\x04 not really a zip"),
    "import-zip-bomb-docx": _case("bomb.docx", zip_bomb),
    "import-binary": _case("binary.txt", lambda: b"\x7fELF\x00\x00\x01\x02" * 64),
    "import-empty": _case("empty.md", lambda: b""),
    "import-html-scripts": _case(
        "page.html",
        lambda: b"<script>alert(1)</script><h2>Article 1</h2><p>Meet.</p><script src='http://example.invalid/x.js'>",
    ),
    "import-no-structure": _case("memo.txt", lambda: b"We met today.\n\nWe will meet again.\n"),
}
