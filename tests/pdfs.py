"""Small PDFs for tests: text pages (the benchmark's own writer), a page with no text, an encrypted one."""

from __future__ import annotations

from pathlib import Path

from qa.bench.pdf import write_text_pdf as write_pages


def write_text_pdf(path: Path, pages: list[str]) -> Path:
    """A valid PDF whose page i shows pages[i] (ASCII) as one line of text."""
    return write_pages(path, [[text] for text in pages])


def write_blank_pdf(path: Path) -> Path:
    """A PDF with one page and no text layer (like a scan)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def write_encrypted_pdf(path: Path, text: str) -> Path:
    """A text PDF encrypted with a user password."""
    from pypdf import PdfReader, PdfWriter

    plain = write_text_pdf(path.with_suffix(".plain.pdf"), [text])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as fh:
        writer.write(fh)
    plain.unlink()
    return path
