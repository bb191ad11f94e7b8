"""Hostile input (issue 20), generated here: each page is extracted in a child process under a memory
and CPU limit (rlimit, not a wall clock) and must end with a result or a clear reason."""

from __future__ import annotations

import gzip
import json
import resource
import subprocess
import sys
import zlib

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
    if name == "100000-paragraphs.html":  # it took 2.1 GB and 48 s before the bound
        assert record["error"].startswith("100,00") and "over the 20,000 limit" in record["error"]


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
        "sidecar page.txt.meta.json: fields that must be text ignored: outlet (list), published (int), story (dict)"
    ]
    assert read.story is None


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
    read = read_page(RawFile(page, "s/page.txt", "s"))
    assert read.sidecar == {} and read.warnings == ["sidecar page.txt.meta.json ignored: a link to a file outside raw/"]
    # a story given as a path is only ever a slug: the page lands inside raw/
    new = tmp_path / "new.txt"
    new.write_text("The ferry timetable changes on Monday, the harbour board said on Friday.\n")
    assert main(["add", str(new), "--story", "../../outside", "--raw", str(raw), "--out", str(tmp_path / "p")]) == 0
    assert list((raw / "outside").glob("*.txt")) and not (tmp_path.parent / "outside").exists()
