"""Language: text normalisation, spaCy analysis of sentences and questions, and the closed word
classes (reporting verbs, measure, time and place nouns, countries and demonyms).

Owns: `text` (normalising and matching text), `analysis` (typed sentence analyses), `nlp` (the
spaCy analyser), `lexicon` (word classes from `data/`). May import only `config` and `errors`.

Must not import: `index`, `retrieve`, `answer`, `backends`, `eval`, `bench`, `ui`, `assistant`, `cli`.
"""
