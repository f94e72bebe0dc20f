"""The evaluation's exceptions: `QAError` subclasses, so the CLI prints them without a traceback.

Each message names the file (and line) or option at fault and the fix. Nothing here decides when
to raise.
"""

from __future__ import annotations

from ..errors import QAError


class EvaluationError(QAError):
    """The evaluation cannot run as asked (nothing selected, a missing folder, a bad option)."""


class DataFileError(EvaluationError):
    """An evaluation file (gold items, support pairs, a report) is missing or malformed."""
