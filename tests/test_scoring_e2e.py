"""Scoring several continuations of one context with the bundled GGUF through llama.cpp: the
context is evaluated once (`LlamaGenerator.score_many`), and each continuation is weighed as
`score` weighs it alone."""

from __future__ import annotations

import pytest

from qa.backends.generator import GenerationRequest, complete, score_each
from qa.backends.gguf import resolve_model_path
from qa.backends.llama import LlamaGenerator

pytestmark = pytest.mark.e2e
CONTEXT = ("Passage: The ferry to Orlen Island left the harbour at 7:15 a.m. on Saturday with 86 cars "
           "on board.\nQuestion: How many cars did the ferry carry?\nAnswer:")
ANSWERS = (" 86 cars", " 7:15 a.m.", " Orlen Island", " Saturday", " x")
# llama.cpp rounds differently for batches of other shapes (the context and a continuation in
# one batch, or apart): the same continuation's mean log-probability moved by up to 0.2 here
TOLERANCE = 0.35


@pytest.fixture(scope="module")
def model() -> LlamaGenerator:
    return LlamaGenerator(resolve_model_path("gemma3-270m"))


def test_each_continuation_is_scored_as_alone(model: LlamaGenerator) -> None:
    alone = [model.score(CONTEXT, a) for a in ANSWERS]
    together = model.score_many(CONTEXT, ANSWERS)
    assert len(together) == len(ANSWERS)
    for one, many in zip(alone, together, strict=True):
        assert many.logprob == pytest.approx(one.logprob, abs=TOLERANCE)
    # the context's tokens are counted once, with the first continuation
    assert together[0].tokens == alone[0].tokens
    assert all(many.tokens < one.tokens for one, many in zip(alone[1:], together[1:], strict=True))
    # the asked-for figure is the likeliest answer either way
    assert max(range(len(ANSWERS)), key=lambda i: together[i].logprob) == 0


def test_a_continuation_does_not_see_the_one_before(model: LlamaGenerator) -> None:
    first = model.score_many(CONTEXT, (" Orlen Island",))[0]
    after = model.score_many(CONTEXT, (" 86 cars 86 cars 86 cars", " Orlen Island"))[1]
    assert after.logprob == pytest.approx(first.logprob, abs=1e-4)


def test_empty_continuations_and_the_fallback_helper(model: LlamaGenerator) -> None:
    scores = model.score_many(CONTEXT, ("", " 86 cars"))
    assert scores[0].tokens == 0 and scores[0].logprob == 0.0
    assert scores[1].logprob == pytest.approx(score_each(model, CONTEXT, (" 86 cars",))[0].logprob, abs=1e-4)


def test_a_completion_after_scoring_starts_from_a_clean_cache(model: LlamaGenerator) -> None:
    request = GenerationRequest(prompt=CONTEXT, max_tokens=4, temperature=0.0)
    model.clear_cache()
    before = complete(model, request).text
    model.score_many(CONTEXT, ANSWERS)
    assert complete(model, request).text == before


def test_texts_after_a_shared_prefix_are_scored_as_alone(model: LlamaGenerator) -> None:
    """Passages under one title: the title is evaluated once, each passage and its question after
    it as `score` would weigh the whole prompt."""
    prefix = "Island ferry timetable\n"
    items = [("The ferry left the harbour at 7:15 a.m. with 86 cars.\nQ:", " How many cars did the ferry carry?"),
             ("The harbour master retired in June after thirty years.\nQ:", " How many cars did the ferry carry?")]
    alone = [model.score(prefix + rest, question) for rest, question in items]
    shared = model.score_after(prefix, items)
    for one, after in zip(alone, shared, strict=True):
        assert after.logprob == pytest.approx(one.logprob, abs=TOLERANCE)
    assert shared[0].tokens == alone[0].tokens  # the prefix's tokens counted once, with the first
    assert shared[1].tokens < alone[1].tokens
    assert shared[0].logprob > shared[1].logprob  # the passage that answers is the likelier one
    assert model.score_after(prefix, items[:1])[0].logprob == pytest.approx(alone[0].logprob, abs=1e-4)


def test_a_prompt_that_extends_a_scored_one_starts_from_its_kept_state(model: LlamaGenerator) -> None:
    """A passage's candidate answers after its question: only the new tokens are evaluated, and
    each answer is weighed as after the whole prompt evaluated from scratch."""
    prefix, rest, question = "Island ferry\n", "The ferry left at 7:15 a.m. with 86 cars.\nQ:", " How many cars?"
    model.clear_cache()
    model.score_after(prefix, [(rest, question)])
    context = prefix + rest + question + "\nA:"
    from_kept = model.score_many(context, (" 86 cars", " 7:15 a.m."))
    whole = model.llama.tokenize(context.encode("utf-8"), add_bos=True, special=False)
    assert from_kept[0].tokens < len(whole)  # the kept part was not evaluated again
    model.clear_cache()
    from_scratch = model.score_many(context, (" 86 cars", " 7:15 a.m."))
    assert from_scratch[0].tokens > from_kept[0].tokens
    for kept, scratch in zip(from_kept, from_scratch, strict=True):
        assert kept.logprob == pytest.approx(scratch.logprob, abs=TOLERANCE)
    assert from_kept[0].logprob > from_kept[1].logprob
