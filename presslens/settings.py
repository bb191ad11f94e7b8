"""A run's settings: the user's choices (:class:`RunOptions`), resolved once at the edge into the
:class:`RunSettings` every step is handed.

The CLI builds the options from its flags, the flow takes them as its parameters (a deployment's
``settings: {workers: 2}``); :func:`resolve_settings` turns them into settings once — the
environment read, names checked, user files loaded — and nothing below reads a file or the
environment again. This module is the only one under ``presslens/`` that reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from presslens.roster import Roster
from presslens.stories.overrides import Overrides

WORKERS_ENV = "PRESSLENS_WORKERS"
SIMILARITY_ENV = "PRESSLENS_SIMILARITY"
DASK_ADDRESS_ENV = "PRESSLENS_DASK_ADDRESS"
TIMINGS_ENV = "PRESSLENS_TIMINGS"
ALLOW_PRIVATE_URLS_ENV = "PRESSLENS_ALLOW_PRIVATE_URLS"
DEFAULT_BATCH_SIZE = 25  # pages per batch: one Prefect task's worth of work


@dataclass(frozen=True)
class RunOptions:
    """What the user chose for a run, as plain data (a flow parameter, JSON in a deployment).

    None (or "auto") means: the environment, else the default. Nothing is checked or read here:
    :func:`resolve_settings` does that once.
    """

    batch_size: int = DEFAULT_BATCH_SIZE
    workers: int | None = None  # $PRESSLENS_WORKERS, else the number of cores
    similarity: str | None = None  # key-point backend: $PRESSLENS_SIMILARITY, else lexical
    entities: str = "auto"  # entity reader: spacy, rules, or auto (spacy when installed)
    stories_file: str | None = "stories.yaml"  # story decisions (None: none)
    outlets_file: str | None = "outlets.yaml"  # outlets followed, with their leans (None: none)
    regroup: bool = False  # group every article again, not only what new pages touch
    raw_csv: bool = False  # CSV cells that start like a spreadsheet formula written as they are
    dask_address: str | None = None  # Dask scheduler for the page batches: $PRESSLENS_DASK_ADDRESS, else none
    timings_file: str | None = None  # where timed library work is logged: $PRESSLENS_TIMINGS, else nowhere


@dataclass(frozen=True)
class RunSettings:
    """A run's settings, resolved: what every step of the run is handed (built by :func:`resolve_settings`;
    tests build one directly)."""

    batch_size: int = DEFAULT_BATCH_SIZE
    workers: int = 1  # page-processing processes (1: in the calling process)
    similarity: str = "lexical"  # key-point backend: lexical or semantic
    entities: str = "rules"  # entity reader: spacy or rules
    overrides: Overrides = field(default_factory=Overrides)  # stories.yaml, loaded
    roster: Roster = field(default_factory=Roster)  # outlets.yaml, loaded
    regroup: bool = False  # group every article again, not only what new pages touch
    raw_csv: bool = False  # CSV cells that start like a spreadsheet formula written as they are (not neutralised)
    dask_address: str | None = None  # page batches run on this Dask scheduler (None: on this machine)
    timings_file: str | None = None  # timed library work appended here as JSON lines (None: not logged)

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        """As a flow parameter, settings are taken as the object the caller resolved, never built from a
        dict (a dict is :class:`RunOptions`, resolved in the flow); they serialise as plain data."""
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(
            cls, serialization=core_schema.plain_serializer_function_ser_schema(asdict)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler):
        return {"type": "object", "title": "RunSettings", "description": "settings resolved by the caller"}


def default_workers() -> int:
    """$PRESSLENS_WORKERS, else the number of cores."""
    return max(1, int(os.environ.get(WORKERS_ENV) or os.cpu_count() or 1))


def private_urls_allowed() -> bool:
    """$PRESSLENS_ALLOW_PRIVATE_URLS: whether ``presslens add URL`` may fetch from a non-public address."""
    return os.environ.get(ALLOW_PRIVATE_URLS_ENV, "").lower() in ("1", "true", "yes")


def prefect_api_in_environment() -> bool:
    """$PREFECT_API_URL is set: Prefect talks to that API and starts no temporary server (one set in a
    Prefect profile or prefect.toml is read by Prefect itself)."""
    return bool(os.environ.get("PREFECT_API_URL"))


def usable_similarity(name: str | None) -> str:
    """The key-point backend ``name`` checked, and for semantic its model loaded now, not half-way
    through a run (ValueError, RuntimeError or OSError say why it cannot run)."""
    from presslens.compare.keypoints import similarity_backend

    backend = similarity_backend(name)
    if backend == "semantic":
        from presslens.compare.embeddings import encoder

        encoder()
    return backend


def resolve_settings(options: RunOptions | None = None) -> RunSettings:
    """The settings of a run with ``options``: each choice, else the environment, else the default.

    Raises ValueError (a bad name or number), ReaderMissing / RuntimeError (a chosen extra is not
    installed), OverridesError / RosterError (a broken user file, with its line): before any work.
    """
    from presslens.metrics.entities import entity_reader
    from presslens.roster import load_roster
    from presslens.stories.overrides import load_overrides

    options = options or RunOptions()
    if options.batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {options.batch_size}")
    return RunSettings(
        batch_size=options.batch_size,
        workers=max(1, options.workers or default_workers()),
        similarity=usable_similarity(options.similarity or os.environ.get(SIMILARITY_ENV)),
        entities=entity_reader(options.entities),
        overrides=load_overrides(options.stories_file) if options.stories_file else Overrides(),
        roster=load_roster(options.outlets_file) if options.outlets_file else Roster(),
        regroup=options.regroup,
        raw_csv=options.raw_csv,
        dask_address=options.dask_address or os.environ.get(DASK_ADDRESS_ENV) or None,
        timings_file=options.timings_file or os.environ.get(TIMINGS_ENV) or None,
    )
