"""Offline evaluation of the assistant against hand-written gold questions and conversations.

Modules, one concern each: `gold` (read and validate every hand-written file: eval/gold.jsonl,
eval/tuning/gold.jsonl, eval/heldout/gold.jsonl, eval/conversations.jsonl, eval/support_pairs.jsonl), `run` (ask the
questions and conversations, score each answer into a record), `metrics` (pure scoring functions,
citation checks, what went wrong with an item, and rates with Wilson 95% intervals), `report`
(report.json, summary.md and the matplotlib chart, with the run's provenance), `compare` (two
runs side by side, and their chart), `calibrate` (the support judge against hand labels, and
`--fit` of the ranking model on the dev split and the tuning corpus) and `cli` (`qa eval`). This file holds the
package's two exceptions and imports none of the modules, so `qa --help` stays fast.

Must not import: `bench`, `ui`, `cli`.
"""

from __future__ import annotations

from ..errors import QAError


class EvaluationError(QAError):
    """The evaluation cannot run as asked (nothing selected, a missing folder, a bad option)."""


class DataFileError(EvaluationError):
    """An evaluation file (gold items, conversations, support pairs, a report) is missing or malformed."""
