"""The story layer's bookkeeping: group articles into stories, then bring every table and report
in processed/ up to date, rebuilding only the stories whose pages changed.

Every corpus table is the concatenation of per-story tables (:func:`presslens.compare.story_tables.
story_tables`: nothing compares across stories), so a run recomputes only the changed stories
and splices their rows into the tables on disk: the whole index tables, and only the shards of
the detail tables those stories live in (:mod:`presslens.corpus_tables`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from presslens import PIPELINE_VERSION, TABLES_VERSION
from presslens.compare.story_tables import story_tables
from presslens.compare.tables import errors_table
from presslens.corpus_tables import (
    LAYOUT,
    SHARDS,
    TABLES_DIR,
    read_shard,
    shard_file,
    shard_names,
    shard_of,
    shards_present,
    story_ordered,
    write_shard,
)
from presslens.processing import forget_removed
from presslens.record import ArticleRecord
from presslens.report import story_folder, write_index, write_story_report
from presslens.roster import Roster
from presslens.settings import RunSettings
from presslens.store import (
    Store,
    atomic_write_json,
    atomic_write_json_stream,
    atomic_write_text,
    csv_text,
    unsynced_writes,
    vouch_unchanged,
    write_table,
)
from presslens.stories.grouping import corpus_of
from presslens.stories.grouping_store import discard_store, load_store
from presslens.stories.membership import STATE_FILE as GROUPING_FILE
from presslens.stories.membership import GroupingReport, Membership, load_membership, regroup
from presslens.stories.overrides import Overrides
from presslens.table_registry import DETAIL_TABLES, INDEX_TABLES, data_dictionary_json, data_dictionary_markdown
from presslens.timing import timed
from presslens.workers import release_pool, worker_pool

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class TableSummary:
    articles: int
    outlets: int
    stories: int
    errors: int
    paths: list[Path]
    rebuilt_stories: int = 0


STORY_FINGERPRINTS = "story_fingerprints.json"
# Every file the table build wrote -> [size, crc32], flushed to disk last (the files themselves are not).
TABLES_MANIFEST = "tables_manifest.json"
SELF_HEALING = {"errors.csv", "errors.parquet", "README.md", "schema.json"}  # rewritten or compared by every build


@timed("group_stories")
def group_stories(
    out_dir: str | Path, removed: list[str] | None = None, overrides: Overrides | None = None, full: bool = False
) -> GroupingReport:
    """Forget the pages gone from raw/ (``removed``), then bring processed/grouping.json up to date:
    every processed article in a story (see presslens.stories). The articles' features come from
    the grouping store, which reads only the state files that changed (``full``: all of them)."""
    out = Path(out_dir)
    forget_removed(removed or [], out)
    if full:
        discard_store(out)
    store, _store_report = load_store(out)
    corpus = corpus_of(store)
    fingerprints = store.fingerprint_of()
    membership, report = regroup(corpus, fingerprints, load_membership(out), overrides or Overrides(), full=full)
    save_membership(out, membership)
    return report


def save_membership(out: Path, membership: Membership) -> None:
    """processed/grouping.json, streamed: it grows with the corpus and was a one-page run's peak memory."""
    atomic_write_json_stream(out / GROUPING_FILE, membership.json_view())


def story_members(states: dict[str, dict], membership: Membership) -> dict[str, list[str]]:
    """story -> its processed pages' article ids (pages that failed belong to no story's tables)."""
    members: dict[str, list[str]] = {}
    for aid, story in membership.assignment.items():
        if states.get(aid, {}).get("ok"):
            members.setdefault(story, []).append(aid)
    return members


def story_fingerprints(
    states: dict[str, dict], members: dict[str, list[str]], membership: Membership, backend: str = "lexical"
) -> dict[str, str]:
    """story -> hash of its pages, its title, the key-point backend and the versions of the records and of the
    tables: a story is rebuilt when this changes."""
    out = {}
    for story, aids in members.items():
        title = membership.titles.get(story, "")
        h = hashlib.sha256(f"{PIPELINE_VERSION}:{TABLES_VERSION}:{backend}:{title}".encode())
        for aid in sorted(aids):
            h.update(f"{aid}:{states[aid].get('fingerprint')}:{membership.how.get(aid, '')}".encode() + b"\0")
        out[story] = h.hexdigest()
    return out


STORY_CHUNK_ARTICLES = 120  # stories are rebuilt in groups of about this many articles: one unit of work


