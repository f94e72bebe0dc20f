from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qa.config import Config, load_config

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled articles that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Defaults, with the index in a temporary folder and no qa.toml/QA_* influence."""
    return load_config(env={}, index_dir=tmp_path / "index", corpus_dir=CORPUS)
