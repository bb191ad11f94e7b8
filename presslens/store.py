"""processed/: atomic writes, per-page state for incremental runs, and the run lock.

Every file is written to a temporary name in the same folder and renamed into place, so a
reader (or a run killed half-way) never sees a half-written table.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import itertools
import json
import os
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presslens.record import ArticleRecord

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


class RunLocked(RuntimeError):
    """Another run holds processed/'s lock."""


# While a table build runs (:func:`unsynced_writes`): the folder it writes and the stamp of each file written.
_UNSYNCED: contextvars.ContextVar[tuple[str, dict[str, list[int]]] | None] = contextvars.ContextVar(
    "presslens_unsynced", default=None
)


def file_stamp(data: bytes) -> list[int]:
    """[size, crc32] of a file's bytes: what a manifest records of each file it vouches for."""
    return [len(data), zlib.crc32(data)]


@contextlib.contextmanager
def unsynced_writes(root: str | Path) -> Iterator[dict[str, list[int]]]:
    """While active, a file written here under ``root`` is not flushed to disk (no fsync: a table build
    wrote ~1,000 files, each fsync 2-5 ms of wall time); the dict yielded gets each one's path relative
    to ``root`` -> :func:`file_stamp`, for a manifest written last, flushed, and checked by the next
    run (:mod:`presslens.building`), which rebuilds what a crash left empty or torn."""
    written: dict[str, list[int]] = {}
    token = _UNSYNCED.set((os.path.abspath(root), written))
    try:
        yield written
    finally:
        _UNSYNCED.reset(token)


def _unsynced_name(path: Path) -> tuple[str, dict[str, list[int]]] | None:
    """``path``'s name relative to the folder of an active :func:`unsynced_writes`, and its dict."""
    active = _UNSYNCED.get()
    if active is None:
        return None
    root, written = active
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return Path(relative).as_posix(), written


def vouch_unchanged(path: str | Path, data: bytes) -> None:
    """Record ``path`` (which already holds ``data``: its write was skipped) in an active :func:`unsynced_writes`."""
    found = _unsynced_name(Path(path))
    if found is not None:
        found[1][found[0]] = file_stamp(data)


def atomic_write_bytes(path: str | Path, data: bytes, durable: bool = True) -> None:
    """``data`` written to a temporary file and renamed into place; ``durable``: flushed to disk (fsync)
    first, so a crash cannot leave the new name on an empty file. Under an active :func:`unsynced_writes`,
    never flushed: recorded there instead."""
    path = Path(path)
    unsynced = _unsynced_name(path)
    if unsynced is not None:
        durable = False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are meant to be read by others
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if unsynced is not None:
        unsynced[1][unsynced[0]] = file_stamp(data)


JSON_CHUNK_ITEMS = 200  # entries of a mapping or list encoded at once when JSON is streamed (~0.5 MB held)


def _json_pieces(value: Any, ensure_ascii: bool, chunk: int = JSON_CHUNK_ITEMS) -> Iterator[str]:
    """``json.dumps(value, default=str)`` in pieces: a mapping (str keys; one that is not a dict may
    make its values as they are read) or a list with more than ``chunk`` entries is walked ``chunk``
    entries at a time, each run of plain entries encoded by the C encoder, so no piece holds more than
    that many of its entries. Joined, the pieces are exactly the one-shot text."""

    def dumps(part: Any) -> str:
        return json.dumps(part, ensure_ascii=ensure_ascii, default=str)

    def big(item: Any) -> bool:
        """More than ``chunk`` entries, a mapping that is not a dict (it makes its values when read),
        or a small container holding such."""
        if isinstance(item, Mapping):
            return len(item) > chunk or not isinstance(item, dict) or any(map(big, item.values()))
        return isinstance(item, list | tuple) and (len(item) > chunk or any(map(big, item)))

    if not big(value):
        yield dumps(dict(value) if isinstance(value, Mapping) else value)
        return
    mapping = isinstance(value, Mapping)
    entries = iter(value.items() if mapping else value)
    yield "{" if mapping else "["
    first = True
    while run := list(itertools.islice(entries, chunk)):
        small: list = []  # consecutive entries encoded together
        for entry in run + [None]:
            item = entry[1] if mapping and entry is not None else entry
            if entry is not None and not big(item):
                small.append(entry)
                continue
            if small:
                text = dumps(dict(small) if mapping else small)[1:-1]
                yield ("" if first else ", ") + text
                first, small = False, []
            if entry is None:
                break
            if mapping:  # an entry holding a big mapping or list is streamed too
                if not isinstance(entry[0], str):
                    raise TypeError(f"streamed JSON needs str keys, not {type(entry[0]).__name__}")
                yield ("" if first else ", ") + dumps(entry[0]) + ": "
            elif not first:
                yield ", "
            first = False
            yield from _json_pieces(item, ensure_ascii, chunk)
    yield "}" if mapping else "]"