@dataclass
class ChunkShards:
    """The detail-table shards a unit of the rebuild owns and writes (no other unit writes them): the rows of
    ``replaced`` stories leave them; in a ``full`` build, and for a shard of ``unread`` (one the last manifest no
    longer vouches for), a shard is written from the new rows alone."""

    shards: list[int]
    replaced: set[str]
    full: bool
    unread: set[int]


def build_story_chunk(
    out_dir: str,
    stories: list[str],
    members: dict[str, list[str]],
    backend: str = "lexical",
    titles: dict[str, str] | None = None,
    how: dict[str, str] | None = None,
    roster: Roster | None = None,
    entities: str = "rules",
    raw_csv: bool = False,
    own: ChunkShards | None = None,
) -> tuple[dict, dict[str, list[int]], list[Path]]:
    """Recompute a group of stories: their rows of the index tables; their coverage files, reports and
    the detail-table shards ``own`` names, written here; the files written (not flushed to disk: see
    :func:`presslens.store.unsynced_writes`) and the shards' paths.

    Runs in a worker process when many stories changed; reads only these stories' records (and the
    shards it rewrites), and hands back only the index tables' rows: the detail rows stay where they are made.
    ``how`` says for each article whether it was pinned, moved, merged or grouped into its story;
    ``raw_csv`` writes coverage.csv's formula-like cells as they are (see :func:`presslens.store.csv_text`).
    """
    with unsynced_writes(out_dir) as written:
        tables = _build_story_chunk(out_dir, stories, members, backend, titles, how, roster, entities, raw_csv)
        paths = (
            write_detail_shards(Path(out_dir), tables, own.shards, own.replaced, own.full, own.unread) if own else []
        )
    return {name: tables[name] for name in INDEX_TABLES}, written, paths


def _build_story_chunk(
    out_dir: str,
    stories: list[str],
    members: dict[str, list[str]],
    backend: str,
    titles: dict[str, str] | None,
    how: dict[str, str] | None,
    roster: Roster | None,
    entities: str,
    raw_csv: bool,
) -> dict:
    out = Path(out_dir)
    store = Store(out)
    how = how or {}
    records = []
    for story in stories:
        for aid in sorted(members[story]):
            record = store.load_article(aid)
            if record:
                record.story, record.story_by = story, how.get(aid, "grouped")
                records.append(record)
    tables = story_tables(records, backend, titles, roster, entities)
    parts = {name: dict(iter(df.groupby("story", sort=False))) for name, df in tables.items()}
    by_story: dict[str, list[ArticleRecord]] = {}
    for rec in records:
        by_story.setdefault(rec.story, []).append(rec)
    for story, story_records in sorted(by_story.items()):
        mine = {name: parts[name].get(story, tables[name].iloc[0:0]) for name in tables}
        folder = story_folder(out, story)
        atomic_write_text(folder / "coverage.csv", csv_text(mine["coverage"], raw_csv, "coverage"))
        (folder / "coverage.parquet").unlink(missing_ok=True)  # older versions wrote one beside it
        write_story_report(out, story, story_records, mine)
    return tables


def _shard_chunks(
    changed: list[str], members: dict[str, list[str]], shards: list[int]
) -> list[tuple[list[int], list[str]]]:
    """The rebuild in units of about STORY_CHUNK_ARTICLES articles, each owning whole shards of
    ``shards`` (those to rewrite) and the changed stories in them: a unit writes its own shards, so
    no two units write one file and the detail rows never travel back to the run's process."""
    in_shard: dict[int, list[str]] = {}
    for story in changed:
        in_shard.setdefault(shard_of(story), []).append(story)
    chunks: list[tuple[list[int], list[str]]] = []
    own_shards: list[int] = []
    stories: list[str] = []
    size = 0
    for shard in shards:
        own_shards.append(shard)
        for story in in_shard.get(shard, []):
            stories.append(story)
            size += len(members.get(story, []))
        if size >= STORY_CHUNK_ARTICLES:
            chunks.append((own_shards, stories))
            own_shards, stories, size = [], [], 0
    return chunks + ([(own_shards, stories)] if own_shards else [])


@functools.cache
def empty_tables() -> dict:
    """Each story table with its columns and no rows (a corpus with no readable page)."""
    return story_tables([])


