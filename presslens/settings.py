"""A run's settings, resolved once at the edge (the CLI, the flow's parameters) and passed in.

The library never reads the environment: :func:`resolve_settings` is where $PRESSLENS_WORKERS
and $PRESSLENS_SIMILARITY are read, user files are loaded and names are checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from presslens.roster import Roster
from presslens.stories.overrides import Overrides

WORKERS_ENV = "PRESSLENS_WORKERS"
SIMILARITY_ENV = "PRESSLENS_SIMILARITY"
DEFAULT_BATCH_SIZE = 25  # pages per batch: one Prefect task's worth of work


@dataclass(frozen=True)
class RunSettings:
    batch_size: int = DEFAULT_BATCH_SIZE
    workers: int = 1  # page-processing processes (1: in the calling process)
    similarity: str = "lexical"  # key-point backend: lexical or semantic
    entities: str = "rules"  # entity reader: spacy or rules
    overrides: Overrides = field(default_factory=Overrides)  # stories.yaml
    roster: Roster = field(default_factory=Roster)  # outlets.yaml
    regroup: bool = False  # group every article again, not only what new pages touch
    raw_csv: bool = False  # CSV cells that start like a spreadsheet formula written as they are (not neutralised)


def default_workers() -> int:
    """$PRESSLENS_WORKERS, else the number of cores."""
    return max(1, int(os.environ.get(WORKERS_ENV) or os.cpu_count() or 1))


def usable_similarity(name: str | None) -> str:
    """The key-point backend ``name`` checked, and for semantic its model loaded now, not half-way
    through a run (ValueError, RuntimeError or OSError say why it cannot run)."""
    from presslens.compare.keypoints import similarity_backend

    backend = similarity_backend(name)
    if backend == "semantic":
        from presslens.compare.embeddings import encoder

        encoder()
    return backend


def resolve_settings(
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    similarity: str | None = None,
    entities: str | None = None,
    stories_file: str | Path | None = None,
    outlets_file: str | Path | None = None,
    regroup: bool = False,
    raw_csv: bool = False,
) -> RunSettings:
    """Settings from the caller's choices, else the environment, else the defaults.

    Raises ValueError (a bad name or number), ReaderMissing / RuntimeError (a chosen extra is not
    installed), OverridesError / RosterError (a broken user file, with its line): before any work.
    """
    from presslens.compare.ner import entity_reader
    from presslens.roster import load_roster
    from presslens.stories.overrides import load_overrides

    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    workers = workers or default_workers()
    backend = usable_similarity(similarity or os.environ.get(SIMILARITY_ENV))
    return RunSettings(
        batch_size=batch_size,
        workers=max(1, workers),
        similarity=backend,
        entities=entity_reader(entities),
        overrides=load_overrides(stories_file) if stories_file else Overrides(),
        roster=load_roster(outlets_file) if outlets_file else Roster(),
        regroup=regroup,
        raw_csv=raw_csv,
    )
