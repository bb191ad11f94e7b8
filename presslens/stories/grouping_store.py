"""Every article's grouping features kept between runs, so a run reads only the states that changed.

The grouping step needs the event features of every processed article (:mod:`.features`), and a
corpus' idf depends on all of them. Parsing every ``processed/state/<article>.json`` on every run
made one new page cost time in proportion to the corpus. The store keeps the features as raw
term counts (not weights: every weight depends on the idf, which moves with each new article)
with each term's document frequency, so a run updates the counts of the articles that changed
and weighs only the rows it scores (:mod:`.grouping`).

- ``processed/grouping-store.npz``: the base — one row per state file (its size and mtime, the
  article's fingerprint, features as term ids and counts, the headline's terms, dates, outlet),
  the vocabularies in sorted order (a term's id is its rank: rows order their terms alike however
  the store was built), the document frequencies, :data:`STORE_VERSION` and a generation number.
- ``processed/grouping-store.log``: the changes since the base, one JSON line per state file
  added, changed or gone; the base is written anew when the log passes :data:`MAX_LOG_ENTRIES`.

A state file is read again when its size or mtime differs from the store's, or when it was written
less than :data:`RACY_SECONDS` before the store saw it (a second write within the clock's
resolution would leave both unchanged). A store that is missing, of another version, unreadable,
or whose log does not belong to its base is rebuilt from the state files.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from presslens.stories.features import MAX_DATES, MAX_TERMS, MAX_TITLE_TERMS, EventFeatures

STORE_VERSION = 3  # bump when the store's layout or what a row holds changes: the store is rebuilt
STORE_FILE = "grouping-store.npz"
LOG_FILE = "grouping-store.log"
MAX_LOG_ENTRIES = 1000  # changes kept in the log before the base is written anew
RACY_SECONDS = 2.0  # a state file written this close to the store's look at it is read again
MAX_STATE_FILES = 10_000_000  # state files one store holds (a bound on the listing loop)
_KINDS = {"N:": 1, "P:": 2, "S:": 3, "A:": 4, "#:": 5, "Y:": 6}  # term prefix -> kind; 0: a word
_SEPARATOR = "\n"  # between the strings of a vocabulary (terms hold no line breaks)


def term_kind(term: str) -> int:
    """0 for a word, else the kind of a prefixed feature (names, runs, streets, ages, numbers, years)."""
    return _KINDS.get(term[:2], 0)


def _day_ordinal(value: str | None) -> float:
    try:
        return float(date.fromisoformat(value).toordinal()) if value else np.nan
    except ValueError:
        return np.nan


class Vocabulary:
    """Terms in sorted order (a term's id is its rank), with how many live rows hold each."""

    def __init__(self, terms: list[str] | None = None, df: np.ndarray | None = None):
        self.terms = terms or []
        self.df = df if df is not None else np.zeros(len(self.terms), dtype=np.int64)
        self.kinds = np.fromiter((term_kind(t) for t in self.terms), dtype=np.int8, count=len(self.terms))

    def add(self, new_terms: Iterable[str]) -> np.ndarray | None:
        """Insert the terms not yet known; returns old id -> new id (None when nothing was added)."""
        import bisect

        wanted = set(new_terms)
        fresh = sorted(wanted - self._known(wanted))
        if not fresh:
            return None
        at = [bisect.bisect_left(self.terms, t) for t in fresh]
        old = len(self.terms)
        remap = np.arange(old, dtype=np.int64) + np.searchsorted(np.asarray(at), np.arange(old), side="right")
        merged: list[str] = []
        previous = 0
        for position, term in zip(at, fresh, strict=True):
            merged += self.terms[previous:position]
            merged.append(term)
            previous = position
        merged += self.terms[previous:]
        new_ids = np.asarray(at, dtype=np.int64) + np.arange(len(fresh))
        df = np.zeros(len(merged), dtype=np.int64)
        df[remap] = self.df
        kinds = np.zeros(len(merged), dtype=np.int8)
        kinds[remap] = self.kinds
        kinds[new_ids] = [term_kind(t) for t in fresh]
        self.terms, self.df, self.kinds = merged, df, kinds
        return remap

    def _known(self, terms: set[str]) -> set[str]:
        import bisect

        known = set()
        for t in terms:
            k = bisect.bisect_left(self.terms, t)
            if k < len(self.terms) and self.terms[k] == t:
                known.add(t)
        return known

    def ids(self, terms: Iterable[str]) -> np.ndarray:
        import bisect

        return np.array([bisect.bisect_left(self.terms, t) for t in terms], dtype=np.int64)


class TermRows:
    """Each row's term ids (ascending) and counts, packed one row after another (CSR): a row costs
    the terms it holds, not MAX_TERMS slots (GVA and ECB+ articles hold ~140 of 300)."""

    def __init__(self, width: int, ptr=None, ids=None, counts=None):
        self.width = width  # the most terms a row holds
        self.ptr = np.zeros(1, dtype=np.int64) if ptr is None else np.asarray(ptr, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int32) if ids is None else np.asarray(ids, dtype=np.int32)
        self.counts = np.zeros(0, dtype=np.float32) if counts is None else np.asarray(counts, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def row(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        return self.ids[self.ptr[r] : self.ptr[r + 1]], self.counts[self.ptr[r] : self.ptr[r + 1]]

    def append(self, rows: list[tuple[np.ndarray, np.ndarray]]) -> None:
        lengths = np.fromiter((len(ids) for ids, _ in rows), dtype=np.int64, count=len(rows))
        self.ptr = np.concatenate([self.ptr, self.ptr[-1] + np.cumsum(lengths)])
        self.ids = np.concatenate([self.ids, *(ids.astype(np.int32) for ids, _ in rows)])
        self.counts = np.concatenate([self.counts, *(c.astype(np.float32) for _, c in rows)])

    def remap(self, remap: np.ndarray) -> None:
        """Renumber the term ids (old id -> new id), in place."""
        self.ids = remap.astype(np.int32)[self.ids] if len(self.ids) else self.ids

    def kept(self, keep: np.ndarray) -> TermRows:
        """The rows where ``keep`` is True, packed anew."""
        lengths = np.diff(self.ptr)[keep]
        entries = np.repeat(keep, np.diff(self.ptr))
        ptr = np.concatenate([[0], np.cumsum(lengths)])
        return TermRows(self.width, ptr, self.ids[entries], self.counts[entries])

    def block(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``rows`` as dense blocks (term ids, -1: none; counts), as wide as their longest row."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, lengths = self.ptr[rows], self.ptr[rows + 1] - self.ptr[rows]
        width = int(lengths.max(initial=0))
        terms = np.full((len(rows), width), -1, dtype=np.int32)
        counts = np.zeros((len(rows), width), dtype=np.float32)
        which = np.repeat(np.arange(len(rows)), lengths)
        place = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        source = np.repeat(starts, lengths) + place
        terms[which, place] = self.ids[source]
        counts[which, place] = self.counts[source]
        return terms, counts

    def holding(self, wanted: np.ndarray) -> np.ndarray:
        """The rows holding a term where ``wanted`` (a bool per term id) is True."""
        entries = np.flatnonzero(wanted[self.ids])
        return np.unique(np.searchsorted(self.ptr, entries, side="right") - 1)


@dataclass
class Row:
    """One state file as the store keeps it (``features`` None: a page that gave no article)."""

    article_id: str
    size: int
    mtime_ns: int
    fingerprint: str
    features: EventFeatures | None
    ok: bool = False  # whether the page gave an article
    errors: list = field(default_factory=list)  # the page's error rows, as the state file holds them


class GroupingStore:
    """The rows of every state file; term blocks of width MAX_TERMS (-1: no term), per-row arrays."""

    def __init__(self) -> None:
        self.generation = 0
        self.seen_ns = 0  # when the store last looked at the state files
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        self.size = np.zeros(0, dtype=np.int64)
        self.mtime = np.zeros(0, dtype=np.int64)
        self.fingerprints: list[str] = []
        self.live = np.zeros(0, dtype=bool)  # an article whose features count
        self.vocab = Vocabulary()
        self.title_vocab = Vocabulary()
        self.terms = TermRows(MAX_TERMS)  # counts: whole numbers, exact in float32
        self.title_terms = TermRows(MAX_TITLE_TERMS)
        self.days = np.zeros(0)
        self.dates = np.zeros((0, 1 + MAX_DATES))
        self.outlets: list[str] = []
        self.titles: list[str] = []
        self.pinned: list[str | None] = []
        self.ok: list[bool] = []
        self.errors: list[list] = []
        self.log: list[dict] = []  # changes since the base, as written to the log

    # --- changes --------------------------------------------------------------------------

    def apply(self, rows: list[Row], gone: Iterable[str] = ()) -> None:
        """Put ``rows`` (new or replacing a row of the same article) and drop the ``gone`` articles."""
        for aid in gone:
            r = self.row_of.pop(aid, None)
            if r is not None:
                self._forget(r)
                self.ids[r] = ""
        if not rows:
            return
        for row in rows:
            r = self.row_of.get(row.article_id)
            if r is not None:
                self._forget(r)
                self.ids[r] = ""
                del self.row_of[row.article_id]
        feats = [row.features for row in rows if row.features is not None]
        remap = self.vocab.add(t for f in feats for t in f.terms)
        if remap is not None:
            self.terms.remap(remap)
        remap = self.title_vocab.add(t for f in feats for t in f.title_terms)
        if remap is not None:
            self.title_terms.remap(remap)
        k, start = len(rows), len(self.ids)
        empty = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        terms, title_terms = [empty] * k, [empty] * k
        days = np.full(k, np.nan)
        dates = np.full((k, 1 + MAX_DATES), np.nan)
        for n, row in enumerate(rows):
            f = row.features
            self.ids.append(row.article_id)
            self.row_of[row.article_id] = start + n
            self.fingerprints.append(row.fingerprint)
            self.outlets.append(f.outlet if f else "")
            self.titles.append(f.title if f else "")
            self.pinned.append(f.pinned if f else None)
            self.ok.append(bool(row.ok))
            self.errors.append(list(row.errors))
            if f is None:
                continue
            for ids, values, packed, vocab, width in (
                (self.vocab.ids(f.terms), f.terms.values(), terms, self.vocab, MAX_TERMS),
                (
                    self.title_vocab.ids(f.title_terms),
                    f.title_terms.values(),
                    title_terms,
                    self.title_vocab,
                    MAX_TITLE_TERMS,
                ),
            ):
                order = np.argsort(ids, kind="stable")[:width]
                packed[n] = ids[order], np.fromiter(values, dtype=float, count=len(ids))[order]
                vocab.df[ids[order]] += 1
            days[n] = _day_ordinal(f.day)
            named = [_day_ordinal(d) for d in f.dates[:MAX_DATES]]
            dates[n, 0] = days[n]
            dates[n, 1 : 1 + len(named)] = named
        self.size = np.concatenate([self.size, [row.size for row in rows]]).astype(np.int64)
        self.mtime = np.concatenate([self.mtime, [row.mtime_ns for row in rows]]).astype(np.int64)
        self.live = np.concatenate([self.live, [row.features is not None for row in rows]])
        self.terms.append(terms)
        self.title_terms.append(title_terms)
        self.days = np.concatenate([self.days, days])
        self.dates = np.concatenate([self.dates, dates])

    def _forget(self, r: int) -> None:
        if self.live[r]:
            for packed, vocab in ((self.terms, self.vocab), (self.title_terms, self.title_vocab)):
                vocab.df[packed.row(r)[0]] -= 1
        self.live[r] = False

    def compacted(self) -> GroupingStore:
        """The same articles without the rows of replaced or gone state files, nor unused terms."""
        keep = [r for r, aid in enumerate(self.ids) if aid]
        rows = [self.row(r) for r in keep]
        fresh = GroupingStore()
        fresh.generation, fresh.seen_ns = self.generation + 1, self.seen_ns
        fresh.apply(rows)
        return fresh

    def row(self, r: int) -> Row:
        """Row ``r`` back as a :class:`Row` (its features as the state file gave them)."""
        features = None
        if self.live[r]:
            terms, counts = self.terms.row(r)
            title_terms, title_counts = self.title_terms.row(r)
            named = [date.fromordinal(int(d)).isoformat() for d in self.dates[r, 1:] if np.isfinite(d)]
            features = EventFeatures(
                self.ids[r],
                dict(zip((self.vocab.terms[t] for t in terms), counts.tolist(), strict=True)),
                date.fromordinal(int(self.days[r])).isoformat() if np.isfinite(self.days[r]) else None,
                self.titles[r],
                self.pinned[r],
                dict(
                    zip(
                        (self.title_vocab.terms[t] for t in title_terms),
                        title_counts.tolist(),
                        strict=True,
                    )
                ),
                named,
                self.outlets[r],
            )
        return Row(
            self.ids[r],
            int(self.size[r]),
            int(self.mtime[r]),
            self.fingerprints[r],
            features,
            self.ok[r],
            self.errors[r],
        )

    # --- what the grouping reads ---------------------------------------------------------

    def articles(self) -> list[int]:
        """The rows of live articles, in article id order (the order the grouping numbers them)."""
        rows = [r for r, aid in enumerate(self.ids) if aid and self.live[r]]
        return sorted(rows, key=self.ids.__getitem__)

    def summaries(self) -> dict[str, dict]:
        """article id -> what the tables need of its state file: ok, fingerprint, errors."""
        return {
            aid: {"ok": self.ok[r], "fingerprint": self.fingerprints[r], "errors": self.errors[r]}
            for aid, r in self.row_of.items()
        }

    def fingerprint_of(self) -> dict[str, str]:
        return {aid: self.fingerprints[r] for aid, r in self.row_of.items() if self.live[r]}

    # --- files ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        keep = np.array([bool(a) for a in self.ids], dtype=bool)
        texts = {
            "ids": [a for a in self.ids if a],
            "fingerprints": [f for f, k in zip(self.fingerprints, keep, strict=True) if k],
            "outlets": [o for o, k in zip(self.outlets, keep, strict=True) if k],
            "titles": [t for t, k in zip(self.titles, keep, strict=True) if k],
            "pinned": [p for p, k in zip(self.pinned, keep, strict=True) if k],
            "ok": [o for o, k in zip(self.ok, keep, strict=True) if k],
            "errors": [e for e, k in zip(self.errors, keep, strict=True) if k],
        }
        header = {"version": STORE_VERSION, "generation": self.generation, "seen_ns": self.seen_ns}
        buffer = io.BytesIO()
        np.savez(
            buffer,
            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
            texts=np.frombuffer(json.dumps(texts, ensure_ascii=False).encode(), dtype=np.uint8),
            vocab=np.frombuffer(_SEPARATOR.join(self.vocab.terms).encode(), dtype=np.uint8),
            title_vocab=np.frombuffer(_SEPARATOR.join(self.title_vocab.terms).encode(), dtype=np.uint8),
            vocab_size=np.array([len(self.vocab.terms), len(self.title_vocab.terms)]),
            df=self.vocab.df,
            kinds=self.vocab.kinds,
            title_df=self.title_vocab.df,
            title_kinds=self.title_vocab.kinds,
            size=self.size[keep],
            mtime=self.mtime[keep],
            live=self.live[keep],
            **_packed_arrays("", self.terms.kept(keep)),
            **_packed_arrays("title_", self.title_terms.kept(keep)),
            days=self.days[keep],
            dates=self.dates[keep],
        )
        return buffer.getvalue()

    @classmethod
    def read(cls, source: str | Path | io.BytesIO) -> GroupingStore:
        """The store in ``source`` (a file, read array by array); ValueError when it is of another
        version or damaged, FileNotFoundError when there is none."""
        try:
            arrays = np.load(source, allow_pickle=False)
            header = json.loads(arrays["header"].tobytes())
            if header.get("version") != STORE_VERSION:
                raise ValueError(f"store version {header.get('version')}, not {STORE_VERSION}")
            texts = json.loads(arrays["texts"].tobytes())
            store = cls()
            store.generation, store.seen_ns = int(header["generation"]), int(header["seen_ns"])
            store.ids = list(texts["ids"])
            store.row_of = {aid: r for r, aid in enumerate(store.ids)}
            store.fingerprints, store.outlets = list(texts["fingerprints"]), list(texts["outlets"])
            store.titles, store.pinned = list(texts["titles"]), list(texts["pinned"])
            store.ok, store.errors = [bool(o) for o in texts["ok"]], [list(e) for e in texts["errors"]]
            sizes = arrays["vocab_size"]
            for name, n in (("vocab", int(sizes[0])), ("title_vocab", int(sizes[1]))):
                prefix = name.removesuffix("vocab")
                terms = arrays[name].tobytes().decode("utf-8").split(_SEPARATOR) if n else []
                vocab = Vocabulary.__new__(Vocabulary)
                vocab.terms, vocab.df = terms, arrays[prefix + "df"].astype(np.int64)
                vocab.kinds = arrays[prefix + "kinds"].astype(np.int8)
                if len(terms) != n or len(vocab.df) != n or len(vocab.kinds) != n:
                    raise ValueError("vocabulary and document frequencies disagree")
                setattr(store, name, vocab)
            store.size, store.mtime, store.live = arrays["size"], arrays["mtime"], arrays["live"].astype(bool)
            store.terms = _packed_from(arrays, "", MAX_TERMS)
            store.title_terms = _packed_from(arrays, "title_", MAX_TITLE_TERMS)
            store.days, store.dates = arrays["days"], arrays["dates"]
            n_rows = len(store.ids)
            lengths = {len(store.fingerprints), len(store.outlets), len(store.titles), len(store.pinned)}
            lengths |= {len(store.ok), len(store.errors)}
            lengths |= {len(a) for a in (store.size, store.mtime, store.live, store.terms, store.title_terms)}
            lengths |= {len(a) for a in (store.days, store.dates)}
            if lengths != {n_rows}:
                raise ValueError("the store's arrays disagree")
            for packed, vocab in ((store.terms, store.vocab), (store.title_terms, store.title_vocab)):
                if packed.ids.min(initial=0) < 0 or packed.ids.max(initial=-1) >= len(vocab.terms):
                    raise ValueError("a term id outside the vocabulary")
                if np.diff(packed.ptr).max(initial=0) > packed.width:
                    raise ValueError("a row holds more terms than a row may")
            return store
        except FileNotFoundError:
            raise
        except (
            OSError,
            EOFError,
            KeyError,
            TypeError,
            zipfile.BadZipFile,
            UnicodeDecodeError,
            json.JSONDecodeError,
        ) as exc:
            raise ValueError(f"damaged grouping store: {exc}") from exc


def _packed_arrays(prefix: str, packed: TermRows) -> dict[str, np.ndarray]:
    return {f"{prefix}ptr": packed.ptr, f"{prefix}ids": packed.ids, f"{prefix}counts": packed.counts}


def _packed_from(arrays, prefix: str, width: int) -> TermRows:
    """Packed term rows as the file holds them; ValueError when their pointers do not add up."""
    ptr, ids, counts = arrays[f"{prefix}ptr"], arrays[f"{prefix}ids"], arrays[f"{prefix}counts"]
    if len(ptr) < 1 or ptr[0] != 0 or np.any(np.diff(ptr) < 0) or ptr[-1] != len(ids) or len(ids) != len(counts):
        raise ValueError("packed term rows that do not add up")
    return TermRows(width, ptr, ids, counts)


def _row_to_log(row: Row, generation: int) -> dict:
    f = row.features
    return {
        "generation": generation,
        "id": row.article_id,
        "size": row.size,
        "mtime_ns": row.mtime_ns,
        "fingerprint": row.fingerprint,
        "features": None if f is None else {**f.to_state(), "pinned": f.pinned},
        "ok": row.ok,
        "errors": row.errors,
    }


def _row_from_log(entry: dict) -> Row:
    state = entry["features"]
    features = None
    if state is not None:
        features = EventFeatures.from_state(entry["id"], {"grouping": state, "story": state.get("pinned")})
    return Row(
        entry["id"],
        int(entry["size"]),
        int(entry["mtime_ns"]),
        str(entry["fingerprint"]),
        features,
        bool(entry["ok"]),
        list(entry["errors"]),
    )


def state_listing(state_dir: Path) -> dict[str, tuple[int, int]]:
    """article id -> (size, mtime_ns) of every state file (at most MAX_STATE_FILES)."""
    listing: dict[str, tuple[int, int]] = {}
    with contextlib.suppress(FileNotFoundError), os.scandir(state_dir) as entries:
        for entry in entries:
            if len(listing) >= MAX_STATE_FILES:
                break
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    stat = entry.stat()
                    listing[entry.name[: -len(".json")]] = (stat.st_size, stat.st_mtime_ns)
    return listing


def read_row(state_dir: Path, article_id: str, signature: tuple[int, int]) -> Row | None:
    """The state file's row (None when it cannot be read: it is then not grouped, as before)."""
    try:
        state = json.loads((state_dir / f"{article_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict):
        return None
    features = None
    if state.get("ok") and state.get("grouping") is not None:
        with contextlib.suppress(AttributeError, TypeError, ValueError):
            features = EventFeatures.from_state(article_id, state)
    errors = state.get("errors")
    errors = [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
    ok = bool(state.get("ok"))
    return Row(article_id, signature[0], signature[1], str(state.get("fingerprint")), features, ok, errors)


@dataclass
class StoreReport:
    """What bringing the store up to date did: for the run summary and the tests."""

    rebuilt: str = ""  # why the store was built from every state file ("" when it was not)
    read: int = 0  # state files read
    removed: int = 0
    compacted: bool = False


_loading = threading.Lock()  # a run's planning thread and its grouping never write the store at once


def load_store(out_dir: str | Path, now_ns: int | None = None) -> tuple[GroupingStore, StoreReport]:
    """The store of ``out_dir`` brought up to date with processed/state/, its changes saved."""
    with _loading:
        return _load_store(Path(out_dir), now_ns)


def _load_store(out_dir: Path, now_ns: int | None) -> tuple[GroupingStore, StoreReport]:
    from presslens.store import atomic_write_bytes

    out = Path(out_dir)
    state_dir = out / "state"
    report = StoreReport()
    store: GroupingStore | None = None
    try:
        store = GroupingStore.read(out / STORE_FILE)
        entries = []
        with contextlib.suppress(FileNotFoundError), open(out / LOG_FILE, encoding="utf-8") as fh:
            for number, line in enumerate(fh):
                if number >= MAX_LOG_ENTRIES * 2:
                    raise ValueError("log longer than it may grow")
                entry = json.loads(line)
                if entry.get("generation") != store.generation:
                    raise ValueError("a log line of another base")
                entries.append(entry)
        last: dict[str, dict] = {}
        for entry in entries:
            if "seen_ns" in entry:
                store.seen_ns = int(entry["seen_ns"])
            else:
                last.pop(entry["id"], None)  # the latest entry of an article wins, in the log's order
                last[entry["id"]] = entry
        store.apply(
            [_row_from_log(e) for e in last.values() if not e.get("gone")],
            [aid for aid, e in last.items() if e.get("gone")],
        )
        store.log = entries
    except FileNotFoundError:
        report.rebuilt = "no store yet"
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        report.rebuilt = f"{exc}"[:200] or "damaged"
    if report.rebuilt:
        store = GroupingStore()
        store.generation = int.from_bytes(os.urandom(4), "big")  # a stale log cannot match a new base
    listing = state_listing(state_dir)
    now_ns = now_ns if now_ns is not None else time.time_ns()
    racy_before = store.seen_ns - int(RACY_SECONDS * 1e9)
    changed: list[Row] = []
    unreadable: set[str] = set()
    for aid, signature in listing.items():
        r = store.row_of.get(aid)
        if r is not None and (int(store.size[r]), int(store.mtime[r])) == signature and signature[1] < racy_before:
            continue
        row = read_row(state_dir, aid, signature)
        if row is None:
            unreadable.add(aid)  # not grouped, and planned again: as a missing state
            continue
        same_look = r is not None and (int(store.size[r]), int(store.mtime[r])) == signature
        if same_look and _same(store.row(r), row):
            continue  # racy, read again and unchanged
        changed.append(row)
    gone = [aid for aid in store.row_of if aid not in listing or aid in unreadable]
    report.read, report.removed = len(changed), len(gone)
    store.apply(changed, gone)
    store.seen_ns = now_ns
    new_entries = [_row_to_log(row, store.generation) for row in changed]
    new_entries += [{"generation": store.generation, "id": aid, "gone": True} for aid in gone]
    new_entries.append({"generation": store.generation, "seen_ns": now_ns})
    if report.rebuilt or len(store.log) + len(new_entries) > MAX_LOG_ENTRIES:
        store = store.compacted() if not report.rebuilt else store
        report.compacted = not report.rebuilt
        atomic_write_bytes(out / STORE_FILE, store.to_bytes())
        atomic_write_bytes(out / LOG_FILE, b"")
        store.log = []
    else:
        with open(out / LOG_FILE, "a", encoding="utf-8") as fh:
            for entry in new_entries:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            if changed or gone:  # a lost look (seen_ns alone) only has the racy files read again next time
                os.fsync(fh.fileno())
        store.log += new_entries
    return store, report


def _same(kept: Row, read: Row) -> bool:
    if (kept.fingerprint, kept.ok, kept.errors) != (read.fingerprint, read.ok, read.errors):
        return False
    if (kept.features is None) != (read.features is None):
        return False
    if kept.features is None:
        return True
    a, b = kept.features, read.features
    return (a.terms, a.title_terms, a.day, a.dates[:MAX_DATES], a.outlet, a.title, a.pinned) == (
        b.terms,
        b.title_terms,
        b.day,
        b.dates[:MAX_DATES],
        b.outlet,
        b.title,
        b.pinned,
    )


def discard_store(out_dir: str | Path) -> None:
    """Remove the store: the next :func:`load_store` reads every state file (a full regroup)."""
    for name in (STORE_FILE, LOG_FILE):
        with contextlib.suppress(FileNotFoundError):
            (Path(out_dir) / name).unlink()