def boot_id() -> str | None:
    """This boot of the machine (Linux), or None: files written in the same boot are whole in the page
    cache even when a crash kept them from disk, so only after a reboot are their checksums read."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


@dataclass
class PreviousBuild:
    """What the last build left that this one may trust: ``usable`` false means rebuild everything;
    else ``files`` (the manifest's entries that matched) and the parts that did not match, rebuilt."""

    usable: bool
    files: dict[str, list[int]] = field(default_factory=dict)
    damaged_folders: set[str] = field(default_factory=set)  # story folders (their names) with a damaged file
    damaged_shards: set[int] = field(default_factory=set)  # detail-table shards damaged or not in the manifest
    boot: str | None = None  # the boot the manifest was written in


def _matches(path: Path, stamp: list[int], read_data: bool) -> bool:
    """Whether ``path`` is the file the manifest vouched for: its size, and with ``read_data`` its crc32."""
    try:
        if path.stat().st_size != stamp[0]:
            return False
        return not read_data or zlib.crc32(path.read_bytes()) == stamp[1]
    except OSError:
        return False


def _previous_tables_usable(out: Path) -> PreviousBuild:
    """Check processed/ against the manifest the last build flushed last (:data:`TABLES_MANIFEST`).

    The build's files are not flushed to disk, so a crash (power loss) can leave a renamed file empty
    or torn: after a reboot every file is checked by size and crc32, within the same boot (where the
    page cache holds what was written) by size. A story's damaged file has that story rebuilt, a
    damaged detail shard has every story of its shard rebuilt (the shard is not read); a damaged index
    table, fingerprint file, layout or index page, or no manifest, has everything rebuilt."""
    index_tables = all((out / f"{n}.parquet").exists() for n in INDEX_TABLES)
    if not ((out / STORY_FINGERPRINTS).exists() and index_tables and shards_present(out)):
        return PreviousBuild(False)
    try:
        manifest = json.loads((out / TABLES_MANIFEST).read_text(encoding="utf-8"))
        files = {str(k): [int(v[0]), int(v[1])] for k, v in manifest["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return PreviousBuild(False)
    read_data = manifest.get("boot") is None or manifest.get("boot") != boot_id()
    previous = PreviousBuild(True, boot=manifest.get("boot"))
    for name, stamp in files.items():
        if _matches(out / name, stamp, read_data):
            previous.files[name] = stamp
            continue
        parts = name.split("/")
        if len(parts) == 3 and parts[0] == "stories":
            previous.damaged_folders.add(parts[1])
        elif len(parts) == 3 and parts[0] == TABLES_DIR and parts[1] in DETAIL_TABLES and parts[2] in shard_names():
            previous.damaged_shards.add(int(parts[2][len("part-") : -len(".parquet")]))
        elif name not in SELF_HEALING:
            return PreviousBuild(False)
    shards = {shard_file(shard): shard for shard in range(SHARDS)}
    for table in DETAIL_TABLES:  # a shard the manifest does not list (a killed build's) is not trusted either
        for entry in os.listdir(out / TABLES_DIR / table):
            if entry in shards and f"{TABLES_DIR}/{table}/{entry}" not in files:
                previous.damaged_shards.add(shards[entry])
    return previous


@timed("build_tables")
def build_tables(out_dir: str | Path, settings: RunSettings | None = None, full: bool = False) -> TableSummary:
    """Bring every table and report in processed/ up to date with the per-article records.

    Only stories whose pages changed since the last build are recomputed (their records are
    the only ones read); their rows replace the old ones in each index table and in the detail
    tables' shards they live in. The story fingerprints are written last, so a build killed
    half-way is redone by the next run, and every file it did replace is already consistent story
    by story. ``full`` (or a missing table) recomputes every story, and so does a change of the
    key-point backend, the entity reader or the roster in ``settings``.

    The files are not flushed to disk one by one: a manifest of them all (:data:`TABLES_MANIFEST`) is,
    last, and the next build rebuilds what no longer matches it (:func:`_previous_tables_usable`).
    """
    out = Path(out_dir)
    states = load_store(out)[0].summaries()  # only the state files that changed are read
    membership = load_membership(out)
    members = story_members(states, membership)
    settings = settings or RunSettings()
    backend, entities, roster, raw_csv = settings.similarity, settings.entities, settings.roster, settings.raw_csv
    csv_form = ":raw-csv" if raw_csv else ""  # a change rewrites every story's CSV
    current = story_fingerprints(states, members, membership, f"{backend}:{entities}:{roster.digest}{csv_form}")
    last_build = PreviousBuild(False) if full else _previous_tables_usable(out)
    full = full or not last_build.usable
    previous = {} if full else _read_fingerprints(out / STORY_FINGERPRINTS)
    changed = sorted(s for s, fp in current.items() if previous.get(s) != fp or _damaged(out, s, last_build))
    gone = sorted(set(previous) - set(current))
    with unsynced_writes(out) as written:
        summary, chunk_files = _write_tables(
            out, states, membership, members, settings, full, set(current), changed, gone, last_build
        )
        summary.paths += write_data_dictionary(out)
        atomic_write_json(out / STORY_FINGERPRINTS, current)
    files = {} if full else dict(last_build.files)
    for more in [*chunk_files, written]:
        files.update(more)
    files = {name: stamp for name, stamp in sorted(files.items()) if (out / name).is_file()}  # not removed since
    boot = boot_id()
    if full or files != last_build.files or boot is None or last_build.boot != boot:  # else: the same manifest
        atomic_write_json(out / TABLES_MANIFEST, {"boot": boot, "files": files}, indent=None)  # flushed, last
    return summary


def _damaged(out: Path, story: str, last_build: PreviousBuild) -> bool:
    """Whether the last build's files of ``story`` (its folder, its detail shard) failed the manifest's check."""
    if not last_build.damaged_folders and not last_build.damaged_shards:
        return False
    return shard_of(story) in last_build.damaged_shards or story_folder(out, story).name in last_build.damaged_folders


def _write_tables(
    out: Path,
    states: dict[str, dict],
    membership: Membership,
    members: dict[str, list[str]],
    settings: RunSettings,
    full: bool,
    current: set[str],
    changed: list[str],
    gone: list[str],
    last_build: PreviousBuild,
) -> tuple[TableSummary, list[dict[str, list[int]]]]:
    """The rebuild of :func:`build_tables`: the changed stories' rows spliced into every table, their
    reports; and the files the story chunks wrote (in worker processes too)."""
    import pandas as pd

    backend, entities, roster, raw_csv = settings.similarity, settings.entities, settings.roster, settings.raw_csv
    replaced = set(changed) | set(gone)
    touched = list(range(SHARDS)) if full else sorted({shard_of(s) for s in replaced} | last_build.damaged_shards)
    fresh: dict[str, list] = {name: [] for name in INDEX_TABLES}
    paths: list[Path] = []
    chunks = _shard_chunks(changed, members, touched)
    if full:  # a full build killed half-way must not leave fingerprints that vouch for shards it never wrote
        (out / STORY_FINGERPRINTS).unlink(missing_ok=True)
    if touched:  # before any unit writes its shards
        prepare_detail_folders(out, full)
    owned = []
    for shards, _stories in chunks:
        mine = set(shards)
        owned.append(
            ChunkShards(shards, {s for s in replaced if shard_of(s) in mine}, full, last_build.damaged_shards & mine)
        )
    pool = worker_pool(settings.workers) if len(chunks) >= 2 else release_pool()
    titles = {s: membership.titles.get(s, "") for s in changed}
    how = {a: membership.how.get(a, "grouped") for s in changed for a in members[s]}
    if pool is None:
        results = (
            build_story_chunk(str(out), stories, members, backend, titles, how, roster, entities, raw_csv, own)
            for (_shards, stories), own in zip(chunks, owned, strict=True)
        )
    else:
        n = len(chunks)
        results = pool.map(
            build_story_chunk,
            [str(out)] * n,
            [stories for _shards, stories in chunks],
            [members] * n,
            [backend] * n,
            [titles] * n,
            [how] * n,
            [roster] * n,
            [entities] * n,
            [raw_csv] * n,
            owned,
        )
    chunk_files = []
    for tables, chunk_written, shard_paths in results:
        chunk_files.append(chunk_written)
        for name in INDEX_TABLES:
            fresh[name].append(tables[name])
        paths += shard_paths
    if full:
        atomic_write_text(out / TABLES_DIR / "LAYOUT", LAYOUT)
    paths += [story_folder(out, story) / "report.html" for story in changed]
    for story in gone:
        shutil.rmtree(story_folder(out, story), ignore_errors=True)
    if changed or gone:
        remove_stray_story_folders(out, current)

    summary = {}
    if not full and not replaced:  # nothing changed in any story: the tables on disk are current
        summary = {n: pd.read_parquet(out / f"{n}.parquet", columns=["story"]) for n in ("articles", "outlets")}
    else:
        for name in INDEX_TABLES:
            frames = [] if full else [_without_stories(pd.read_parquet(out / f"{name}.parquet"), replaced)]
            table = story_ordered(frames + fresh[name], empty_tables()[name])
            paths += write_table(table, out, name, raw_csv)
            summary[name] = table
        sureness = story_sureness(membership, summary.get("articles"))
        paths.append(write_index(out, summary["stories"], summary.get("attention"), *sureness))
    errors = errors_table([e for state in states.values() for e in state.get("errors", [])])
    paths += write_table(errors, out, "errors", raw_csv)
    tables = TableSummary(
        len(summary["articles"]),
        len(summary["outlets"]),
        summary["articles"]["story"].nunique(),
        len(errors),
        paths,
        rebuilt_stories=len(changed),
    )
    return tables, chunk_files


def write_data_dictionary(out: Path) -> list[Path]:
    """processed/README.md and schema.json: every table, its grain and each column, from the registry
    (rewritten only when they differ, so a run that changed nothing touches neither)."""
    paths = []
    for name, text in (("README.md", data_dictionary_markdown()), ("schema.json", data_dictionary_json())):
        path = out / name
        data = text.encode("utf-8")
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if same:
            vouch_unchanged(path, data)
        else:
            atomic_write_text(path, text)
        paths.append(path)
    return paths


def story_sureness(
    membership: Membership, articles: pd.DataFrame | None = None
) -> tuple[dict[str, tuple[str, str]], float]:
    """Each story's confidence in words and what to check, for the index report; and the threshold. The weakest
    article is named by its outlet and headline from ``articles`` (the articles table): its id alone tells a
    reader nothing."""
    from presslens.stories.grouping import shipped_model

    named: dict[str, str] = {}
    if articles is not None and {"article_id", "outlet", "title"} <= set(articles.columns):
        weakest = {c.weakest_article for c in membership.confidence.values() if c.weakest_article}
        rows = articles[articles["article_id"].astype(str).isin(weakest)]  # one a story, not the whole table
        for aid, outlet, title in zip(rows["article_id"], rows["outlet"], rows["title"], strict=True):
            parts = [str(v) for v in (outlet, title) if isinstance(v, str) and v.strip()]
            named[str(aid)] = ": ".join(parts)
    threshold = shipped_model().threshold
    return {
        story: (confidence.describe(named.get(confidence.weakest_article or "", "")), confidence.check(threshold))
        for story, confidence in membership.confidence.items()
    }, threshold


def remove_stray_story_folders(out: Path, stories: set[str]) -> None:
    """Remove the folders of processed/stories/ that belong to no story (a story's folder named the way
    an older version named it: its id's slug alone)."""
    folder = out / "stories"
    if not folder.is_dir():
        return
    wanted = {story_folder(out, story).name for story in stories}
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name not in wanted:
            shutil.rmtree(entry, ignore_errors=True)


def prepare_detail_folders(out: Path, full: bool) -> None:
    """Each detail table's folder, present even when the table has no rows; for a full build, nothing
    of another layout beside its shards (the whole-corpus files an older layout kept, stray parts)."""
    expected = shard_names()
    for name in DETAIL_TABLES:
        folder = out / TABLES_DIR / name
        folder.mkdir(parents=True, exist_ok=True)
        if full:
            for old in (out / f"{name}.csv", out / f"{name}.parquet"):
                old.unlink(missing_ok=True)
            for stray in folder.iterdir():
                if stray.name not in expected:
                    stray.unlink()


def write_detail_shards(
    out: Path, tables: dict, shards: list[int], replaced: set[str], full: bool, unread: set[int] | None = None
) -> list[Path]:
    """Splice rebuilt stories' rows (``tables``: every story of ``shards`` that changed) into those
    shards: the rows of ``replaced`` stories go, the new ones come in. ``full`` writes the shards from
    the new rows alone (a shard left with no rows is removed), and so does a shard of ``unread`` (one
    the last build's manifest no longer vouches for: every story of it was rebuilt)."""
    paths = []
    for name in DETAIL_TABLES:
        rows = tables[name]
        of_story = {story: shard_of(story) for story in rows["story"].unique()}
        by_shard = dict(iter(rows.groupby(rows["story"].map(of_story), sort=False))) if not rows.empty else {}
        for shard in shards:
            fresh = full or shard in (unread or ())
            frames = [] if fresh else [_without_stories(read_shard(out, name, shard), replaced)]
            table = story_ordered(frames + [by_shard.get(shard, rows.iloc[0:0])], rows.iloc[0:0])
            path = write_shard(table, out, name, shard)
            if path.exists():
                paths.append(path)
    return paths


def _read_fingerprints(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _without_stories(df, stories: set[str]):
    if df is None or df.empty or not stories:
        return df
    return df[~df["story"].astype(str).isin(stories)]
