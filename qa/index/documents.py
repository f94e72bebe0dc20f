"""Read one file (txt, Markdown or PDF) into a `Document`, or say in one line why it can't be used.

A document keeps its text exactly as read (PDF pages joined by a blank line, with each page's
offsets kept), plus the metadata a citation shows: id, title, source/credit line, path, content
hash. This module does not split, chunk or embed; it also does not walk folders (see `ingest`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from .sentences import split_sentences

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
PDF_SUFFIXES = (".pdf",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES
_CREDIT = re.compile(r"^\s*(?:credited from|source|credit|via)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_TITLE_WORDS = 12


@dataclass(frozen=True)
class Page:
    """Page `number` (1-based) of a PDF occupies text[start:end] of its document."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One article as read from disk."""

    doc_id: str  # the file name; unique within an index
    title: str  # first heading line, else the opening words of the first sentence
    source: str  # the credit line ("LEMONDE" from "Credited from: LEMONDE"), or ""
    path: str  # where it was read from
    content_hash: str  # sha256 of the text, for change detection and de-duplication
    text: str  # the text exactly as read; every offset in the index points into it
    pages: tuple[Page, ...] = ()  # PDFs only

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, or None for documents without pages."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages else None


def read_document(path: Path, doc_id: str | None = None) -> Document:
    """Read `path` into a Document. Raises DocumentError with a one-line reason and fix."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path}: unsupported file type '{suffix or '(none)'}'; convert it to "
            ".txt, .md or .pdf."
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            f"{path}: cannot be read ({exc.strerror or exc}); check the path and its permissions."
        ) from None
    if suffix in PDF_SUFFIXES:
        text, pages = _pdf_text(path, raw)
    else:
        text, pages = _plain_text(path, raw), ()
    if not text.strip():
        raise DocumentError(f"{path}: the file is empty; add text to it or remove it.")
    return Document(
        doc_id=doc_id or path.name,
        title=_title(text, path),
        source=_source(text),
        path=str(path),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        pages=pages,
    )


def _plain_text(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise DocumentError(f"{path}: looks like a binary file, not text; give the original document instead.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{path}: not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _pdf_text(path: Path, raw: bytes) -> tuple[str, tuple[Page, ...]]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported by us, once
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path}: the PDF is encrypted; save an unencrypted copy and add that.")
        parts: list[str] = []
        pages: list[Page] = []
        offset = 0
        for number, page in enumerate(reader.pages, start=1):
            page_text = (page.extract_text() or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if parts:
                offset += 2  # the blank line joining pages
            parts.append(page_text)
            pages.append(Page(number, offset, offset + len(page_text)))
            offset += len(page_text)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({exc}); re-export it or add its text as .txt.") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files; all mean "unreadable"
        if "decrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise DocumentError(f"{path}: the PDF is encrypted; save an unencrypted copy and add that.") from None
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc}); re-export it.") from None
    text = "\n\n".join(parts)
    if not text.strip():
        raise DocumentError(
            f"{path}: the PDF has no text layer (a scan?); run OCR on it first or add its text as .txt."
        )
    return text, tuple(pages)


def _source(text: str) -> str:
    for line in text.splitlines()[:5]:
        match = _CREDIT.match(line)
        if match:
            return match.group(1)
    return ""


def _title(text: str, path: Path) -> str:
    for span in split_sentences(text):
        line = text[span.start:span.end]
        if _CREDIT.match(line):
            continue
        if span.is_heading or line.startswith("#"):
            return line.lstrip("# ").strip()
        words = line.split()
        return " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")
    return path.stem
