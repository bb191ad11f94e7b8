"""presslens: compare how several outlets covered the same story.

The library, in stages handing data one way (docs/architecture.md):
pages -> clean -> extract -> metrics -> stories -> compare -> report; ``processing`` (a page's work),
``building`` (a story's tables) and ``pipeline`` (the run) compose them over raw/ into processed/.

Takes: the paths of raw/ and processed/ and a resolved ``settings.RunSettings``. Hands on: processed/
(records, states, tables, reports), rebuildable from raw/. Never: imports Prefect or ``flows/`` below the
CLI, writes into raw/, or reads the environment outside ``settings.py``.
"""

__version__ = "0.1.0"
# Bump whenever cleaning, extraction or metrics change what is written for a page: every
# page processed under an older version is processed again on the next run.
PIPELINE_VERSION = "2026.12.07.50"  # what changed with each version: CHANGELOG.md
# Bump whenever the story tables or reports change for the same records (a column, a rule of compare/, a
# report's wording): every story's tables and report are built again on the next run, no page is processed.
TABLES_VERSION = "2026.12.07.50"
