"""Spot sentences in the documents that address the assistant instead of the reader.

Documents are data. Besides the prompt saying so and the answer being verified against the
sources, a sentence that reads as an instruction to an AI system ("ignore your previous
instructions", "you are now in developer mode", "assistant, disregard ...") is kept out of the
evidence altogether, so the model never sees it. A pattern list, not a classifier: it catches the
common phrasings and leaves ordinary reporting about instructions alone.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\bignore (all |any |the |your |my )?(previous |prior |above |earlier |other )*"
    r"(instructions|prompts?|rules|articles|passages)\b",
    r"\bdisregard (all |any |the |your )?(previous |prior |above |other )*"
    r"(instructions|prompts?|articles|passages|sources)\b",
    r"\byou are now\b",
    r"\b(developer|god|jailbreak|DAN) mode\b",
    r"^\W*(system|assistant|ai|chatbot|model)\s*[:,]",
    r"\b(reply|respond|answer) (only |just )?with\b",
    r"\b(answer|reply to|respond to) (every|all|each|any) questions?\b",
    r"\b(answer|reply|response) to (every|all|each|any) questions?\b",
    r"\battention,? (ai|assistants?|language models?|chatbots?)\b",
    r"\bas an? (ai|language model|assistant)\b",
    r"\b(new|updated|override) (system )?(instructions|prompt)\b",
    r"\b(language model|ai assistant|chatbot)s?\b.*\b(must|should|shall)\b",
    r"\bcite nothing\b|\bdo not cite\b",
    r"\bforget (everything|all|what|your)\b",
    r"\bnote to (ai|the ai|assistants|language models|chatbots|the assistant)\b",
    r"\b(ai|assistants?|chatbots?|language models?)\s*(reading|processing) this\b",
    r"\b(tell|inform|remind|convince|assure) the (user|human|person asking)s?\b",
    r"\b(the|your) (user|human)'s (question|request)\b",
    r"^\W*(say|state|write|output|print|reply|respond|answer)\s+(only\s+)?(that|with|:)",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_instruction(text: str) -> bool:
    """Whether a sentence reads as a command to an AI assistant."""
    return bool(_INSTRUCTION.search(text.replace("`", "'").replace("\u2019", "'")))
