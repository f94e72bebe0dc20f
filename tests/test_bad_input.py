"""Every kind of bad file is skipped with a one-line reason; the rest of the batch is ingested."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fakes import HashEmbedder
from pdfs import write_blank_pdf, write_encrypted_pdf, write_text_pdf

from qa.config import Config
from qa.index.ingest import ingest
from qa.index.store import read_index


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    folder = tmp_path / "messy"
    folder.mkdir()
    (folder / "good.txt").write_text("Macron hosted the summit in Paris. Leaders attended.", encoding="utf-8")
    write_text_pdf(folder / "good.pdf", ["The frigate count was 12 on page one.", "Page two names Oslo."])
    (folder / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Caf\xe9 au lait in M\xfcnchen.".encode("latin-1"))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    write_encrypted_pdf(folder / "locked.pdf", "Secret text nobody may read.")
    write_blank_pdf(folder / "scan.pdf")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    return folder


EXPECTED_REASONS = {
    "empty.txt": "empty",
    "binary.txt": "binary",
    "latin1.txt": "UTF-8",
    "corrupt.pdf": "not a readable PDF",
    "locked.pdf": "encrypted",
    "scan.pdf": "no text layer",
}


def test_bad_files_are_skipped_with_reasons_and_good_ones_kept(messy: Path, config: Config) -> None:
    report = ingest([messy, messy / "missing.md"], config, HashEmbedder())
    by_name = {Path(f.path).name: f for f in report.files}
    for name, phrase in EXPECTED_REASONS.items():
        assert by_name[name].status == "skipped", name
        assert phrase in by_name[name].reason, (name, by_name[name].reason)
        assert "\n" not in by_name[name].reason
    assert by_name["missing.md"].status == "skipped" and "no such file" in by_name["missing.md"].reason
    assert by_name["picture.png"].status == "ignored"
    assert by_name["good.txt"].status == "added" and by_name["good.pdf"].status == "added"
    data = read_index(config.index_dir)
    assert set(data.documents) == {"good.txt", "good.pdf"}
    pdf = data.documents["good.pdf"]
    assert [p.number for p in pdf.pages] == [1, 2]
    assert pdf.page_at(pdf.text.index("Oslo")) == 2


def test_unreadable_file_is_skipped(tmp_path: Path, config: Config) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path = tmp_path / "secret.txt"
    path.write_text("hidden", encoding="utf-8")
    path.chmod(0)
    report = ingest([path], config, HashEmbedder())
    assert report.files[0].status == "skipped" and "cannot be read" in report.files[0].reason


def test_cli_exit_status_reports_skips(messy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qa.cli import EXIT_SKIPPED, main

    code = main(["ingest", "--quiet", "--index", str(tmp_path / "ix"), str(messy / "empty.txt")])
    out = capsys.readouterr()
    assert code == EXIT_SKIPPED
    assert "skipped" in out.out and "empty" in out.out


def test_cli_search_without_index_says_how_to_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qa.cli import EXIT_ERROR, main

    code = main(["search", "Rutte", "--index", str(tmp_path / "nothing")])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert "qa ingest" in err and "Traceback" not in err
