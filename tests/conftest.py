"""Shared fixtures: the third-party pages live in ../shared and are read from there, never copied."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PRESSLENS_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
SEED_000 = SEEDS / "000_9d96712d07ff0cab.txt"
SEED_001 = SEEDS / "001_4aafd163f21e6d67.txt"
EXAMPLE = REPO / "raw" / "port-calder-bridge-closure"


def python_output(code: str, cwd: Path = REPO) -> str:
    """What ``python -c code`` prints in a fresh interpreter (one that has imported nothing yet)."""
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def need_shared(path: Path) -> Path:
    """Skip (locally) or fail (in CI) when the ../shared material is not beside the repo."""
    if not path.exists():
        message = f"{path} not found: clone the repo beside ../shared to run the real-page tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def seed_000() -> Path:
    return need_shared(SEED_000)


@pytest.fixture
def seed_001() -> Path:
    return need_shared(SEED_001)


@pytest.fixture
def work_raw(tmp_path: Path) -> Path:
    """A raw/ folder with the bundled example story and the two seeds, in a temp dir."""
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    seeds = raw / "north-korea-russia-treaty"
    seeds.mkdir()
    for seed in (need_shared(SEED_000), need_shared(SEED_001)):
        shutil.copy(seed, seeds / seed.name)
    return raw


def copy_example_stories(raw: Path, copies: int) -> None:
    """``copies`` stories under ``raw``, each a copy of the bundled example (4 pages)."""
    for i in range(copies):
        shutil.copytree(EXAMPLE, raw / f"story-{i}")


def local_run_command(raw: Path, out: Path, *options: str) -> tuple[list[str], dict[str, str]]:
    """``presslens run --local`` as a child process with one worker: for drills that kill or race runs."""
    cmd = [sys.executable, "-m", "presslens.cli", "run", "--local", *options, "--raw", str(raw), "--out", str(out)]
    # no roster or story decisions from the working folder: the runs are compared with plain run_pipeline
    cmd += [
        "--outlets-file",
        str(out.parent / "no-outlets.yaml"),
        "--stories-file",
        str(out.parent / "no-stories.yaml"),
    ]
    return cmd, {**os.environ, "PRESSLENS_WORKERS": "1"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove a run did not touch it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def table_csv(out: Path, name: str, **read_csv_options):
    """A whole corpus table as a CSV reader sees it (what ``presslens export NAME`` writes)."""
    import io

    import pandas as pd

    from presslens.corpus_tables import read_table
    from presslens.store import csv_text

    return pd.read_csv(io.StringIO(csv_text(read_table(out, name), raw_csv=True, table=name)), **read_csv_options)


# The paragraphs of an own-written council story, for tests that need a plain article page.
FOOTBRIDGE_PARAGRAPHS = [
    "The Ashworth council voted on Tuesday to approve the footbridge over the river after months of debate.",
    "Work on the crossing will begin in the spring, the council's engineer told the meeting on Tuesday evening.",
    "Residents of the east bank had asked for a crossing since the old ferry stopped running three years ago.",
    "The bridge will cost four million pounds, most of it paid by the regional transport fund, officials said.",
    "A second vote on the cycle lanes that lead to the bridge is planned for the council's meeting in March.",
    "The ferry company said it would sell its last boat once the footbridge opens to walkers and cyclists.",
]

GVA_DOCS = SHARED / "bench" / "events" / "gva-dev" / "docs.jsonl"


def gva_docs(ids: set[str]) -> dict[str, dict]:
    """The GVA dev documents whose id starts with one of ``ids``."""
    found = {}
    for line in need_shared(GVA_DOCS).read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        key = next((i for i in ids if doc["doc"].startswith(i)), None)
        if key:
            found[key] = doc
    return found


def write_gva_page(doc: dict, folder: Path) -> Path:
    """A GVA document as a saved page: its title as the page's headline, a paragraph per line, the sidecar."""
    from benchmarks.stories import gva_page_html

    folder.mkdir(parents=True, exist_ok=True)
    page = folder / f"{doc['doc']}.html"
    page.write_text(gva_page_html(doc["title"], doc["text"]), encoding="utf-8")
    sidecar = {"outlet": doc["outlet"], "published": doc["published"], "url": doc["url"]}
    Path(f"{page}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return page


def gva_page_text(doc_id: str) -> str:
    """The text presslens extracts from GVA dev's document ``doc_id`` saved as the held-out pages are (h1, a <p> a
    line); skips the test when ../shared is missing."""
    from benchmarks.stories import gva_page_html
    from presslens.extract import extract_text

    doc = gva_docs({doc_id})[doc_id]
    return extract_text(gva_page_html(doc["title"], doc["text"]), url=doc["url"], is_html=True).text


HTML_DEV = SHARED / "bench" / "extraction" / "html-dev"
TEXT_DEV = SHARED / "bench" / "extraction" / "text-dev"


def f1(predicted: str, truth: str) -> float:
    """F1 of the Zyte benchmark's page precision and recall (benchmarks.zyte.page_scores)."""
    from benchmarks.zyte import page_scores

    p, r = page_scores(predicted, truth)
    p = p or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@pytest.fixture
def flushed_files(monkeypatch) -> list[Path]:
    """The paths of the files flushed to disk (os.fsync) from now on in this test, in order."""
    flushed: list[Path] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return flushed


@pytest.fixture(scope="session")
def html_pages():
    from benchmarks.zyte import load_dataset

    return {pid[:12]: (c, t) for pid, c, t in load_dataset(need_shared(HTML_DEV))}


@pytest.fixture(scope="session")
def text_pages():
    from benchmarks.zyte import load_dataset

    return {pid[:12]: (c, t) for pid, c, t in load_dataset(need_shared(TEXT_DEV))}


def need_backend(backend: str) -> None:
    """Skip (with the reason) when the semantic extra is not installed: `pip install -e '.[dev]'` alone."""
    if backend == "semantic":
        from presslens.compare.embeddings import SemanticBackendMissing, encoder

        try:
            encoder()
        except (SemanticBackendMissing, ImportError, OSError) as exc:
            pytest.skip(f"the semantic backend is not installed ({exc}); `make install-semantic` installs it")
