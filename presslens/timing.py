"""Where a run's wall time goes: opt-in intervals of library work, for the scale benchmark.

When ``PRESSLENS_TIMINGS`` names a file, every :func:`timed` call appends one JSON line
(``name``, ``start``, ``end`` in epoch seconds, ``pid``). The benchmark takes the union of
these intervals as the pipeline's own time; the rest of a run's wall time is Python start-up,
imports and the orchestrator. Unset (the default), :func:`timed` costs one dict lookup.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator

ENV = "PRESSLENS_TIMINGS"


@contextlib.contextmanager
def timed(name: str) -> Iterator[None]:
    path = os.environ.get(ENV)
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
