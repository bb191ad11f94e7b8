"""The ``presslens`` command: run the pipeline, add pages, extract, benchmark."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from presslens.pages import PageError, RawFile, page_bytes, read_page, sidecar_field_problem

if TYPE_CHECKING:
    from flows.api_server import TemporaryServer
    from presslens.settings import RunOptions, RunSettings


def _prefect_defaults() -> None:
    """Quiet, offline Prefect even when run outside the repo (where prefect.toml is not read)."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def cmd_bench(args: argparse.Namespace) -> int:
    """``presslens bench ...``: ``python -m benchmarks ...`` from this checkout, imported only now (the
    benchmarks are not installed with presslens)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "benchmarks" / "__main__.py").exists():
        print("presslens bench runs from a checkout of presslens: benchmarks/ is not installed", file=sys.stderr)
        return 2
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks.__main__ import main as benchmarks_main

    return benchmarks_main(args.bench_args, prog="presslens bench")


def cmd_run(args: argparse.Namespace) -> int:
    from presslens.project import FoldersOverlap, check_folders
    from presslens.store import RunLocked

    raw, out = Path(args.raw), Path(args.out)
    if not raw.is_dir():
        print(f"presslens: raw folder not found: {raw}", file=sys.stderr)
        return 2
    try:
        check_folders(raw, out)
    except FoldersOverlap as exc:
        print(f"presslens: {exc}", file=sys.stderr)
        return 2
    server = None
    if not args.local:  # Prefect's temporary API server (when it needs one) boots while the run gets ready
        _prefect_defaults()
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from flows.api_server import early_api_server

        server = early_api_server()
    from presslens.metrics.entities import ReaderMissing
    from presslens.roster import RosterError
    from presslens.settings import resolve_settings
    from presslens.stories.overrides import OverridesError
    from presslens.timing import record_timings

    try:  # every setting checked here, before any work: a bad name, a missing extra, a broken file
        settings = resolve_settings(run_options(args))
    except (ValueError, RuntimeError, OSError, ReaderMissing, OverridesError, RosterError) as exc:
        print(f"presslens: {exc}", file=sys.stderr)
        return 2
    record_timings(settings.timings_file)
    try:
        summary = _run_local(raw, out, settings) if args.local else _run_flow(raw, out, settings, server)
    except RunLocked as exc:
        print(f"presslens: {exc}", file=sys.stderr)
        return 3
    print(
        f"{summary['processed']} page(s) processed, {summary['unchanged']} unchanged, "
        f"{summary['removed']} removed; {summary['articles']} article(s) from {summary['outlets']} "
        f"story x outlet pair(s) in {summary['stories']} stor{'y' if summary['stories'] == 1 else 'ies'}."
    )
    for failure in summary["failures"]:
        print(f"  failed: {failure['file']}: {failure['reason']}")
    grouping = summary.get("grouping") or {}
    if grouping.get("capped"):
        print(
            f"  grouping: {grouping['capped']} article(s) had more similar candidates than are compared; "
            "each was compared with those sharing the most terms"
        )
    for warning in grouping.get("warnings", []):
        print(f"  {warning}")
    from presslens.corpus_tables import TABLES_DIR
    from presslens.table_registry import DETAIL_TABLES, INDEX_TABLES

    print(f"Tables in {out}/: {', '.join([*INDEX_TABLES, 'errors'])} (.csv and .parquet);")
    print(f"  {', '.join(DETAIL_TABLES)} in {out / TABLES_DIR}/ (Parquet; presslens export NAME for a CSV).")
    print(f"  What each table and column holds: {out / 'README.md'} (and schema.json).")
    return 0


def run_options(args: argparse.Namespace) -> RunOptions:
    """The run's options as the user gave them on the command line (resolved by the caller, once)."""
    from presslens.settings import RunOptions

    return RunOptions(
        batch_size=args.batch_size,
        workers=args.workers,
        similarity=args.similarity,
        entities=args.entities,
        stories_file=str(args.stories_file),
        outlets_file=str(args.outlets_file),
        regroup=args.regroup,
        raw_csv=args.raw_csv,
        dask_address=args.dask,
    )


