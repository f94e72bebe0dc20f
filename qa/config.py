"""One small, flat, validated configuration object, and where its values come from.

Precedence, lowest first: defaults, a TOML file (`qa.toml` in the working directory, or the path in
`QA_CONFIG`), environment variables `QA_<FIELD>` (e.g. `QA_MODEL`), then explicit overrides (CLI
flags). Unknown keys are an error everywhere. Nothing is read at import time; `load_config` reads.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_CONFIG_FILE = "qa.toml"


@dataclass(frozen=True)
class Config:
    """Every setting of the assistant. Paths are relative to the working directory."""

    corpus_dir: Path = Path("corpus")  # what `qa ingest` reads when given no paths
    index_dir: Path = Path("index")  # where built indexes live
    embedder: str = "all-MiniLM-L6-v2"  # the bundled model, or a sentence-transformers model folder
    embed_batch_size: int = 32
    chunk_chars: int = 600  # a chunk holds whole sentences up to this many characters
    chunk_overlap: int = 1  # sentences repeated from the end of one chunk at the start of the next
    retrieval: str = "hybrid"  # hybrid | dense | lexical
    rrf_k: int = 10  # reciprocal rank fusion constant (10 beat 60 on the retrieval dev questions)
    top_k: int = 5  # passages returned by search
    model: str = "gemma3-270m"  # a bundled model name (gemma3-270m, smollm2-135m) or a .gguf path
    server_url: str = ""  # an OpenAI-compatible server; when set it is used instead of `model`
    server_model: str = ""  # the model name sent to that server
    server_timeout_s: float = 600.0  # scoring a prompt on a busy server can take minutes
    n_ctx: int = 2048
    n_threads: int = 0  # 0: as many as the machine has cores
    temperature: float = 0.0
    max_tokens: int = 80
    seed: int = 0
    # rerank: passages are ranked (the model's score is one feature) and the answer is a direct
    # answer plus verbatim quotes; extract: the model picks verbatim spans under a grammar
    answer_style: str = "rerank"
    evidence_sentences: int = 6  # passages ranked for each question
    answer_words: int = 40  # words of direct answer and quotes in all (at least one quote)
    answer_passages: int = 2  # quote at most this many passages
    support_threshold: float = 0.55  # content-word overlap a sentence needs (calibrated: qa eval --calibrate)
    max_question_chars: int = 2000
    verbose: bool = False  # print llama.cpp's and the embedder's own loading logs (`--verbose`)

    def __post_init__(self) -> None:
        positive = ("embed_batch_size", "chunk_chars", "top_k", "n_ctx", "max_tokens",
                    "evidence_sentences", "max_question_chars", "rrf_k", "answer_words", "answer_passages")
        for name in positive:
            if getattr(self, name) <= 0:
                raise ConfigError(f"Setting '{name}' must be a positive number, got {getattr(self, name)!r}.")
        if self.chunk_overlap < 0:
            raise ConfigError("Setting 'chunk_overlap' must be 0 or more sentences.")
        if self.n_threads < 0:
            raise ConfigError("Setting 'n_threads' must be 0 (auto) or a positive number.")
        if self.answer_style not in ("rerank", "extract"):
            raise ConfigError(f"Setting 'answer_style' is {self.answer_style!r}; use rerank or extract.")
        if self.retrieval not in ("hybrid", "dense", "lexical"):
            raise ConfigError(
                f"Setting 'retrieval' is {self.retrieval!r}; use one of: hybrid, dense, lexical."
            )
        if not 0.0 <= self.support_threshold <= 1.0:
            raise ConfigError("Setting 'support_threshold' must lie between 0 and 1.")
        if not 0.0 <= self.temperature <= 2.0:
            raise ConfigError("Setting 'temperature' must lie between 0 and 2.")

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed (validated like any other)."""
        return _build(dataclasses.asdict(self) | changes, source="override")

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, for reports and manifests."""
        return {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(self).items()}


_FIELDS = {f.name: f for f in fields(Config)}


def _coerce(name: str, raw: Any, source: str) -> Any:
    kind: type = type(_FIELDS[name].default)
    try:
        if kind is Path:
            return Path(raw)
        if kind is bool:
            return str(raw).lower() in ("1", "true", "yes", "on")
        if kind is int and isinstance(raw, float):
            raise ValueError
        return kind(raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"Setting '{name}' from {source} is {raw!r}, which is not a {kind.__name__}."
        ) from None


def _build(values: Mapping[str, Any], source: str) -> Config:
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise ConfigError(
            f"Unknown setting(s) {', '.join(unknown)} in {source}. Known settings: "
            f"{', '.join(sorted(_FIELDS))}."
        )
    return Config(**{k: _coerce(k, v, source) for k, v in values.items()})


def load_config(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Config:
    """Build the configuration from defaults, a TOML file, `QA_*` variables and overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    file = Path(path) if path else Path(env["QA_CONFIG"]) if env.get("QA_CONFIG") else None
    if file is None and Path(DEFAULT_CONFIG_FILE).is_file():
        file = Path(DEFAULT_CONFIG_FILE)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"Config file {file} does not exist; create it or unset QA_CONFIG.") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Config file {file} is not valid TOML: {exc}.") from None
        _build(data, source=str(file))  # reject unknown keys with the file's name
        values.update(data)
    for key, raw in env.items():
        if key.startswith("QA_") and key != "QA_CONFIG":
            name = key[3:].lower()
            if name not in _FIELDS:
                raise ConfigError(
                    f"Environment variable {key} names no setting; unset it or use one of: "
                    + ", ".join("QA_" + n.upper() for n in sorted(_FIELDS)) + "."
                )
            values[name] = raw
    values.update({k: v for k, v in overrides.items() if v is not None})
    return _build(values, source=f"{file or 'defaults'} and environment")
