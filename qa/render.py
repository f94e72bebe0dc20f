"""Answers as text for a terminal and as JSON; no logic beyond formatting."""

from __future__ import annotations

import json

from .answer import Answer


def answer_as_text(answer: Answer, timings: bool = False) -> str:
    lines = [f"Answered as: {answer.answered_as}", ""] if answer.rewrites else []
    lines.append(answer.text)
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            where = f"{c.doc_id}" + (f", p.{c.page}" if c.page else "") + f", chars {c.start}-{c.end}"
            credit = f" ({c.source})" if c.source else ""
            lines.append(f"[{c.number}] {c.title}{credit} — {where}")
            lines.append(f'    "{" ".join(c.quote.split())}"')
    if timings:
        t = answer.timings
        lines += ["", f"timings: retrieval {t.retrieval_ms:.0f} ms, prompt {t.prompt_tokens} tokens in "
                  f"{t.prompt_eval_ms:.0f} ms, generation {t.completion_tokens} tokens in {t.generation_ms:.0f} ms, "
                  f"verification {t.verification_ms:.0f} ms, total {t.total_ms:.0f} ms"]
    return "\n".join(lines)


def answer_as_json(answer: Answer) -> str:
    return json.dumps({**answer.to_dict(), "answered_as": answer.answered_as}, indent=2, ensure_ascii=False)
