"""Offline evaluation of the assistant against hand-written gold questions.

Modules, one concern each: `gold` (read and validate eval/gold.jsonl, via `jsonl`), `metrics` and
`citations` (pure scoring functions), `records` (one scored item), `aggregate` (rates with Wilson
intervals, from `stats`), `provenance` (what a run was made with), `report`, `markdown`, `chart`
and `png` (the files a run writes), `runner` (runs the questions), `compare` (two reports side by
side), `calibrate` (the support judge against hand labels), `errors` and `cli` (`qa eval`). Importing this package
imports none of them, so `qa --help` stays fast.

Must not import: `bench`, `ui`, `cli`.
"""
