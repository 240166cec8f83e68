"""Reading ``.docx`` (python-docx) and ``.pdf`` (pypdf) safely: sizes bounded before anything is
unpacked, encrypted and image-only PDFs refused with a line that says what to do."""

from __future__ import annotations

import io
import zipfile

from negotiation.importing.paragraphs import Block, need, paragraphs_of_text, unusable

#: A .docx is a zip archive; its unpacked parts may not exceed this (a zip bomb is refused unread).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_PDF_PAGES = 5_000


def read_docx(path: str, raw: bytes) -> list[Block]:
    """One block per non-empty paragraph of the document body, located ``¶N``."""
    need("docx", ".docx files")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise unusable(path, "not a valid .docx (corrupt or not a zip archive)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise unusable(path, f"unpacks to {unpacked} bytes, over the {MAX_UNPACKED_BYTES}-byte limit (a zip bomb?)")
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # python-docx raises several kinds (KeyError, XML errors) on a broken package
        raise unusable(path, "not a valid .docx (corrupt or missing its document part)") from None
    texts = [" ".join(p.text.split()) for p in document.paragraphs]
    blocks = [t for t in texts if t]
    return [Block(text, f"¶{i}") for i, text in enumerate(blocks, 1)]


def read_pdf(path: str, raw: bytes) -> list[Block]:
    """Paragraphs of each page's text layer, located ``p. N ¶M``."""
    need("pypdf", ".pdf files")
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise unusable(path, "the PDF is encrypted; save an unencrypted copy first")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise unusable(path, f"{len(pages)} pages, over the {MAX_PDF_PAGES}-page limit")
        blocks: list[Block] = []
        for number, page in enumerate(pages, 1):
            blocks += paragraphs_of_text(page.extract_text() or "", page=number)
    except PdfReadError as exc:
        raise unusable(path, f"not a readable PDF ({exc})") from None
    if not blocks:
        raise unusable(path, "no text layer — run OCR first")
    return blocks
