"""The answer pipeline: check -> analyse the question -> retrieve evidence -> features -> one
ranking -> abstain or answer -> cite.

Twice as many passages are retrieved as the language model scores; the ranking without the
model's feature keeps the best of them for it (`PRESELECT`).

The answer is written by `compose` from verbatim spans (the default `answer_style = "rerank"`),
or, with `answer_style = "extract"`, by the language model choosing spans under a grammar and
then verified. `stream_answer` yields the draft as it is written and the cited `Answer` last;
`answer_question` returns only the Answer; `baseline_answer` quotes retrieval's best passage (the
retrieval-only reference the eval compares against). A compound question is answered part by part;
a later part is searched for with the names of the parts before it (`Question.query`), each part's
lead stands before its own claims, and a claim two parts ask for is given once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..backends.generator import Completion, GenerationRequest, Generator, Scorer
from ..backends.scoring import passage_scorer
from ..config import Config
from ..index.documents import Document
from ..language.nlp import Analyser
from ..retrieve.injection import looks_like_instruction
from ..retrieve.retriever import SENTENCE_POOL_CHUNKS, Retriever
from .abstention import abstain_reason
from .borrowed import own_names
from .choice import weigh_direct
from .compose import Part, compose
from .evidence import select_evidence
from .extraction import candidate_spans, extract_grammar
from .features import (
    FEATURES,
    Featured,
    PassageEvidence,
    Scored,
    featurize,
    question_features,
    unnamed_speakers,
    with_lm,
)
from .followup import PriorTurn, resolve
from .lm_scores import PassageScore, lm_scores
from .prompts import render
from .question import Question, analyse_question
from .ranking import load_ranking
from .types import ABSTAIN_TEXT, Answer, AnswerDelta, AnswerEvent, Citation, Claim, Passage, PassageRank, Timings
from .units import Meanings, meanings_for
from .validate import check_question
from .verify import check_claims, parse_draft

SENTENCE_POOL = 3  # sentences retrieved per evidence passage kept
PRESELECT = 2  # passages weighed without the model per passage kept for it to score
CONTEXT_CHUNKS = SENTENCE_POOL_CHUNKS  # chunks whose sentences compete, and where names are looked for


@dataclass(frozen=True)
class Ranked:
    """A question's evidence, ranked, with what it cost."""

    question: Question
    passages: list[Passage]  # as retrieved, numbered
    scored: list[Scored]  # best first
    abstain: bool
    answerability: float  # 0..1, from the abstention model
    retrieval_ms: float
    lm: list[PassageScore]  # the model's scoring calls: one per passage, then any for candidate answers


def answer_question(question: str, retriever: Retriever, generator: Generator | None, analyser: Analyser,
                    config: Config, prior: Sequence[PriorTurn] = ()) -> Answer:
    final = None
    for event in stream_answer(question, retriever, generator, analyser, config, prior):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final


def stream_answer(text: str, retriever: Retriever, generator: Generator | None, analyser: Analyser,
                  config: Config, prior: Sequence[PriorTurn] = ()) -> Iterator[AnswerEvent]:
    """Events for one question; `prior` (earlier turns of a conversation) resolves a follow-up,
    which is then answered as its standalone form (`Answer.standalone`)."""
    started = time.perf_counter()
    asked = check_question(text, config.max_question_chars)
    parsed = analyser.parse(asked)
    rewrite = resolve(parsed, prior, analyser.parse)
    if rewrite.rewritten:  # the earlier turn's names it brought in need not all be met
        question = own_names(analyse_question(analyser.parse(rewrite.text), analyser.parse), asked)
    else:
        question = analyse_question(parsed, analyser.parse)
    for event in _stream(rewrite.text, question, retriever, generator, config, started):
        if isinstance(event, Answer):
            event = replace(event, question=asked, standalone=rewrite.text, rewrites=rewrite.changes)
        yield event


def _stream(text: str, question: Question, retriever: Retriever, generator: Generator | None, config: Config,
            started: float) -> Iterator[AnswerEvent]:
    parts = question.parts or (question,)
    scorer = passage_scorer(generator, config.answer_style)
    ranked = [_weighed(rank_evidence(part, retriever, scorer, config), scorer) for part in parts]
    answered = [r for r in ranked if not r.abstain]
    docs = retriever.data.documents
    model_id = generator.model_id if generator is not None else "retrieval-only"
    if not answered:
        best = ranked[0]
        reason = abstain_reason(best.question, [s.featured for s in best.scored], best.answerability)
        yield _answer(text, question, ranked, [], {}, started, model_id, docs, notes=(reason,), abstained=True)
        return
    if config.answer_style == "extract" and generator is not None:
        yield from _extracted(text, question, ranked, generator, config, started, docs)
        return
    doc_texts = {d: doc.text for d, doc in retriever.data.documents.items()}
    lead_parts: list[tuple[str, list[Part]]] = [
        compose(r.question, r.scored, doc_texts, config.answer_words, config.answer_passages) for r in answered]
    all_parts: list[Part] = []
    leads: dict[int, str] = {}  # a part's lead ("The articles give different figures:") before its first claim
    said: set[tuple[str, tuple[tuple[str, int, int], ...]]] = set()
    for lead, ps in lead_parts:
        fresh = [p for p in ps if _said(p) not in said]  # a claim once, however many parts ask for it
        said.update(_said(p) for p in fresh)
        if lead and fresh:
            leads[len(all_parts)] = lead
        all_parts += fresh
    notes = [f"{r.question.text!r}: the articles don't say" for r in ranked if r.abstain]
    answer = _answer(text, question, ranked, all_parts, leads, started, model_id, docs, tuple(notes))
    yield AnswerDelta(answer.text)
    yield answer


