"""No knowledge of the evaluation articles in the answer code: a proper noun from corpus/ or eval/
must not appear in the packages that decide answers (outside docstrings, comments and help
texts), in their data files, or in prompts/.

A word list, rule or few-shot example that names something from the bundled articles fits the
product to them; answers must come from general machinery that works on articles never seen.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from spacy.glossary import GLOSSARY

ROOT = Path(__file__).resolve().parents[1]
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
HELP_KEYWORDS = {"help", "description", "epilog", "usage"}
# The packages that decide answers. The UI, the chat loop, the eval and the bench show or measure
# answers and never change one; their strings ("context", "mark") are not checked.
ANSWERING = ("answer", "language", "retrieve", "index", "backends")


def _texts() -> list[str]:
    folders = ("corpus", "eval/injection", "eval/tuning/corpus", "eval/heldout/corpus")
    texts = [p.read_text(encoding="utf-8") for folder in folders for p in sorted((ROOT / folder).glob("*.txt"))]
    for gold in ("eval/gold.jsonl", "eval/tuning/gold.jsonl", "eval/heldout/gold.jsonl",
                 "eval/conversations.jsonl"):
        path = ROOT / gold
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def proper_nouns() -> set[str]:
    """Capitalised words standing mid-sentence that the texts never write in lower case."""
    texts = _texts()
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        capitalised |= set(re.findall(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b", text))
        lower |= set(re.findall(r"\b[a-z]{4,}\b", text))
    return {w for w in capitalised if w.lower() not in lower and w.lower() not in CALENDAR}


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are not docstrings or help texts, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.keyword) and node.arg in HELP_KEYWORDS:
            skip.update(id(n) for n in ast.walk(node.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
            and n.value not in GLOSSARY]  # spaCy's own labels ("mark", "poss") are not names


def _hits(names: set[str]) -> list[str]:
    """Code strings are matched in any case ("dutch" in an alias list); prose (prompts, data files)
    only as a name, capitalised, since "council" there is an ordinary word."""
    alternatives = "|".join(sorted(map(re.escape, names)))
    pattern = re.compile(r"\b(" + alternatives + r")\b", re.IGNORECASE)
    as_name = re.compile(r"\b(" + alternatives + r")\b")
    found = []
    code = [p for part in ANSWERING for p in (ROOT / "qa" / part).rglob("*.py")]
    for path in sorted(code) + [ROOT / "qa" / "assistant.py", ROOT / "qa" / "config.py"]:
        for line, value in _code_strings(path):
            for match in pattern.finditer(value):
                found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    data_files = [p for p in (ROOT / "qa").rglob("*") if p.suffix in (".txt", ".json")]
    for path in sorted(data_files) + sorted((ROOT / "prompts").glob("*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            text = json.dumps(json.loads(text))
        for number, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            found += [f"{path.relative_to(ROOT)}:{number}: {m.group(0)}" for m in as_name.finditer(line)]
    return found


def test_the_articles_have_proper_nouns_to_check() -> None:
    names = proper_nouns()
    assert len(names) > 50  # the check below is only as good as this list


def test_no_proper_noun_from_the_articles_in_answer_code_or_prompts() -> None:
    hits = _hits(proper_nouns())
    assert hits == [], "names from the evaluation articles in qa/ or prompts/:\n" + "\n".join(hits[:30])


def test_the_check_finds_a_planted_name(tmp_path: Path) -> None:
    names = proper_nouns()
    planted = sorted(names)[0]
    module = tmp_path / "m.py"
    module.write_text(f'"""Docstring naming {planted} is fine."""\nALIASES = {{"{planted.lower()}": 1}}\n')
    strings = [value for _, value in _code_strings(module)]
    assert strings == [planted.lower()]