def _run_local(raw: Path, out: Path, settings: RunSettings) -> dict:
    from presslens.pipeline import run_pipeline
    from presslens.store import run_lock

    with run_lock(out):
        return run_pipeline(raw, out, settings).to_dict()


def _run_flow(raw: Path, out: Path, settings: RunSettings, server: TemporaryServer | None) -> dict:
    """The run as the Prefect flow, handed the settings resolved here; ``server``: the temporary API
    server started early, or None."""
    from flows.api_server import ServerNotReady, use_api
    from presslens.processing import prepare_run

    # the models pages need are loaded while the flow imports and the API server finishes booting
    threading.Thread(target=prepare_run, args=(raw, out, settings.workers, settings.entities), daemon=True).start()
    from flows.compare_coverage import compare_coverage

    try:
        with use_api(server):
            return compare_coverage(raw_dir=str(raw), out_dir=str(out), settings=settings, progress=sys.stderr.isatty())
    except ServerNotReady as exc:  # a message naming the reason, not a traceback
        raise SystemExit(f"presslens: {exc}") from exc


def cmd_export(args: argparse.Namespace) -> int:
    """One whole corpus table as CSV: to a file, or to standard output."""
    from presslens.corpus_tables import read_table
    from presslens.store import atomic_write_text, csv_text

    out = Path(args.out)
    try:
        table = read_table(out, args.table)
    except (OSError, ValueError) as exc:
        reason = f"cannot read {args.table} in {out}: {exc} (has presslens run written it?)"
        print(f"presslens export: {reason}", file=sys.stderr)
        return 1
    if args.story:
        table = table[table["story"].isin(args.story)]
    text = csv_text(table, args.raw_csv, args.table)
    if args.output:
        atomic_write_text(args.output, text)
        print(f"{len(table)} row(s) of {args.table} written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def add_page(
    data: bytes, name: str, raw_dir: Path, story: str | None, outlet: str | None = None, url: str | None = None
) -> Path:
    """Store a captured page's bytes in raw/<story>/, or raw/unsorted/ (see :func:`presslens.ingest.store_page`)."""
    from presslens.ingest import store_page

    return store_page(data, raw_dir, story, name=name, outlet=outlet, url=url)


def add_url(url: str, raw_dir: Path, out_dir: Path, story: str | None, outlet: str | None) -> Path:
    """Fetch a URL (presslens.collect rules) and store the bytes as received."""
    from presslens.collect import fetch
    from presslens.ingest import fetched_name, guess_story, store_fetched
    from presslens.settings import private_urls_allowed

    fetched = fetch(url, allow_private=private_urls_allowed())
    if story is None:
        print(guess_story(fetched.body, fetched_name(fetched.url), out_dir))
    return store_fetched(fetched, raw_dir, story, outlet)


def cmd_add(args: argparse.Namespace) -> int:
    from presslens.collect import FetchError, file_url_path, is_file_url
    from presslens.ingest import guess_story

    raw_dir, out_dir = Path(args.raw), Path(args.out)
    # the run would ignore these sidecar fields (with a warning): refuse them here, where the user can retype them
    given = {"outlet": args.outlet, "url": args.url}
    problems = [p for key, value in given.items() if value is not None and (p := sidecar_field_problem(key, value))]
    if problems:
        print(f"presslens add: nothing stored, option not usable: {'; '.join(problems)}", file=sys.stderr)
        return 2
    status = 0
    for item in args.paths:
        try:
            if item.startswith(("http://", "https://")):
                dest = add_url(item, raw_dir, out_dir, args.story, args.outlet)
            else:
                source = file_url_path(item) if is_file_url(item) else Path(item)  # file:///x: the file /x
                if not source.is_file():
                    print(f"presslens add: {source}: not a file", file=sys.stderr)
                    status = 2
                    continue
                data = page_bytes(RawFile(source, str(source), None))  # a regular file within the page limit
                if args.story is None:
                    print(guess_story(data, source.name, out_dir))
                dest = add_page(data, source.name, raw_dir, args.story, args.outlet, args.url)
        except FileExistsError as exc:
            print(f"presslens add: {exc}", file=sys.stderr)
            status = 1
            continue
        except (PageError, FetchError) as exc:
            reason = exc.reason if isinstance(exc, PageError) else str(exc)
            print(f"presslens add: {item}: {reason}", file=sys.stderr)
            status = 1
            continue
        print(f"added {item} -> {dest}")
    return status