def _said(part: Part) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """What a part claims, whichever question part's passage numbers it carries."""
    return part.text, tuple((s.doc_id, s.start, s.end) for s in part.sources)


def rank_evidence(question: Question, retriever: Retriever, scorer: Scorer | None, config: Config) -> Ranked:
    """Retrieve the question's evidence, compute its features and rank it; decide abstention."""
    started = time.perf_counter()
    qvec = retriever.embed_query(question.query)
    chunks = retriever.search(question.query, k=CONTEXT_CHUNKS, qvec=qvec)
    pool = config.evidence_sentences * PRESELECT
    hits = retriever.search_sentences(question.query, k=pool * SENTENCE_POOL, qvec=qvec, chunk_hits=chunks)
    hits = [h for h in hits if not looks_like_instruction(h.text)]  # documents are data
    passages = select_evidence(hits, retriever.data, pool)
    context = " ".join(h.text for h in chunks)
    meanings = meanings_for(retriever.embedder)  # type: ignore[arg-type]  # hashed by identity
    featured = _preselected(question, [_passage_evidence(p, rank, retriever, qvec) for rank, p in
                                       enumerate(passages, 1)], context, meanings, config.evidence_sentences)
    passages = [f.evidence.passage for f in featured]
    retrieval_ms = (time.perf_counter() - started) * 1000
    scores = lm_scores(question.text, passages, scorer, [unnamed_speakers(f.evidence) for f in featured]) \
        if scorer is not None and passages else []
    model = load_ranking("with_lm" if scores else "without_lm")
    if scores:
        featured = with_lm(featured, [s.logprob for s in scores])
    scored = sorted((Scored(f, model.score(f.values)) for f in featured), key=lambda s: -s.score)
    answerability = model.answerability(question_features(featured, [s.score for s in scored]))
    abstain = not scored or answerability < model.abstain_below
    return Ranked(question, passages, scored, abstain, answerability, retrieval_ms, scores)


def _preselected(question: Question, evidence: list[PassageEvidence], context: str, meanings: Meanings,
                 limit: int) -> list[Featured]:
    """The features of the `limit` passages the ranking without the model scores best (the
    model's feature still 0), renumbered in retrieval order: the model, the costly part, scores
    only those; the retrieval rank stays a feature."""
    featured = featurize(question, evidence, context, None, meanings)
    if len(featured) > limit:
        model = load_ranking("without_lm")
        kept = sorted(sorted(range(len(featured)), key=lambda i: -model.score(featured[i].values))[:limit])
        featured = [featured[i] for i in kept]
    return [replace(f, evidence=replace(f.evidence, passage=replace(f.evidence.passage, number=n)))
            for n, f in enumerate(featured, 1)]


def _weighed(ranked: Ranked, scorer: Scorer | None) -> Ranked:
    """`ranked` with the model's likelihood of each candidate direct answer in its best passage."""
    if ranked.abstain:
        return ranked
    scored, calls = weigh_direct(ranked.question, ranked.scored, scorer)
    return replace(ranked, scored=scored, lm=[*ranked.lm, *calls])


def _passage_evidence(passage: Passage, rank: int, retriever: Retriever, qvec: np.ndarray) -> PassageEvidence:
    rows = retriever.rows_in(passage.doc_id, passage.start, passage.end)
    dense = float(np.max(retriever.data.sentence_vectors[rows] @ qvec)) if rows else 0.0
    return PassageEvidence(passage, tuple(retriever.data.analyses[r] for r in rows), dense, rank)


def baseline_answer(text: str, retriever: Retriever, analyser: Analyser, config: Config) -> Answer:
    """No model: the same ranking and abstention without the language-model feature, answered
    by retrieval's first passage quoted whole (the reference the eval compares against)."""
    started = time.perf_counter()
    text = check_question(text, config.max_question_chars)
    question = analyse_question(analyser.parse(text), analyser.parse)
    ranked = rank_evidence(question, retriever, None, config)
    if ranked.abstain or not ranked.passages:
        return _answer(text, question, [ranked], [], {}, started, "retrieval-only", retriever.data.documents,
                       notes=(abstain_reason(question, [s.featured for s in ranked.scored], ranked.answerability),),
                       abstained=True)
    first = ranked.passages[0]
    return _answer(text, question, [ranked], [Part(first.text, (first,), "quote")], {}, started, "retrieval-only",
                   retriever.data.documents)