def atomic_write_json_stream(path: str | Path, data: Any) -> None:
    """``data`` as one line of JSON (the bytes :func:`atomic_write_json` writes with ``indent=None``),
    encoded and written a piece at a time (:func:`_json_pieces`): the whole text is never held, which
    matters for files that grow with the corpus (``grouping.json``). Atomic as every write here."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                for piece in _json_pieces(data, ensure_ascii=False):
                    fh.write(piece.encode("utf-8"))
            except UnicodeEncodeError:  # an unpaired surrogate: the whole file with \u escapes
                fh.seek(0)
                fh.truncate()
                for piece in _json_pieces(data, ensure_ascii=True):
                    fh.write(piece.encode("ascii"))
            fh.write(b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | Path, data: Any, indent: int | None = 1, durable: bool = True) -> None:
    """``indent=None`` for the files written once per page (records, states): one line, and
    Python's C encoder (an indented dump takes the pure-Python one, ~8x slower). A text holding an
    unpaired surrogate (which UTF-8 cannot encode) is written with \\u escapes, so saving never fails."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str) + "\n"
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        encoded = (json.dumps(data, ensure_ascii=True, indent=indent, default=str) + "\n").encode("ascii")
    atomic_write_bytes(path, encoded, durable)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula


def neutralise_formula(value: Any) -> Any:
    """A text cell that starts like a spreadsheet formula, with a ``'`` in front (OWASP's advice for CSV
    injection): Excel, LibreOffice and Google Sheets then show the text instead of running it."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_text(df: pd.DataFrame, raw_csv: bool = False, table: str | None = None) -> str:
    """``df`` as CSV, every text cell a spreadsheet would run as a formula neutralised
    (:func:`neutralise_formula`) unless ``raw_csv``; numbers stay numbers. A table of the registry
    (``table``) is written by :func:`arrow_csv` (its declared types, list cells joined). Every CSV
    presslens writes goes through here; Parquet keeps the text as it is."""
    from presslens.table_registry import TABLES, arrow_table

    if table in TABLES:
        return arrow_csv(arrow_table(df, table), table, raw_csv).decode("utf-8")
    if not raw_csv:
        text_columns = [c for c in df.columns if df[c].dtype == object or str(df[c].dtype) in ("str", "string")]
        if text_columns:
            df = df.assign(**{c: df[c].map(neutralise_formula) for c in text_columns})
    return df.to_csv(index=False)


_FORMULA_PATTERN = "^[=+\\-@\t\r]"  # FORMULA_START as a regular expression


def arrow_csv(table: pa.Table, name: str, raw_csv: bool = False) -> bytes:
    """A registered table (Arrow, its declared types) as CSV bytes, written by Arrow's C++ writer (pandas'
    ``to_csv`` took ~8x longer, and a run writes the whole index tables): each list cell joined by its
    column's ``joined_by``, formula-like text neutralised as :func:`neutralise_formula` does unless ``raw_csv``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    from presslens.table_registry import TABLES

    columns = TABLES[name].column_of
    out = []
    for field in table.schema:
        values = table[field.name]
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            values = pc.fill_null(pc.binary_join(values, columns[field.name].joined_by), "")
        if not raw_csv and (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            formula = pc.fill_null(pc.match_substring_regex(values, _FORMULA_PATTERN), False)
            values = pc.if_else(formula, pc.binary_join_element_wise("'", values, ""), values)
        out.append(values)
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(pa.table(out, names=table.column_names), sink, pa_csv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def text_columns_as_str(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every column of texts (and nulls) in pandas' ``str`` dtype: a column all null in one
    story's rows is ``object`` there, and pandas' concatenation of such parts depends on which parts a
    build concatenated, so a full and an incremental build would write different Parquet types."""
    fixed = {}
    for column in df.columns:
        values = df[column]
        if values.dtype == object and all(isinstance(v, str) for v in values.dropna()):
            fixed[column] = values.astype("str")
    return df.assign(**fixed) if fixed else df


def write_table(df: pd.DataFrame, out_dir: str | Path, name: str, raw_csv: bool = False) -> list[Path]:
    """Write ``name``.csv (see :func:`csv_text`) and ``name``.parquet under ``out_dir``, each atomically;
    a table of the registry (:mod:`presslens.table_registry`) with its declared column types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from presslens.table_registry import TABLES, arrow_table

    out = Path(out_dir)
    csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
    if name in TABLES:
        table = arrow_table(df, name)
        atomic_write_bytes(csv_path, arrow_csv(table, name, raw_csv))
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        atomic_write_bytes(parquet_path, sink.getvalue().to_pybytes())
    else:
        atomic_write_text(csv_path, csv_text(df, raw_csv))
        atomic_write_bytes(parquet_path, text_columns_as_str(df).to_parquet(index=False))
    return [csv_path, parquet_path]


def read_json(path: str | Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@contextlib.contextmanager
def run_lock(out_dir: str | Path, wait: bool = False) -> Iterator[Path]:
    """Hold processed/.lock for the duration of a run; a second run fails fast with a clear message."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lock_path = out / ".lock"
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RunLocked(f"{out} is being updated by another run ({holder}); try again when it finishes") from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield lock_path
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


class Store:
    """Paths and records under processed/."""

    def __init__(self, out_dir: str | Path):
        self.root = Path(out_dir)
        self.articles = self.root / "articles"
        self.state = self.root / "state"

    def article_path(self, article_id: str) -> Path:
        return self.articles / f"{article_id}.json"

    def state_path(self, article_id: str) -> Path:
        return self.state / f"{article_id}.json"

    def load_states(self) -> dict[str, dict]:
        """article_id -> its state (:func:`presslens.pipeline.page_state`); unreadable files are ignored (redone)."""
        states = {}
        if self.state.is_dir():
            for path in self.state.glob("*.json"):
                with contextlib.suppress(OSError, ValueError):
                    states[path.stem] = read_json(path)
        return states

    def save_state(self, article_id: str, state: dict) -> None:
        """Not flushed to disk (an fsync cost ~4 ms of wall time a page): it is written after the page's
        record, which is; a state a crash left empty or old is unreadable or stale, and the page is redone."""
        atomic_write_json(self.state_path(article_id), state, indent=None, durable=False)

    def forget(self, article_id: str) -> None:
        for path in (self.article_path(article_id), self.state_path(article_id)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def save_article(self, record: ArticleRecord) -> None:
        atomic_write_json(self.article_path(record.article_id), record.to_dict(), indent=None)

    def load_article(self, article_id: str) -> ArticleRecord | None:
        """One article's record, or None when it is missing or unreadable (the page is then redone)."""
        with contextlib.suppress(OSError, ValueError, TypeError):
            return ArticleRecord.from_dict(read_json(self.article_path(article_id)))
        return None
