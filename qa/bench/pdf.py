"""Write a small multi-page text PDF without a PDF library, for the PDF ingest benchmark.

Each page shows its paragraphs in Helvetica, one text line per paragraph (long lines run past the
right margin; text extraction does not mind, and the sentence splitter sees whole paragraphs, as it
does for .txt files). Text is folded to ASCII first, because the standard font encoding covers no
more. It does not wrap lines, fit pages to their height, or embed fonts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "`": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ",
})


def to_ascii(text: str) -> str:
    """`text` with typographic quotes and dashes folded and any other non-ASCII letter dropped."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return folded.encode("ascii", "ignore").decode("ascii")


def paginate(paragraphs: Sequence[str], n_pages: int) -> list[list[str]]:
    """Paragraphs split, in order, over at most `n_pages` pages of about equal character count."""
    total = sum(len(p) for p in paragraphs)
    pages: list[list[str]] = [[] for _ in range(max(n_pages, 1))]
    before = 0
    for paragraph in paragraphs:
        pages[min(int(before * len(pages) / max(total, 1)), len(pages) - 1)].append(paragraph)
        before += len(paragraph)
    return [page for page in pages if page]


def write_text_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A valid PDF in which page i shows the lines pages[i], top to bottom."""
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode(),
    ]
    for i, lines in enumerate(pages):
        shown = " T* ".join(f"({_escape(to_ascii(line))}) Tj" for line in lines)
        stream = f"BT /F1 10 Tf 13 TL 40 760 Td {shown} ET".encode("ascii")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