EXTRACT_FIELDS = (
    "path",
    "title",
    "text",
    "outlet",
    "published",
    "author",
    "dateline",
    "original_source",
    "language",
    "url",
    "warnings",
    "removed",
)


def extract_record(path: Path) -> dict:
    """What ``presslens extract`` prints for one file (no Prefect, nothing written)."""
    from presslens.extract import extract_article

    raw = RawFile(path=path, relpath=str(path), story=None)
    article = extract_article(read_page(raw))
    data = article.to_dict()
    data["path"] = str(path)
    return {k: data.get(k) for k in EXTRACT_FIELDS} | {"blocks": data["blocks"]}


def cmd_extract(args: argparse.Namespace) -> int:
    status = 0
    for item in args.paths:
        path = Path(item)
        try:
            rec = extract_record(path)
        except (PageError, OSError) as exc:
            reason = exc.reason if isinstance(exc, PageError) else str(exc)
            if args.json:
                print(json.dumps({"path": str(path), "error": reason}, ensure_ascii=False))
            else:
                print(f"{path}: error: {reason}", file=sys.stderr)
            status = 1
            continue
        blocks = rec.pop("blocks")
        if args.json:
            print(json.dumps(rec, ensure_ascii=False))
        elif args.explain:
            print(explain(rec, blocks))
        else:
            print(f"== {path}")
            for key in ("title", "outlet", "published", "author", "dateline", "original_source", "language"):
                print(f"{key:>16}: {rec.get(key) or '-'}")
            print(f"{'removed':>16}: {len(rec['removed'])} block(s)")
            print()
            print(rec["text"])
            print()
    return status


def explain(rec: dict, blocks: list[dict]) -> str:
    """The page in reading order, each block marked kept (+) or removed (-) with its reason."""
    lines = [f"== {rec['path']}  title: {rec.get('title') or '-'}  outlet: {rec.get('outlet') or '-'}"]
    for block in blocks:
        text = block["text"] if len(block["text"]) <= 160 else block["text"][:157] + "..."
        if block["kept"]:
            lines.append(f"  + {text}")
        else:
            lines.append(f"  - [{block['reason']}] {text}")
    return "\n".join(lines)


def cmd_frames(args: argparse.Namespace) -> int:
    """One sentence per input line -> JSON Lines {sentence, frame, confidence}."""
    from presslens.metrics.frames import classify_sentence

    for line in sys.stdin:
        sentence = line.strip()
        if not sentence:
            continue
        result = classify_sentence(sentence)
        print(
            json.dumps(
                {"sentence": sentence, "frame": result.frame, "confidence": result.confidence}, ensure_ascii=False
            )
        )
    return 0


def add_similarity_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--similarity",
        choices=["lexical", "semantic"],
        help="how key points are matched across outlets: lexical (TF-IDF, the default) or semantic "
        "(sentence embeddings; needs `make install-semantic`); default: $PRESSLENS_SIMILARITY, else lexical",
    )


def add_raw_csv_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV cells that start with = + - @ (a spreadsheet would run them as formulas) as they are; "
        "by default they get a ' in front (docs/outputs.md, 'Outputs in processed/')",
    )


def add_stories_file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stories-file",
        default="stories.yaml",
        type=Path,
        help="story decisions applied on every run (default: ./stories.yaml, beside sources.yaml)",
    )


