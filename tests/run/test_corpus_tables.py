"""The detail tables' shards: one declared column type each, an older processed/ rebuilt, the export."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from presslens.cli import main
from presslens.corpus_tables import DETAIL_TABLES, read_table, shard_of, write_shard
from presslens.pipeline import run_pipeline


def entity_rows(story: str, first_position, labels) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "story": [story],
            "outlet": ["Calder Courier"],
            "entity": ["Ines Varga"],
            "kind": ["person"],
            "mentions": [3],
            "articles": [1],
            "first_position": [first_position],
            "in_headline": [False],
            "labels": [labels],
            "reader": ["rules"],
        }
    )


def test_shards_of_one_table_read_back_as_one_dataset(tmp_path):
    """The bug: a story whose names all have a position wrote ``first_position`` as integers, another
    as floats, and a column of only missing values had no type at all, so ``pd.read_parquet`` on the
    folder failed ("Float value 1.5 was truncated"). Each shard is now written with the declared types."""
    a = "story-a"  # its shard comes first: its integer positions would be the dataset's type
    b = next(f"story-{i}" for i in range(100) if shard_of(f"story-{i}") > shard_of(a))
    write_shard(entity_rows(a, 2, []), tmp_path, "entities", shard_of(a))
    write_shard(entity_rows(b, 1.5, ["rescuer"]), tmp_path, "entities", shard_of(b))
    whole = pd.read_parquet(tmp_path / "tables" / "entities")
    assert sorted(whole["first_position"]) == [1.5, 2.0]
    assert read_table(tmp_path, "entities")["story"].tolist() == sorted([a, b])


def test_a_table_that_breaks_its_declared_columns_is_refused_when_written(tmp_path):
    with pytest.raises(ValueError, match="undeclared column"):
        write_shard(entity_rows("s", 1, None).assign(extra=1), tmp_path, "entities", 0)
    with pytest.raises(ValueError, match="does not fit its declared column type"):
        write_shard(entity_rows("s", 1, None).assign(mentions=[1.5]), tmp_path, "entities", 0)
    assert not (tmp_path / "tables" / "entities" / "part-00.parquet").exists()


def test_processed_folder_of_the_older_layout_is_rebuilt_and_exported(work_raw, tmp_path):
    out = tmp_path / "processed"
    first = run_pipeline(work_raw, out)
    tables = {name: read_table(out, name) for name in DETAIL_TABLES}
    assert all(len(t) for t in tables.values() if t is not tables["actor_labels"])
    # what a processed/ of the previous release held: whole-corpus files and no shards
    shutil.rmtree(out / "tables")
    tables["coverage"].to_csv(out / "coverage.csv", index=False)
    again = run_pipeline(work_raw, out)
    assert again.processed == 0 and again.tables.rebuilt_stories == first.tables.stories
    assert not (out / "coverage.csv").exists()  # no stale whole-corpus copy beside the shards
    for name, table in tables.items():
        assert read_table(out, name).equals(table), name
    # shards of another layout (another shard count) would put a story's rows in two files
    stray = out / "tables" / "coverage" / "part-99.parquet"
    shutil.copy(next((out / "tables" / "coverage").glob("part-*.parquet")), stray)
    (out / "tables" / "LAYOUT").write_text("128 shards by crc32 of the story\n")
    third = run_pipeline(work_raw, out)
    assert third.tables.rebuilt_stories == first.tables.stories and not stray.exists()
    assert read_table(out, "coverage").equals(tables["coverage"])

    exported = tmp_path / "coverage.csv"
    assert main(["export", "coverage", "--out", str(out), "-o", str(exported)]) == 0
    assert len(pd.read_csv(exported)) == len(tables["coverage"])
    story = tables["coverage"]["story"].iloc[0]
    assert main(["export", "coverage", "--out", str(out), "--story", story, "-o", str(exported)]) == 0
    assert set(pd.read_csv(exported)["story"]) == {story}
    assert main(["export", "coverage", "--out", str(tmp_path / "nothing-here")]) == 1
