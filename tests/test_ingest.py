"""Incremental ingest, duplicates, manifest checks and atomic writes, with a fake embedder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import ExplodingEmbedder, HashEmbedder

from qa.config import Config
from qa.errors import IndexMismatchError, IndexMissingError
from qa.index.ingest import ingest
from qa.index.store import read_index
from qa.retrieve.retriever import Retriever


def statuses(report) -> dict[str, str]:
    return {Path(f.path).name: f.status for f in report.files}


def test_first_ingest_indexes_every_article(corpus_copy: Path, config: Config) -> None:
    emb = HashEmbedder()
    report = ingest([corpus_copy], config, emb)
    assert set(statuses(report).values()) == {"added"}
    assert report.documents == 5 and report.chunks > 20
    data = read_index(config.index_dir, emb.model_id)
    assert data.chunk_vectors.shape == (report.chunks, emb.dim)
    assert data.sentence_vectors.shape == (len(data.sentences), emb.dim)
    assert data.manifest.embedder == "hash-64" and data.manifest.dim == 64
    lemonde = data.documents["001_c9e40089b84303d3.txt"]
    assert lemonde.source == "LEMONDE"
    assert data.documents["002_9788b889a9d9832c.txt"].title == (
        "International Coalition Commits to Ukraine Security Guarantees")
    for chunk in data.chunks:
        text = data.documents[chunk.doc_id].text
        assert text[chunk.start:chunk.end].startswith(text[chunk.sentences[0].start:chunk.sentences[0].end])


def test_reingest_skips_unchanged_reembeds_changed_drops_removed(corpus_copy: Path, config: Config) -> None:
    ingest([corpus_copy], config, HashEmbedder())
    emb = HashEmbedder()
    report = ingest([corpus_copy], config, emb)
    assert set(statuses(report).values()) == {"unchanged"}
    assert emb.texts_embedded == 0

    changed = corpus_copy / "003_a865d349f753a48a.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA brand new closing sentence about zebras.\n",
                       encoding="utf-8")
    (corpus_copy / "000_3c05940459aadc6b.txt").unlink()
    emb = HashEmbedder()
    report = ingest([corpus_copy], config, emb)
    st = statuses(report)
    assert st["003_a865d349f753a48a.txt"] == "updated"
    assert st["000_3c05940459aadc6b.txt"] == "removed"
    assert st["001_c9e40089b84303d3.txt"] == "unchanged"
    assert emb.calls == 2  # chunks and sentences of the one changed document only
    data = read_index(config.index_dir)
    assert set(data.documents) == {"001_c9e40089b84303d3.txt", "002_9788b889a9d9832c.txt",
                                   "003_a865d349f753a48a.txt", "004_795e1964be4e6087.txt"}
    hits = Retriever(data, emb).search("zebras closing sentence", k=1)
    assert hits[0].doc_id == "003_a865d349f753a48a.txt" and "zebras" in hits[0].text
    # kept vectors still line up with their chunks after the shuffle
    fresh = HashEmbedder().embed([data.documents[c.doc_id].text[c.start:c.end] for c in data.chunks])
    assert abs(fresh - data.chunk_vectors).max() < 1e-6


def test_exact_duplicate_is_stored_once(corpus_copy: Path, config: Config) -> None:
    shutil.copy(corpus_copy / "002_9788b889a9d9832c.txt", corpus_copy / "copy_of_002.txt")
    report = ingest([corpus_copy], config, HashEmbedder())
    assert statuses(report)["copy_of_002.txt"] == "duplicate"
    assert report.documents == 5
    assert not report.skipped


def test_same_file_name_in_two_folders_gets_two_ids(tmp_path: Path, config: Config) -> None:
    for folder, body in (("a", "Alpha text about troops."), ("b", "Beta text about ships.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "note.txt").write_text(body, encoding="utf-8")
    report = ingest([tmp_path / "a", tmp_path / "b"], config, HashEmbedder())
    assert sorted(f.doc_id for f in report.files) == ["b/note.txt", "note.txt"]


def test_other_embedder_is_refused_with_the_fix(corpus_copy: Path, config: Config) -> None:
    ingest([corpus_copy], config, HashEmbedder())
    with pytest.raises(IndexMismatchError, match="rebuild"):
        read_index(config.index_dir, "all-MiniLM-L6-v2")
    with pytest.raises(IndexMismatchError, match="hash-64"):
        ingest([corpus_copy], config, HashEmbedder(model_id="other-model"))
    report = ingest([corpus_copy], config, HashEmbedder(model_id="other-model"), rebuild=True)
    assert report.embedded_chunks == report.chunks


def test_new_chunk_size_rechunks_everything(corpus_copy: Path, config: Config) -> None:
    first = ingest([corpus_copy], config, HashEmbedder())
    second = ingest([corpus_copy], config.replace(chunk_chars=300), HashEmbedder())
    assert second.chunks > first.chunks
    assert read_index(config.index_dir).manifest.chunk_chars == 300


def test_missing_index_names_the_command_that_builds_it(config: Config) -> None:
    with pytest.raises(IndexMissingError, match="qa ingest"):
        read_index(config.index_dir)


def test_interrupted_ingest_leaves_previous_index_loadable(corpus_copy: Path, config: Config) -> None:
    ingest([corpus_copy], config, HashEmbedder())
    before = read_index(config.index_dir)
    (corpus_copy / "new.txt").write_text("A new article about frigates. It has two sentences.", encoding="utf-8")
    changed = corpus_copy / "004_795e1964be4e6087.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nExtra.", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        ingest([corpus_copy], config, ExplodingEmbedder(fail_on_call=3))
    after = read_index(config.index_dir)
    assert after.manifest.documents == before.manifest.documents
    assert len(after.chunks) == len(before.chunks)
    leftovers = [p.name for p in config.index_dir.iterdir() if p.name.startswith(".building")]
    assert leftovers == []  # nothing was started on disk before the embedding finished
