"""Pages processed together (processing.process_pages_together): spaCy reads a few pages' names in one call, which
costs ~15% less a page than one at a time; each page's record must be what processing it alone gives, and a page
that fails still costs only itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.metrics import entities as entity_readers
from presslens.pages import RawFile
from presslens.processing import fingerprint, name_groups, process_page, process_pages_together
from presslens.store import Store
from tests.conftest import HTML_DEV, SEEDS

pytestmark = pytest.mark.skipif(not entity_readers.spacy_available(), reason="the ner extra is not installed")


def _pages(tmp_path: Path) -> list[RawFile]:
    """The two seeds, two html-dev pages and an empty file, as a user's raw/ would hold them."""
    raw = tmp_path / "raw"
    raw.mkdir()
    sources = [*sorted(SEEDS.glob("*"))[:2], *sorted((HTML_DEV / "html").glob("*.html.gz"))[:2]]
    pages = []
    for k, source in enumerate(sources):
        path = raw / f"{k}-{source.name}"
        path.write_bytes(source.read_bytes())
        pages.append(RawFile(path, path.name, None))
    empty = raw / "empty.html"
    empty.write_text("")
    return [*pages[:2], RawFile(empty, empty.name, None), *pages[2:]]


def _records(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text()) for p in sorted((out / "articles").rglob("*.json"))}


def test_pages_named_together_get_the_records_they_get_alone(tmp_path):
    """The batch a worker hands spaCy changes no page's names (nor anything else in its record); the empty file
    among them fails with its own reason and the others are unaffected."""
    pages = _pages(tmp_path)
    fps = [fingerprint(raw, "spacy") for raw in pages]
    alone, together = Store(tmp_path / "alone"), Store(tmp_path / "together")
    single = [process_page(raw, alone, fp, "spacy") for raw, fp in zip(pages, fps, strict=True)]
    grouped = process_pages_together(pages, together, fps, "spacy")
    assert [o.ok for o in grouped] == [o.ok for o in single] == [True, True, False, True, True]
    assert "empty file" in grouped[2].errors[0]["reason"]
    alone_records, together_records = _records(tmp_path / "alone"), _records(tmp_path / "together")
    assert len(together_records) == 4 and together_records == alone_records
    named = [bool(record["entities"]) for record in together_records.values()]
    assert named.count(True) == 3  # WSJ's paywalled page keeps 361 characters, which name no one


def test_a_failing_batch_call_reads_each_page_alone(tmp_path, monkeypatch):
    """If the reader fails on the batch (a text it cannot take), each page's names are read on their own: only the
    page whose text fails fails, at the entities stage with the reader's error, and no record of it is left."""
    from presslens import processing

    pages = [raw for raw in _pages(tmp_path) if raw.relpath != "empty.html"]
    calls = []

    def fragile(titles, texts, reader):
        calls.append(len(texts))
        if len(texts) > 1 or len(calls) == 3:  # the batch, then the second page read alone
            raise RuntimeError("the model could not read this text")
        return entity_readers.read_entities(titles, texts, reader)

    monkeypatch.setattr(processing, "read_entities", fragile)
    out = tmp_path / "out"
    outcomes = process_pages_together(pages, Store(out), [fingerprint(p, "spacy") for p in pages], "spacy")
    assert calls == [4, 1, 1, 1, 1]
    assert [o.ok for o in outcomes] == [True, False, True, True]
    assert outcomes[1].errors[-1]["stage"] == "entities"
    assert "the model could not read this text" in outcomes[1].errors[-1]["reason"]
    assert len(_records(out)) == 3


def test_a_batch_is_cut_into_even_groups_a_worker_names_together():
    assert [len(g) for g in name_groups(25, "spacy")] == [6, 6, 7, 6]
    assert [len(g) for g in name_groups(25, "rules")] == [1] * 25
    assert [list(g) for g in name_groups(3, "spacy")] == [[0, 1, 2]] and name_groups(0, "spacy") == []
