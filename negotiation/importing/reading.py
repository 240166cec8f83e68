"""Reading documents into paragraphs with where each was found: ``.txt``, ``.md``, ``.html``,
``.docx`` and ``.pdf`` (its text layer).

Each format is read by a library made for it (the standard library's HTML parser, python-docx,
pypdf; the last two from the ``import`` extra). Nothing in a document is executed or fetched.

>>> import pathlib, tempfile
>>> doc = pathlib.Path(tempfile.mkdtemp()) / "draft.md"
>>> _ = doc.write_text("## Article 1\\n\\nThe Parties shall meet.\\n")
>>> [(b.text, b.locator) for b in read_document(doc)]
[('Article 1', '¶1'), ('The Parties shall meet.', '¶2')]
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

from negotiation.importing.paragraphs import Block, paragraphs_of_text, unusable
from negotiation.io import read_file

#: Documents larger than this are refused before reading (an ordinary treaty text is far smaller).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


class _TextOnly(html.parser.HTMLParser):
    """Collects the text of an HTML page, one paragraph per block element; scripts and styles are dropped."""

    BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article"})
    SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _markdown(text: str) -> str:
    # Headings keep their words ("## Article 3" is the heading "Article 3"); the marks are layout.
    return re.sub(r"^#{1,6}\s+", "", text, flags=re.M)


def _decode(path: str, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise unusable(path, "a binary file, not a text document")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise unusable(path, f"not UTF-8 text (byte {exc.start})") from None


def read_document(path: str | Path) -> list[Block]:
    """The paragraphs of the document at ``path``, by its suffix; an unusable file raises InputError."""
    shown = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise unusable(shown, f"cannot import '{suffix or 'no suffix'}' files; use one of {', '.join(SUFFIXES)}")
    raw = read_file(path, shown, limit=MAX_DOCUMENT_BYTES)
    if not raw.strip():
        raise unusable(shown, "the file is empty")
    if suffix == ".docx":
        from negotiation.importing.office import read_docx

        blocks = read_docx(shown, raw)
    elif suffix == ".pdf":
        from negotiation.importing.office import read_pdf

        blocks = read_pdf(shown, raw)
    elif suffix in (".html", ".htm"):
        parser = _TextOnly()
        parser.feed(_decode(shown, raw))
        parser.close()
        blocks = paragraphs_of_text("".join(parser.parts))
    else:
        text = _decode(shown, raw)
        blocks = paragraphs_of_text(_markdown(text) if suffix == ".md" else text)
    if not blocks:
        raise unusable(shown, "no text found")
    return blocks
