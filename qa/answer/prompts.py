"""Prompt templates live as files in `prompts/`; this renders them, strictly.

A template uses `$name` placeholders (string.Template). A placeholder without a value, or a value
that the template never uses, is an error, so a typo fails loudly instead of reaching the model.
"""

from __future__ import annotations

import hashlib
import string
from pathlib import Path

from ..errors import ConfigError

PROMPT_DIR = Path(__file__).resolve().parents[2] / "prompts"


def template_path(name: str) -> Path:
    return PROMPT_DIR / f"{name}.txt"


def load_template(name: str) -> str:
    path = template_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Prompt template {path} is missing; restore it from the repository.") from None


def render(name: str, **values: str) -> str:
    text = load_template(name)
    template = string.Template(text)
    used = {m.group("named") or m.group("braced") for m in template.pattern.finditer(text)} - {None}
    missing = sorted(used - set(values))
    unused = sorted(set(values) - used)
    if missing or unused:
        raise ConfigError(
            f"Prompt template {template_path(name)}: missing values for {missing or 'none'}, "
            f"values not used by the template: {unused or 'none'}."
        )
    return template.substitute(values)


def template_hash(name: str) -> str:
    return hashlib.sha256(load_template(name).encode("utf-8")).hexdigest()
