"""The corpus tables on disk, laid out so that a run rewrites only what its changed stories touch.

Two kinds of table (every row of each belongs to one story):

- **Index tables** (``INDEX_TABLES``: one row per article, outlet × story, story or day) stay
  whole as ``processed/<name>.csv`` and ``.parquet``: they are what a spreadsheet user opens, and
  one row per article costs little to rewrite (measured in docs/benchmarks.md).
- **Detail tables** (``DETAIL_TABLES``: one row per sentence, measure, term, key point ×
  outlet, name …) hold most of the bytes, so they are kept as a Parquet dataset split into
  :data:`SHARDS` files by story: ``processed/tables/<name>/part-NN.parquet``. A run rewrites only
  the shards of the stories it rebuilt, about 1/64 of such a table per story touched.
  ``pandas.read_parquet("processed/tables/coverage")`` reads one whole; so does :func:`read_table`,
  and ``presslens export`` writes one as a CSV.

Shards are read back as one dataset, so every shard of a table must have the same column types:
the table registry (:mod:`presslens.table_registry`) declares them, and a table with an undeclared
column or a value that does not fit its type is refused when written, not discovered when read.
``tables/LAYOUT`` names how stories map to shards; a processed/ of another layout is rebuilt whole.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from presslens.store import atomic_write_bytes
from presslens.table_registry import DETAIL_TABLES, TABLES, arrow_table

if TYPE_CHECKING:  # imported where used: the CLI reads the table names below when it builds its parser
    import pandas as pd
    import pyarrow as pa

SHARDS = 64
TABLES_DIR = "tables"
LAYOUT = f"{SHARDS} shards by crc32 of the story\n"  # tables/LAYOUT: shards of another layout mean a full rebuild

def shard_of(story: str) -> int:
    """The shard a story's rows live in: stable across processes and Python versions (not ``hash``)."""
    return zlib.crc32(str(story).encode("utf-8")) % SHARDS


def shard_file(shard: int) -> str:
    return f"part-{shard:02d}.parquet"


def shard_path(out_dir: str | Path, name: str, shard: int) -> Path:
    return Path(out_dir) / TABLES_DIR / name / shard_file(shard)


def table_schema(name: str) -> pa.Schema:
    """The Arrow schema of a table's declared columns (:mod:`presslens.table_registry`)."""
    return TABLES[name].schema()


def conform(df: pd.DataFrame, name: str) -> pa.Table:
    """``df`` as an Arrow table of the table's declared column types; a clear error otherwise."""
    return arrow_table(df, name)


def write_shard(df: pd.DataFrame, out_dir: str | Path, name: str, shard: int) -> Path:
    """Write (atomically) or, when ``df`` has no rows, remove one shard of a detail table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = shard_path(out_dir, name, shard)
    if df.empty:
        path.unlink(missing_ok=True)
        return path
    sink = pa.BufferOutputStream()
    pq.write_table(conform(df, name), sink)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
    return path


def read_shard(out_dir: str | Path, name: str, shard: int) -> pd.DataFrame | None:
    import pandas as pd

    path = shard_path(out_dir, name, shard)
    return pd.read_parquet(path) if path.exists() else None


def shards_present(out_dir: str | Path) -> bool:
    """Whether processed/ holds the detail tables in this layout's shards (an older processed/ does not)."""
    tables = Path(out_dir) / TABLES_DIR
    try:
        layout = (tables / "LAYOUT").read_text(encoding="utf-8")
    except OSError:
        return False
    return layout == LAYOUT and all((tables / name).is_dir() for name in DETAIL_TABLES)


def shard_names() -> set[str]:
    return {shard_file(shard) for shard in range(SHARDS)}


def read_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """A whole corpus table, index or detail, rows in story order (as they were before sharding)."""
    import pandas as pd

    out = Path(out_dir)
    if TABLES[name].kind != "detail":
        return pd.read_parquet(out / f"{name}.parquet")
    folder = out / TABLES_DIR / name
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} does not exist")
    parts = [pd.read_parquet(p) for p in sorted(folder.glob("part-*.parquet"))]
    # no parts: a table with no rows in this corpus (no story named an actor, say)
    return story_ordered(parts, table_schema(name).empty_table().to_pandas())


def story_ordered(frames: list, empty: pd.DataFrame) -> pd.DataFrame:
    """The frames (None or empty ones skipped; ``empty`` when none is left) as one table in story
    order, a story's own rows keeping their order."""
    import pandas as pd

    frames = [f for f in frames if f is not None and not f.empty] or [empty]
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return table.sort_values("story", kind="stable").reset_index(drop=True)