def _extracted(text: str, question: Question, ranked: list[Ranked], generator: Generator, config: Config,
               started: float, documents: Mapping[str, Document]) -> Iterator[AnswerEvent]:
    """The model writes verbatim spans of the best passages under a grammar; then verified."""
    best = ranked[0] if not ranked[0].abstain else next(r for r in ranked if not r.abstain)
    passages = [replace(s.passage, number=n) for n, s in enumerate(best.scored, 1)]
    request = GenerationRequest(
        prompt=render("extract", passages=format_passages(passages), question=text),
        max_tokens=config.max_tokens, temperature=config.temperature, stop=("\n",),
        grammar=extract_grammar(candidate_spans(passages)), seed=config.seed)
    completion: Completion | None = None
    for item in generator.stream(request):
        if isinstance(item, Completion):
            completion = item
        else:
            yield AnswerDelta(item)
    assert completion is not None
    checked, notes = check_claims(parse_draft(completion.text), passages, config.support_threshold)
    by_number = {p.number: p for p in passages}
    parts = [Part(c.text, tuple(by_number[n] for n in c.citations), c.origin) for c in checked]
    if not parts:
        parts = [Part(passages[0].text, (passages[0],), "quote")]
        notes.append("the model's output was unusable; quoting the best passage instead")
    answer = _answer(text, question, ranked, parts, {}, started, completion.model_id, documents, tuple(notes))
    yield replace(answer, draft=completion.text, timings=replace(
        answer.timings, completion_tokens=completion.completion_tokens, generation_ms=completion.generation_ms,
        prompt_tokens=answer.timings.prompt_tokens + completion.prompt_tokens,
        prompt_eval_ms=answer.timings.prompt_eval_ms + completion.prompt_eval_ms))


def format_passages(passages: Sequence[Passage]) -> str:
    return "\n".join(f"[{p.number}] {' '.join(p.text.split())}" for p in passages)


def _answer(text: str, question: Question, ranked: list[Ranked], parts: Sequence[Part], leads: Mapping[int, str],
            started: float, model_id: str, documents: Mapping[str, Document], notes: tuple[str, ...] = (),
            abstained: bool = False) -> Answer:
    """Number the cited spans in order of first use and write the answer text with its markers."""
    verify_started = time.perf_counter()
    order: dict[tuple[str, int, int], int] = {}
    claims = []
    sources: dict[tuple[str, int, int], Passage] = {}
    for part in parts:
        marks = []
        for s in part.sources:
            key = (s.doc_id, s.start, s.end)
            sources.setdefault(key, s)
            marks.append(order.setdefault(key, len(order) + 1))
        claims.append(Claim(part.text.rstrip(". "), tuple(dict.fromkeys(marks)), part.origin))
    citations = tuple(Citation(n, s.doc_id, s.title, documents[s.doc_id].source, s.start, s.end, s.text,
                               documents[s.doc_id].page_at(s.start))
                      for key, n in order.items() for s in (sources[key],))
    body = " ".join(f"{leads[i]} {_written(c)}" if i in leads else _written(c) for i, c in enumerate(claims))
    first = ranked[0]
    evidence = tuple(replace(p, number=n) for n, p in enumerate((p for r in ranked for p in r.passages), 1))
    ranking = tuple(PassageRank(s.passage.number, round(s.score, 4), tuple(zip(FEATURES, s.featured.values,
                                                                            strict=True)))
                    for s in first.scored)
    lm = [s for r in ranked for s in r.lm]
    return Answer(
        question=text,
        text=ABSTAIN_TEXT if abstained else body,
        claims=() if abstained else tuple(claims),
        citations=() if abstained else citations,
        evidence=evidence,
        abstained=abstained,
        timings=Timings(
            retrieval_ms=sum(r.retrieval_ms for r in ranked),
            prompt_tokens=sum(s.tokens for s in lm),
            prompt_eval_ms=sum(s.ms for s in lm),
            verification_ms=(time.perf_counter() - verify_started) * 1000,
            total_ms=(time.perf_counter() - started) * 1000,
        ),
        model_id=model_id,
        notes=notes,
        kind=question.kind,
        ranking=ranking,
    )


def _written(claim: Claim) -> str:
    """A claim as it reads in the answer: its text, its markers, and a full stop unless the text
    already ends a question or an exclamation."""
    markers = "".join(f"[{n}]" for n in claim.citations)
    return f"{claim.text} {markers}{'' if claim.text.endswith(('?', '!')) else '.'}"