def cmd_stories_list(args: argparse.Namespace) -> int:
    from presslens.stories.decisions import list_stories

    check = getattr(args, "check", False)
    rows = list_stories(args.out, check_only=check)
    if not rows:
        if check and list_stories(args.out):
            print("no story to check: every grouping is clear of the threshold")
            return 0
        print(f"no stories in {args.out}: run `presslens run` first", file=sys.stderr)
        return 1
    for r in rows:
        mark = "pinned " if r.pinned else ""
        print(f"{r.story}\n    {r.title or '(untitled)'}")
        print(f"    {mark}{r.articles} article(s); {r.outlets or '-'}; {r.dates or 'undated'}")
        print(f"    sure: {r.sureness()}" + (f"\n    CHECK: {r.check}" if r.check else ""))
    what = "to check (the least sure first)" if check else ""
    print(f"{len(rows)} stor{'y' if len(rows) == 1 else 'ies'} {what}".rstrip())
    return 0


def cmd_stories_decide(args: argparse.Namespace) -> int:
    """merge / move / rename / split: checked against the last run, recorded in stories.yaml."""
    from presslens.stories import decisions
    from presslens.stories.overrides import OverridesError

    try:
        if args.action == "merge":
            message = decisions.record_merge(args.out, args.stories_file, args.into, args.stories)
        elif args.action == "move":
            message = decisions.record_move(args.out, args.stories_file, args.article, args.story)
        elif args.action == "split":
            message = decisions.record_split(
                args.out, args.stories_file, args.story, args.articles, args.new_id, args.title
            )
        else:
            message = decisions.record_rename(args.out, args.stories_file, args.story, args.new_id, args.title)
    except (decisions.DecisionError, OverridesError) as exc:
        print(f"presslens stories {args.action}: {exc}; nothing changed", file=sys.stderr)
        return 2
    print(message)
    return 0


def add_stories_parser(sub) -> None:
    stories = sub.add_parser("stories", help="list the stories the run found; merge, move, rename or split them")
    stories.add_argument("--out", default="processed", help="processed folder (default: ./processed)")
    stories.add_argument("--check", action="store_true", help="only the stories worth a look, the least sure first")
    add_stories_file_argument(stories)
    stories.set_defaults(func=cmd_stories_list)
    actions = stories.add_subparsers(dest="action")
    listing = actions.add_parser(
        "list", help="id, title, outlets, articles, dates and how sure the grouping is, for every story (the default)"
    )
    listing.add_argument("--check", action="store_true", help="only the stories worth a look, the least sure first")
    listing.set_defaults(func=cmd_stories_list)
    merge = actions.add_parser("merge", help="make stories one: STORY... join INTO from the next run on")
    merge.add_argument("into")
    merge.add_argument("stories", nargs="+", metavar="STORY")
    merge.set_defaults(func=cmd_stories_decide)
    move = actions.add_parser("move", help="put an article (its id or raw/ path) into a story from the next run on")
    move.add_argument("article")
    move.add_argument("story")
    move.set_defaults(func=cmd_stories_decide)
    rename = actions.add_parser("rename", help="give a story another id and/or title from the next run on")
    rename.add_argument("story")
    rename.add_argument("new_id", nargs="?", help="the new id (a slug); omit to change only the title")
    rename.add_argument("--title", help="the story's title")
    rename.set_defaults(func=cmd_stories_decide)
    split = actions.add_parser(
        "split", help="ARTICLE... report another event than the rest of STORY: their own story from the next run on"
    )
    split.add_argument("story")
    split.add_argument("articles", nargs="+", metavar="ARTICLE", help="article ids or raw/ paths")
    split.add_argument("--to", dest="new_id", help="the new story's id (default: a slug of the first one's headline)")
    split.add_argument("--title", help="the new story's title")
    split.set_defaults(func=cmd_stories_decide)
    for parser in (listing, merge, move, rename, split):
        parser.add_argument("--out", default=argparse.SUPPRESS, help="processed folder (default: ./processed)")
        parser.add_argument("--stories-file", type=Path, default=argparse.SUPPRESS, help="default: ./stories.yaml")


