"""Read a JSON Lines file into (line number, object) pairs, naming the line of any bad record.

Only the reading: it does not check what fields an object holds (see `gold` and `calibrate`).
Blank lines are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import DataFileError


def read_objects(path: Path, what: str) -> list[tuple[int, dict[str, Any]]]:
    """Every non-blank line of `path` as a JSON object; `what` names the file kind in errors."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataFileError(
            f"The {what} file {path} does not exist; run from the project root or pass its path."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"The {what} file {path} cannot be read ({exc}); save it as UTF-8 text.") from None
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(
                f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove that line."
            ) from None
        if not isinstance(obj, dict):
            raise DataFileError(f"{path}:{number}: expected one JSON object per line, got {type(obj).__name__}.")
        rows.append((number, obj))
    if not rows:
        raise DataFileError(f"The {what} file {path} holds no records; add at least one JSON line.")
    return rows
