"""Where a run's wall time goes: opt-in intervals of library work, for the scale benchmark.

When the run's settings name a timings file (``RunSettings.timings_file``, from $PRESSLENS_TIMINGS),
:func:`record_timings` points this process at it and every :func:`timed` call appends one JSON
line (``name``, ``start``, ``end`` in epoch seconds, ``pid``). The benchmark takes the union of
these intervals as the pipeline's own time; the rest of a run's wall time is Python start-up,
imports and the orchestrator. Unset (the default), :func:`timed` costs one global lookup.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator

_timings_file: str | None = None  # this process's timings file (None: nothing is recorded)


def record_timings(path: str | os.PathLike | None) -> None:
    """Append this process's :func:`timed` intervals to ``path`` from now on (None: stop recording).
    Called where a run starts in a process: the run itself, a pool worker, a Dask worker's batch."""
    global _timings_file
    _timings_file = os.fspath(path) if path else None


def timings_file() -> str | None:
    """Where this process records its timings (None: nowhere); a worker process it starts records there too."""
    return _timings_file


@contextlib.contextmanager
def timed(name: str) -> Iterator[None]:
    path = _timings_file
    if not path:
        yield
        return
    start = time.time()
    try:
        yield
    finally:
        line = json.dumps({"name": name, "start": start, "end": time.time(), "pid": os.getpid()}) + "\n"
        # one write() of a short line in append mode: lines from threads and processes do not interleave
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)


def read_intervals(path: str | os.PathLike) -> list[dict]:
    with contextlib.suppress(FileNotFoundError), open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
    return []


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    """Total time covered by possibly overlapping intervals (two batches at once count once)."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if start > end:
            total += stop - start
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total
