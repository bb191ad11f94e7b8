"""The presslens command: add, extract (no Prefect), run --local."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from presslens.cli import EXTRACT_FIELDS, main
from tests.conftest import EXAMPLE, REPO, python_output


def test_add_copies_with_sidecar_and_refuses_duplicates(tmp_path, seed_001, capsys):
    raw = tmp_path / "raw"
    assert main(["add", str(seed_001), "--story", "NK Russia treaty", "--outlet", "BNC", "--raw", str(raw)]) == 0
    stored = list((raw / "nk-russia-treaty").glob("*.txt"))
    assert len(stored) == 1 and stored[0].read_bytes() == seed_001.read_bytes()
    sidecar = json.loads(stored[0].with_name(stored[0].name + ".meta.json").read_text())
    assert sidecar["outlet"] == "BNC" and sidecar["story"] == "nk-russia-treaty"
    assert stored[0].name.startswith(sidecar["sha256"][:16])
    assert main(["add", str(seed_001), "--story", "other", "--raw", str(raw)]) == 1
    assert "already in raw/" in capsys.readouterr().err


def test_add_refuses_an_outlet_the_run_would_ignore(tmp_path, seed_001, capsys):
    """A non-UTF-8 --outlet (argv bytes Python keeps as lone surrogates) was stored in the sidecar and
    only ignored, with a warning, by the next run: add refuses it and stores nothing."""
    raw = tmp_path / "raw"
    assert main(["add", str(seed_001), "--outlet", "Out\udcfflet", "--raw", str(raw)]) == 2
    assert "outlet (control characters or unpaired surrogates)" in capsys.readouterr().err
    assert not raw.exists()
    assert main(["add", str(seed_001), "--url", "http://[bad-host/story", "--raw", str(raw)]) == 2
    assert "url (" in capsys.readouterr().err and not raw.exists()


def test_extract_json_lines(seed_000, seed_001, capsys):
    assert main(["extract", "--json", str(seed_000), str(seed_001), str(EXAMPLE / "calder-courier.html")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    for rec in records:
        assert set(EXTRACT_FIELDS) <= set(rec)
        assert all({"text", "reason"} == set(r) for r in rec["removed"])
    assert records[2]["outlet"] == "The Calder Courier" and records[2]["author"] == "Dana Whitcombe"


def test_extract_reports_bad_file_and_goes_on(tmp_path, seed_000, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["extract", "--json", str(empty), str(seed_000)]) == 1
    first, second = (json.loads(x) for x in capsys.readouterr().out.strip().splitlines())
    assert first["error"].startswith("empty file") and second["title"]


def test_explain_marks_kept_and_removed(seed_001, capsys):
    main(["extract", "--explain", str(seed_001)])
    out = capsys.readouterr().out
    assert "  - [share] Share on facebook" in out
    assert "  + North Korean state media" in out


@pytest.mark.parametrize("args", [["run", "--local"]])
def test_run_local_writes_tables(tmp_path, args, monkeypatch, capsys):
    import shutil

    shutil.copytree(EXAMPLE, tmp_path / "raw" / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    assert main(args) == 0
    assert (tmp_path / "processed" / "articles.csv").exists()
    assert "4 page(s) processed" in capsys.readouterr().out


def test_the_command_leaves_without_tearing_every_module_down(tmp_path):
    """The slow exit: after a run the interpreter tore down every module and object one by one (~0.8 s
    with Prefect, pandas and the models loaded). The command now leaves once threads are joined and
    atexit handlers have run (Prefect's workers drain, the API server stops), keeping the code."""
    code = textwrap.dedent(
        f"""
        import atexit, threading, time
        from pathlib import Path
        from presslens.cli import exit_without_teardown
        out = Path({str(tmp_path)!r})
        class Kept:
            def __del__(self):
                (out / "torn-down").write_text("yes")
        kept = Kept()
        def late():
            time.sleep(0.2)
            (out / "thread").write_text("joined")
        threading.Thread(target=late).start()
        atexit.register(lambda: (out / "atexit").write_text("ran"))
        print("flushed", end="")
        exit_without_teardown(3)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "flushed"
    assert (tmp_path / "thread").read_text() == "joined" and (tmp_path / "atexit").read_text() == "ran"
    assert not (tmp_path / "torn-down").exists()


@pytest.mark.parametrize("layout", ["out inside raw", "raw inside out", "the same folder"])
def test_an_output_folder_overlapping_the_raw_folder_is_refused(tmp_path, layout, capsys):
    """`--out raw/processed` was accepted: the run wrote into raw/ and the next one read its own tables as pages."""
    import shutil

    raw = tmp_path / "raw" if layout != "raw inside out" else tmp_path / "out" / "raw"
    out = {"out inside raw": raw / "processed", "raw inside out": tmp_path / "out", "the same folder": raw}[layout]
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["run", "--local", "--raw", str(raw), "--out", str(out)]) == 2
    assert "presslens: the " in capsys.readouterr().err
    from presslens.pipeline import run_pipeline
    from presslens.project import FoldersOverlap

    with pytest.raises(FoldersOverlap):
        run_pipeline(raw, out)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written


def test_presslens_command_does_not_import_the_benchmarks():
    """Building the command's parser imported benchmarks/ (and put the checkout on sys.path) on every
    ``presslens`` call; now only ``presslens bench`` imports them."""
    code = (
        "import sys; from presslens.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'benchmarks'))"
    )
    assert python_output(code, cwd=Path("/")) == "[]"  # outside the checkout, as an installed command runs


def test_presslens_bench_is_an_alias_of_python_m_benchmarks(capsys):
    """``presslens bench NAME`` runs ``python -m benchmarks NAME``: the same parser and commands."""
    with pytest.raises(SystemExit):
        main(["bench", "stories", "--help"])
    alias_help = capsys.readouterr().out
    module_help = subprocess.run(
        [sys.executable, "-m", "benchmarks", "stories", "--help"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    options = set(re.findall(r"--[a-z-]+", module_help))
    assert "--corpora" in options and set(re.findall(r"--[a-z-]+", alias_help)) == options
    assert alias_help.startswith("usage: presslens bench stories")
