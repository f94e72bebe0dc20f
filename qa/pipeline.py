"""The answer pipeline: retrieve -> select evidence -> check coverage -> then, by `answer_style`:
rerank (the model ranks the passages, the best are quoted verbatim; the default), or prompt ->
generate -> parse -> verify (extract, free) -> assemble.

`stream_answer` yields the model's draft as it is written and the verified `Answer` last;
`answer_question` returns only the Answer; `baseline_answer` skips the model and quotes the best
evidence passage (the retrieval-only baseline the eval compares against).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from .abstention import check_coverage
from .answer import ABSTAIN_TEXT, Answer, AnswerDelta, AnswerEvent, Citation, Claim, Passage, Timings
from .claims import CheckedClaim, check_claims, parse_draft
from .config import Config
from .evidence import select_evidence
from .extraction import candidate_spans, extract_grammar
from .figures import counted_kinds, differing_figures, figures_in
from .generation import Completion, GenerationRequest, Generator, Scorer, numbered_choice_rule
from .injection import looks_like_instruction
from .prompts import render
from .questions import check_question
from .rerank import pick_quotes, rerank
from .retrieval import Retriever
from .sentences import split_sentences

SENTENCE_POOL = 3  # sentences retrieved per evidence passage kept
COVERAGE_CHUNKS = 10  # chunks searched for the question's names before abstaining
MAX_FIGURES = 3  # differing reports quoted for a count question
DIFFERING_LEAD = "The articles give different figures:"
TEMPLATES = {"free": "answer", "extract": "extract"}  # answer_style -> prompts/<name>.txt


def answer_grammar(n_passages: int) -> str:
    """GBNF: one to three sentences, each ending in one or two citation markers, then a newline."""
    return "\n".join([
        'root ::= claim (" " claim)? (" " claim)? "\\n"',
        'claim ::= text " [" num "]" ("[" num "]")? "."',
        "text ::= [^\\[\\]\\n]+",
        numbered_choice_rule("num", max(n_passages, 1)),
    ])


def format_passages(passages: Sequence[Passage]) -> str:
    return "\n".join(f"[{p.number}] {' '.join(p.text.split())}" for p in passages)


def answer_question(question: str, retriever: Retriever, generator: Generator, config: Config) -> Answer:
    final = None
    for event in stream_answer(question, retriever, generator, config):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final


def stream_answer(
    question: str, retriever: Retriever, generator: Generator, config: Config
) -> Iterator[AnswerEvent]:
    started = time.perf_counter()
    question, passages, retrieval_ms, reason = _prepare(question, retriever, config)
    if reason:
        yield _abstain(question, passages, retrieval_ms, started, reason, generator.model_id)
        return
    style, notes = config.answer_style, []
    if style == "rerank":
        if isinstance(generator, Scorer):
            yield from _quoted_answer(question, passages, retrieval_ms, started, generator, retriever, config)
            return
        style = "extract"
        notes.append(f"{generator.model_id} cannot score passages (a server returns no prompt "
                     "log-probabilities), so it extracted spans instead")
    request = GenerationRequest(
        prompt=render(TEMPLATES[style], passages=format_passages(passages), question=question),
        max_tokens=config.max_tokens,
        temperature=config.temperature,
        stop=("\n",),
        grammar=(extract_grammar(candidate_spans(passages)) if style == "extract"
                 else answer_grammar(len(passages))),
        seed=config.seed,
    )
    completion: Completion | None = None
    for item in generator.stream(request):
        if isinstance(item, Completion):
            completion = item
        else:
            yield AnswerDelta(item)
    assert completion is not None
    verify_started = time.perf_counter()
    checked, problems = check_claims(parse_draft(completion.text), passages, config.support_threshold)
    notes.extend(problems)
    if not checked:
        checked = [CheckedClaim(passages[0].text, (1,), "quote")]
        notes.append("the model's output was unusable; quoting the best passage instead")
    answer = _assemble(question, checked, passages, retriever)
    verification_ms = (time.perf_counter() - verify_started) * 1000
    yield Answer(
        question=question,
        text=answer[0],
        claims=answer[1],
        citations=answer[2],
        evidence=tuple(passages),
        abstained=False,
        timings=Timings(
            retrieval_ms=retrieval_ms,
            prompt_tokens=completion.prompt_tokens,
            prompt_eval_ms=completion.prompt_eval_ms,
            completion_tokens=completion.completion_tokens,
            generation_ms=completion.generation_ms,
            verification_ms=verification_ms,
            total_ms=(time.perf_counter() - started) * 1000,
        ),
        model_id=completion.model_id,
        notes=tuple(notes),
        draft=completion.text,
    )


def _quoted_answer(question: str, passages: Sequence[Passage], retrieval_ms: float, started: float,
                   generator: Generator, retriever: Retriever, config: Config) -> Iterator[AnswerEvent]:
    """The model ranks the passages; the best ones, verbatim, are the answer (nothing to verify
    beyond the spans themselves: every claim is a quotation of the passage it cites)."""
    assert isinstance(generator, Scorer)
    ranked = rerank(question, passages, generator)
    best_first = [r.passage for r in ranked]
    # A count the articles disagree on is answered with each figure, each cited.
    kinds = counted_kinds(question)
    narrowed = [_figure_sentence(p, kinds, retriever) for p in best_first] if kinds else best_first
    differing = differing_figures(question, narrowed, MAX_FIGURES, 2 * config.answer_words)
    chosen = differing or pick_quotes(best_first, config.answer_words, config.answer_passages)
    verify_started = time.perf_counter()
    text, claims, citations = _assemble(
        question, [CheckedClaim(p.text, (p.number,), "quote") for p in chosen], chosen, retriever)
    if differing:
        text = f"{DIFFERING_LEAD} {text}"
    verification_ms = (time.perf_counter() - verify_started) * 1000
    yield AnswerDelta(text)
    order = ", ".join(f"[{r.passage.number}] {r.score:.2f}" for r in ranked)
    yield Answer(
        question=question,
        text=text,
        claims=claims,
        citations=citations,
        evidence=tuple(passages),
        abstained=False,
        timings=Timings(
            retrieval_ms=retrieval_ms,
            prompt_tokens=sum(r.tokens for r in ranked),
            prompt_eval_ms=sum(r.ms for r in ranked),
            verification_ms=verification_ms,
            total_ms=(time.perf_counter() - started) * 1000,
        ),
        model_id=generator.model_id,
        notes=(f"passages ranked by {generator.model_id} (mean log-probability of the question): {order}",),
    )


def _figure_sentence(passage: Passage, kinds: set[str], retriever: Retriever) -> Passage:
    """The sentence of `passage` that gives a figure for `kinds`, as a passage of its own (same
    number, narrower span), or the passage itself when no single sentence does."""
    for span in split_sentences(passage.text):
        if figures_in(passage.text[span.start:span.end], kinds):
            if (span.start, span.end) == (0, len(passage.text)):
                return passage
            doc = retriever.data.documents[passage.doc_id]
            start, end = passage.start + span.start, passage.start + span.end
            return replace(passage, start=start, end=end, text=doc.text[start:end], page=doc.page_at(start))
    return passage


def baseline_answer(question: str, retriever: Retriever, config: Config) -> Answer:
    """No model: the top evidence passage, quoted and cited (abstaining like the pipeline does)."""
    started = time.perf_counter()
    question, passages, retrieval_ms, reason = _prepare(question, retriever, config)
    if reason:
        return _abstain(question, passages, retrieval_ms, started, reason, "retrieval-only")
    text, claims, citations = _assemble(
        question, [CheckedClaim(passages[0].text, (1,), "quote")], passages, retriever)
    return Answer(question, text, claims, citations, tuple(passages), False,
                  Timings(retrieval_ms=retrieval_ms, total_ms=(time.perf_counter() - started) * 1000),
                  model_id="retrieval-only")


def _prepare(question: str, retriever: Retriever, config: Config) -> tuple[str, list[Passage], float, str]:
    """The checked question, its evidence, retrieval time (ms), and why to abstain ("" to answer)."""
    started = time.perf_counter()
    question = check_question(question, config.max_question_chars)
    passages = _evidence(question, retriever, config)
    coverage = check_coverage(question, [p.text for p in passages], _context(question, retriever))
    reason = "" if coverage.answerable else coverage.reason or "the evidence does not cover the question"
    return question, passages, (time.perf_counter() - started) * 1000, reason


def _evidence(question: str, retriever: Retriever, config: Config) -> list[Passage]:
    hits = retriever.search_sentences(question, k=config.evidence_sentences * SENTENCE_POOL)
    hits = [h for h in hits if not looks_like_instruction(h.text)]  # documents are data
    return select_evidence(hits, retriever.data, config.evidence_sentences)


def _context(question: str, retriever: Retriever) -> list[str]:
    """Text of the best chunks, where the question's names are looked for before abstaining."""
    return [hit.text for hit in retriever.search(question, k=COVERAGE_CHUNKS)]


