"""The one way presslens reads the user's files (issue 31): YAML with typed fields, strict booleans and
bounded aliases, and every file opened only when it is a regular file within its size."""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from presslens.collect import SourcesError, load_sources
from presslens.roster import RosterError, load_roster
from presslens.stories.overrides import OverridesError, load_overrides
from presslens.userfile import UserFileError, read_user_file

LOADERS = {
    "sources.yaml": (load_sources, SourcesError),
    "outlets.yaml": (load_roster, RosterError),
    "stories.yaml": (load_overrides, OverridesError),
}


def alias_bomb() -> str:
    """376 bytes of YAML whose aliases expand to over 900 million values ("billion laughs")."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\noutlets:\n  - name: N\n    urls: *i\n"


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_an_alias_bomb_is_refused_in_every_user_file_at_once_and_in_little_memory(tmp_path, name):
    """sources.yaml took 3.9-5.4 GB with this file; every user file goes through one reader now."""
    load, error = LOADERS[name]
    path = tmp_path / name
    path.write_text(alias_bomb())
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(error, match=rf"{name}:9: aliases repeat 926,177,086 values, over the 100,000 allowed"):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20e6 and time.process_time() - start < 5


def test_aliases_within_the_bound_are_read(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "outlets:\n"
        "  - name: A\n    feeds: &common [https://a.example/rss, https://a.example/more]\n"
        "  - name: B\n    feeds: *common\n"
    )
    sources = load_sources(path)
    assert sources.outlets[1].feeds == ["https://a.example/rss", "https://a.example/more"]


def test_a_recursive_alias_is_an_error(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets: &loop\n  - name: A\n    aliases: *loop\n")
    with pytest.raises(RosterError, match="outlets.yaml:1: an alias refers to the value that contains it"):
        load_roster(path)


@pytest.mark.parametrize(("value", "follow"), [("false", False), ('"false"', False), ('"no"', False), ("yes", True)])
def test_a_boolean_in_outlets_yaml_means_what_it_says(tmp_path, value, follow):
    path = tmp_path / "outlets.yaml"
    path.write_text(f"outlets:\n  - name: A\n    follow: {value}\n")
    assert load_roster(path).outlets[0].follow is follow


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_user_file_that_is_a_fifo_or_too_big_is_an_error_not_a_hang(tmp_path, name):
    load, error = LOADERS[name]
    path = tmp_path / name
    os.mkfifo(path)
    with pytest.raises(error, match="FIFO"):  # reading it would block until someone writes to it
        load(path)
    path.unlink()
    with open(path, "wb") as fh:
        fh.truncate(5 * 2**20)
    with pytest.raises(error, match="over the 4 MiB limit"):
        load(path)


def test_read_user_file_checks_the_link_type_and_size_before_reading(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "zero").symlink_to("/dev/zero")
    with pytest.raises(UserFileError, match="a link to a file outside raw/"):
        read_user_file(raw / "zero", 100, root=raw)
    with pytest.raises(UserFileError, match="a character device, not a regular file"):
        read_user_file(raw / "zero", 100)  # no raw/ to stay inside: the type still stops it
    (raw / "page.txt").write_bytes(b"x" * 101)
    with pytest.raises(UserFileError, match="file is 101 bytes, over the 0 KiB limit"):
        read_user_file(raw / "page.txt", 100, root=raw)
    (raw / "link.txt").symlink_to(raw / "page.txt")
    assert read_user_file(raw / "link.txt", 200, root=raw) == b"x" * 101  # a link inside raw/ is read
