"""presslens: compare how several outlets covered the same story.

Stages, one module or subpackage each, data flowing one way (docs/architecture.md):
pages -> clean -> extract -> metrics -> stories -> compare -> report. Nothing here imports
Prefect; the flows in ``flows/`` compose these functions into scheduled, incremental runs.
"""

__version__ = "0.1.0"
# Bump whenever cleaning, extraction or metrics change what is written for a page: every
# page processed under an older version is processed again on the next run.
PIPELINE_VERSION = "2026.12.05.30"  # what changed with each version: CHANGELOG.md