def cmd_init(args: argparse.Namespace) -> int:
    """A project folder: raw/, sources.yaml, outlets.yaml, stories.yaml and prefect.yaml with commented examples."""
    from presslens.project import ProjectExists, init_project

    try:
        written = init_project(args.folder)
    except ProjectExists as exc:
        print(f"presslens init: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"presslens init: {args.folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    here = "" if Path(args.folder).resolve() == Path.cwd() else f"cd {args.folder}\n  "
    print(
        "Next:\n"
        f"  {here}presslens add PAGE_OR_URL [--outlet NAME]   # or list feeds in sources.yaml: presslens collect\n"
        "  presslens run                                # the tables in processed/, and processed/report.html"
    )
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    """Fetch what is new in sources.yaml's feeds and URLs into raw/: a line per outlet, then a summary."""
    from presslens.collect import SourcesError, collect_run, load_sources, summary_lines

    try:  # a broken sources.yaml is said here, before Prefect starts
        sources = load_sources(args.sources)
    except SourcesError as exc:
        print(f"presslens collect: {exc}", file=sys.stderr)
        return 2
    if not sources.outlets:
        print(f"presslens collect: {args.sources} lists no outlets: nothing to collect (see its examples)")
        return 0
    print(f"collecting {len(sources.outlets)} outlet(s) of {args.sources} into {args.raw}/", file=sys.stderr)
    if args.local:
        summary = collect_run(sources, args.raw, progress=lambda line: print(f"  {line}", file=sys.stderr)).to_dict()
    else:
        summary = _collect_flow(args)
    for line in summary_lines(summary):
        print(line)
    if summary["new"]:
        print("Next: presslens run   # processes the new pages and groups them into stories")
    return 1 if summary["failed"] else 0


def _collect_flow(args: argparse.Namespace) -> dict:
    """The collect-articles flow, quiet as ``presslens run`` keeps Prefect, without its compare step."""
    _prefect_defaults()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from flows.api_server import ServerNotReady, early_api_server, use_api

    server = early_api_server()
    from flows.collect_articles import collect_articles

    try:
        with use_api(server):
            return collect_articles(
                sources=str(args.sources),
                raw_dir=str(args.raw),
                then_compare=False,  # presslens run processes them, with its own settings
                progress=True,
            )
    except ServerNotReady as exc:
        raise SystemExit(f"presslens: {exc}") from exc


def add_collect_parser(sub) -> None:
    collect = sub.add_parser(
        "collect", help="fetch new items of the feeds and URLs in sources.yaml into raw/ (then: presslens run)"
    )
    collect.add_argument("--sources", default="sources.yaml", type=Path, help="default: ./sources.yaml")
    collect.add_argument("--raw", default="raw", help="raw folder (default: ./raw)")
    collect.add_argument("--local", action="store_true", help="collect without Prefect (the same steps, in turn)")
    collect.set_defaults(func=cmd_collect)


def add_init_parser(sub) -> None:
    init = sub.add_parser(
        "init", help="make a project folder: raw/ and sources.yaml, outlets.yaml, stories.yaml with examples"
    )
    init.add_argument("folder", nargs="?", default=".", metavar="DIR", help="the project folder (default: .)")
    init.set_defaults(func=cmd_init)


def build_parser() -> argparse.ArgumentParser:
    from presslens.settings import DEFAULT_BATCH_SIZE

    parser = argparse.ArgumentParser(prog="presslens", description="Compare how outlets covered the same story.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="process new pages in raw/ and rebuild the tables in processed/")
    run.add_argument("--raw", default="raw", help="folder of captured pages (default: ./raw)")
    run.add_argument("--out", default="processed", help="output folder (default: ./processed)")
    run.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help=f"pages per Prefect task (default: {DEFAULT_BATCH_SIZE})",
    )
    run.add_argument("--local", action="store_true", help="run the same pipeline without Prefect")
    run.add_argument(
        "--workers",
        type=int,
        help="processes that read pages (default: $PRESSLENS_WORKERS, else the number of cores)",
    )
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the batches on this Dask scheduler (tcp://host:8786; needs the dask extra); "
        "default: $PRESSLENS_DASK_ADDRESS, else this machine's cores",
    )
    add_similarity_argument(run)
    add_stories_file_argument(run)
    run.add_argument(
        "--outlets-file",
        default="outlets.yaml",
        type=Path,
        help="the outlets you follow, with their leans (default: ./outlets.yaml; see README)",
    )
    run.add_argument(
        "--regroup", action="store_true", help="group every article into stories again, not only what new pages touch"
    )
    run.add_argument(
        "--entities",
        choices=["auto", "spacy", "rules"],
        default="auto",
        help="who reads the names in the entities table: spacy (the ner extra's model), rules (capitalised "
        "runs, no model) or auto (spacy when installed; the default)",
    )
    add_raw_csv_argument(run)
    run.set_defaults(func=cmd_run)

    add = sub.add_parser(
        "add", help="copy captured pages (files or URLs) into raw/<story>/, or raw/unsorted/, with a sidecar"
    )
    add.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    add.add_argument(
        "--story", help="pin the page to this story (folder under raw/); default: raw/unsorted/, grouped by the run"
    )
    add.add_argument("--outlet", help="outlet name (else inferred from the page)")
    add.add_argument("--url", help="where the page was captured from")
    add.add_argument("--raw", default="raw", help="raw folder (default: ./raw)")
    add.add_argument("--out", default="processed", help="processed folder to compare with (default: ./processed)")
    add.set_defaults(func=cmd_add)

    from presslens.table_registry import TABLES

    export = sub.add_parser("export", help="write one whole corpus table (e.g. coverage, sentences) as CSV")
    export.add_argument("table", choices=list(TABLES))
    export.add_argument("--out", default="processed", help="the processed/ folder (default: processed)")
    export.add_argument("-o", "--output", help="the CSV file (default: standard output)")
    export.add_argument("--story", action="append", help="only this story's rows (repeatable)")
    add_raw_csv_argument(export)
    export.set_defaults(func=cmd_export)

    ext = sub.add_parser("extract", help="clean and extract pages, printing the result (no Prefect)")
    ext.add_argument("paths", nargs="+", metavar="PATH")
    ext.add_argument("--json", action="store_true", help="one JSON object per page (JSON Lines)")
    ext.add_argument("--explain", action="store_true", help="show the page with kept and removed blocks marked")
    ext.set_defaults(func=cmd_extract)

    add_stories_parser(sub)
    add_init_parser(sub)
    add_collect_parser(sub)

    frames = sub.add_parser("frames", help="policy frame of each sentence read from standard input (JSON Lines)")
    frames.set_defaults(func=cmd_frames)

    bench = sub.add_parser(
        "bench", help="benchmarks on ../shared/bench, from a checkout (python -m benchmarks)", add_help=False
    )
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def command() -> None:
    """The ``presslens`` command: :func:`main`, then :func:`exit_without_teardown` with its code."""
    exit_without_teardown(main())


def exit_without_teardown(code: int) -> None:
    """End this process as the interpreter would — non-daemon threads joined, atexit handlers run
    (Prefect's workers send what they hold, then the temporary API server stops), streams flushed —
    but without tearing down every module and object one by one, which after a run (Prefect, pandas,
    the models) takes longer than all of that. Used by the command only, never inside a caller's
    process; where the interpreter lacks the pieces, an ordinary exit."""
    import atexit

    shutdown_threads = getattr(threading, "_shutdown", None)
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if shutdown_threads is None or run_exit_functions is None:
        sys.exit(code)
    shutdown_threads()
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(int(code or 0))


if __name__ == "__main__":
    command()
