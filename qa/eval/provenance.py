"""What a run was made with, so a number can be reproduced: model file and index manifest hashes,
prompt template hashes, the whole configuration, the seed and the git commit.

It reads files and asks git; it never changes anything. A piece that cannot be had (no git, a
model behind a server) is recorded as None with a note, and never fails the run.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answer.prompts import PROMPT_DIR, template_hash
from ..backends.gguf import resolve_model_path
from ..config import Config
from ..errors import QAError

BLOCK = 1 << 20  # hash files in 1 MB blocks; a model is hundreds of MB
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Provenance:
    created_at: str  # UTC, ISO 8601
    mode: str  # "model" | "retrieval-only"
    model_id: str  # as the answers report it
    model_file: str | None
    model_sha256: str | None
    model_note: str  # why there is no model hash, when there is none
    server_url: str
    index_dir: str
    index_version: str | None  # the folder CURRENT names
    index_manifest_sha256: str | None
    injection_index_manifest_sha256: str | None  # the corpus + planted documents index, if built
    answer_template_sha256: str  # the template of the configured answer style (rerank or extract)
    prompt_files_sha256: dict[str, str]  # every prompts/*.txt, by file name, hash of its bytes
    gold_file: str
    gold_sha256: str
    config: dict[str, Any]  # Config.as_dict()
    seed: int
    git_commit: str | None
    python: str


def sha256_file(path: Path, block: int = BLOCK) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def index_manifest(index_dir: Path) -> tuple[str | None, str | None]:
    """(live version folder, sha256 of its manifest.json), or (None, None) without an index."""
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None, None
    version = pointer.read_text(encoding="utf-8").strip()
    manifest = index_dir / version / "manifest.json"
    return version, sha256_file(manifest) if manifest.is_file() else None


def git_commit(root: Path = REPO_ROOT) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def collect_provenance(
    config: Config,
    baseline: bool,
    model_id: str,
    gold_path: Path,
    injection_manifest: str | None = None,
) -> Provenance:
    model_file, model_sha, note = _model(config, baseline)
    version, manifest_sha = index_manifest(config.index_dir)
    return Provenance(
        created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        mode="retrieval-only" if baseline else "model",
        model_id=model_id,
        model_file=model_file,
        model_sha256=model_sha,
        model_note=note,
        server_url=config.server_url,
        index_dir=str(config.index_dir),
        index_version=version,
        index_manifest_sha256=manifest_sha,
        injection_index_manifest_sha256=injection_manifest,
        answer_template_sha256=template_hash(config.answer_style),
        prompt_files_sha256={p.name: sha256_file(p) for p in sorted(PROMPT_DIR.glob("*.txt"))},
        gold_file=str(gold_path),
        gold_sha256=sha256_file(gold_path),
        config=config.as_dict(),
        seed=config.seed,
        git_commit=git_commit(),
        python=platform.python_version(),
    )


def _model(config: Config, baseline: bool) -> tuple[str | None, str | None, str]:
    if baseline:
        return None, None, "retrieval-only baseline: no language model was used"
    if config.server_url:
        return None, None, f"served by {config.server_url}; the weights are not visible from here"
    try:
        path = resolve_model_path(config.model)
    except QAError as exc:
        return None, None, f"model file not hashed: {exc}"
    return str(path), sha256_file(path), ""