def _abstain(question: str, passages: Sequence[Passage], retrieval_ms: float, started: float,
             reason: str, model_id: str) -> Answer:
    return Answer(
        question=question,
        text=ABSTAIN_TEXT,
        claims=(),
        citations=(),
        evidence=tuple(passages),
        abstained=True,
        timings=Timings(retrieval_ms=retrieval_ms, total_ms=(time.perf_counter() - started) * 1000),
        model_id=model_id,
        notes=(reason,),
    )


def _assemble(
    question: str, checked: Sequence[CheckedClaim], passages: Sequence[Passage], retriever: Retriever
) -> tuple[str, tuple[Claim, ...], tuple[Citation, ...]]:
    """Number citations in order of first use and write the answer text with its markers."""
    by_number = {p.number: p for p in passages}
    order: dict[int, int] = {}
    claims = []
    for claim in checked:
        marks = tuple(order.setdefault(n, len(order) + 1) for n in claim.passages)
        claims.append(Claim(claim.text.rstrip(". "), marks, claim.origin))
    docs = retriever.data.documents
    citations = []
    for passage_number, cite_number in order.items():
        p = by_number[passage_number]
        doc = docs[p.doc_id]
        citations.append(Citation(cite_number, p.doc_id, p.title, doc.source, p.start, p.end,
                                  doc.text[p.start:p.end], p.page))
    return " ".join(_written(c) for c in claims), tuple(claims), tuple(citations)


def _written(claim: Claim) -> str:
    """A claim as it reads in the answer: its text, its markers, and a full stop unless the text
    already ends a question or an exclamation."""
    markers = "".join(f"[{n}]" for n in claim.citations)
    return f"{claim.text} {markers}{'' if claim.text.endswith(('?', '!')) else '.'}"
