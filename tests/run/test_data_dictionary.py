"""Outputs a person can read without the source (issue 34): the data dictionary every run writes,
list-valued cells as Parquet lists of one format, and story ids cut at word boundaries."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from presslens.cli import main
from presslens.corpus_tables import read_table
from presslens.pages import article_id_for, slugify
from presslens.pipeline import run_pipeline
from presslens.stories.membership import new_story_id
from presslens.table_registry import TABLES
from tests.conftest import REPO


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """The repository's own example pages (a pinned story and three pages the run groups), processed."""
    root = tmp_path_factory.mktemp("dictionary")
    shutil.copytree(REPO / "raw", root / "raw", ignore=shutil.ignore_patterns("README*"))
    run_pipeline(root / "raw", root / "processed", workers=1)
    return root / "processed"


def markdown_sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.M)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def test_the_data_dictionary_lists_every_column_of_every_table(processed):
    """The bug: processed/ carried no description of its tables; a reader needed the source to know a
    table's grain or what a column holds. Every run now writes README.md and schema.json from the table
    registry; a table that gains a column the registry does not declare must fail here."""
    schema = {t["name"]: t for t in json.loads((processed / "schema.json").read_text(encoding="utf-8"))["tables"]}
    sections = markdown_sections((processed / "README.md").read_text(encoding="utf-8"))
    on_disk = {p.stem for p in processed.glob("*.parquet")} | {
        p.name for p in (processed / "tables").iterdir() if p.is_dir()
    }
    assert on_disk == set(schema)  # every table written is described, and every described table is written
    for name, entry in schema.items():
        table = read_table(processed, name)
        documented = [c["name"] for c in entry["columns"]]
        assert list(table.columns) == documented, name
        assert entry["grain"] and all(c["meaning"] and c["type"] for c in entry["columns"]), name
        for column in documented:  # and the human-readable page names each one in the table's section
            assert f"| `{column}` |" in sections[name], (name, column)


def test_list_cells_are_parquet_lists_of_one_format(processed):
    """The bug: coverage.sentences was a space-separated string of bare indexes, which became
    ``article_id:index`` only when the outlet had several articles, and sentences.key_points a
    space-separated string: a reader split and joined them by hand. Both are Parquet lists now, each
    evidence ``article_id:index`` whatever the outlet's number of articles; the CSV joins them with spaces."""
    for name in ("coverage", "sentences", "entities"):
        types = {f.name: str(f.type) for f in pq.read_schema(next((processed / "tables" / name).glob("*.parquet")))}
        for column in TABLES[name].list_columns:
            assert types[column.name].startswith("list<"), (name, column.name)
    sentences = read_table(processed, "sentences")
    known = set(zip(sentences["article_id"], sentences["index"], strict=True))
    coverage = read_table(processed, "coverage")
    cited = [cell for cells in coverage["sentences"] for cell in cells]
    assert cited
    for cell in cited:  # each names its article and sentence: a join on sentences without parsing rules
        article_id, _, index = cell.rpartition(":")
        assert (article_id, int(index)) in known, cell
    assert any(len(ids) > 1 for ids in sentences["key_points"])  # a list per sentence, not a joined string
    out_file = processed.parent / "coverage-export.csv"
    assert main(["export", "coverage", "--out", str(processed), "-o", str(out_file)]) == 0
    exported = pd.read_csv(out_file, keep_default_na=False)
    assert exported["sentences"].tolist() == [" ".join(cells) for cells in coverage["sentences"]]


def test_story_ids_end_on_a_whole_word():
    """The bug: a story id was the headline's slug cut at 60 characters, mid-word (``…-investigatio``).
    It now ends on a whole word; article ids, which name files in processed/, keep their old cut."""
    title = "Regional council orders a sweeping review of harbour dredging contracts after an investigation"
    story = new_story_id(title, "fallback", set())
    assert len(story) <= 60 and story.split("-") == slugify(title, 200).split("-")[: len(story.split("-"))]
    assert slugify(title, 200)[: len(story) + 1].endswith("-")  # the next character began a new word
    assert new_story_id(title, "fallback", {story}) == f"{story}-2"  # still unique
    path = f"{title}/page.html"
    assert article_id_for(path).startswith(slugify(title, 200)[:40].strip("-") + "--")  # ids unchanged
