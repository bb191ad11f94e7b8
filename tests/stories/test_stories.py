"""Stories found by the run (issue 17): grouping, pins, decisions in stories.yaml, stable ids."""

from __future__ import annotations

import json
import random
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from presslens.cli import main
from presslens.corpus_tables import read_table
from presslens.pages import article_id_for
from presslens.pipeline import run_pipeline
from presslens.stories.grouping import Candidates, PairModel, group_articles, shipped_model
from presslens.stories.membership import load_membership
from presslens.stories.overrides import OverridesError, load_overrides
from tests.conftest import EXAMPLE, REPO, SEED_000, SEED_001, need_shared, snapshot

WILDFIRE = REPO / "raw" / "unsorted"
BRIDGE = EXAMPLE.name


def pages_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.endswith(".meta.json"))


def copy_page(page: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(page, dest / page.name)
    sidecar = page.with_name(page.name + ".meta.json")
    if sidecar.exists():
        shutil.copy(sidecar, dest / sidecar.name)
    return dest / page.name


def story_of(out: Path, relpath: str) -> str:
    return load_membership(out).assignment[article_id_for(relpath)]


def stories_by_page(out: Path, raw: Path) -> dict[str, str]:
    assignment = load_membership(out).assignment
    pages = [p for p in raw.rglob("*") if p.is_file() and not p.name.endswith(".meta.json")]
    return {p.relative_to(raw).as_posix(): assignment.get(article_id_for(p.relative_to(raw).as_posix())) for p in pages}


@pytest.fixture
def bundled(tmp_path) -> Path:
    """The bundled raw/: the bridge story in its folder (pinned), the wildfire pages in raw/unsorted/."""
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE, raw / BRIDGE)
    shutil.copytree(WILDFIRE, raw / "unsorted")
    return raw


def test_unsorted_pages_become_their_own_story_and_every_table_uses_it(bundled, tmp_path):
    out = tmp_path / "out"
    before = snapshot(bundled)
    run_pipeline(bundled, out)
    assert snapshot(bundled) == before  # raw/ is never modified, grouping included
    found = stories_by_page(out, bundled)
    wildfire = {s for p, s in found.items() if p.startswith("unsorted/")}
    assert len(wildfire) == 1 and wildfire != {BRIDGE}
    assert {s for p, s in found.items() if p.startswith(BRIDGE)} == {BRIDGE}
    (story,) = wildfire
    assert story == "wildfire-forces-1-400-from-their-homes-in-the-orrin-valley"  # the most central headline
    for table in ("articles", "outlets", "stories", "sentences", "measures", "coverage"):
        assert set(read_table(out, table)["story"]) == {BRIDGE, story}, table
    articles = pd.read_csv(out / "articles.csv")
    assert set(articles[articles.story == story].story_by) == {"grouped"}
    assert set(articles[articles.story == BRIDGE].story_by) == {"pinned"}
    stories = pd.read_csv(out / "stories.csv").set_index("story")
    assert stories.loc[story, "title"] == "Wildfire forces 1,400 from their homes in the Orrin Valley"
    assert stories.loc[story, "outlets"] == 3
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Wildfire forces 1,400 from their homes in the Orrin Valley" in report
    assert "grouped by presslens" in report
    assert (out / "stories" / story / "report.html").exists()


def test_the_seed_pair_lands_in_one_story_without_a_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in (need_shared(SEED_000), need_shared(SEED_001)):
        shutil.copy(seed, raw / seed.name)
    shutil.copytree(EXAMPLE, raw / BRIDGE)
    out = tmp_path / "out"
    run_pipeline(raw, out)
    assert story_of(out, SEED_000.name) == story_of(out, SEED_001.name) != BRIDGE


def test_a_pinned_page_never_moves(bundled, tmp_path):
    """A wildfire page filed in the bridge folder stays there, however much it resembles the wildfire story."""
    misfiled = copy_page(WILDFIRE / "northshore-orrin-shelter.txt", bundled / BRIDGE)
    (bundled / "unsorted" / "northshore-orrin-shelter.txt").unlink()
    out = tmp_path / "out"
    run_pipeline(bundled, out)
    assert story_of(out, misfiled.relative_to(bundled).as_posix()) == BRIDGE
    copy_page(WILDFIRE / "northshore-orrin-shelter.txt", bundled / "unsorted").rename(
        bundled / "unsorted" / "another-capture.txt"
    )
    run_pipeline(bundled, out, regroup=True)
    assert story_of(out, misfiled.relative_to(bundled).as_posix()) == BRIDGE
    assert story_of(out, "unsorted/another-capture.txt") == story_of(out, "unsorted/courier-orrin-fire.html")


def test_a_story_keeps_its_id_when_a_page_joins(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    first, second, third = pages_of(WILDFIRE)
    for page in (second, third):
        copy_page(page, raw / "unsorted")
    run_pipeline(raw, out)
    before = story_of(out, f"unsorted/{second.name}")
    assert before == story_of(out, f"unsorted/{third.name}")
    copy_page(first, raw / "unsorted")
    summary = run_pipeline(raw, out)
    assert summary.processed == 1
    assert {story_of(out, f"unsorted/{p.name}") for p in (first, second, third)} == {before}
    assert pd.read_csv(out / "stories.csv").set_index("story").loc[before, "articles"] == 3


def test_arrival_order_does_not_change_the_stories(tmp_path):
    pages = [*pages_of(EXAMPLE), *pages_of(WILDFIRE)]
    all_at_once = tmp_path / "once"
    for page in pages:
        copy_page(page, all_at_once / "unsorted")
    run_pipeline(all_at_once, tmp_path / "once-out")
    expected = stories_by_page(tmp_path / "once-out", all_at_once)
    order = list(pages)
    random.Random(7).shuffle(order)
    raw, out = tmp_path / "raw", tmp_path / "out"
    for start in range(0, len(order), 3):
        for page in order[start : start + 3]:
            copy_page(page, raw / "unsorted")
        run_pipeline(raw, out)
    got = stories_by_page(out, raw)

    def partition(found: dict[str, str]) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for page, story in found.items():
            groups.setdefault(story, set()).add(page)
        return {frozenset(g) for g in groups.values()}

    assert partition(got) == partition(expected)
    assert len(partition(got)) == 2  # the two events, found without any folder


def test_decisions_are_recorded_and_survive_later_runs(bundled, tmp_path, capsys):
    out, decisions = tmp_path / "out", tmp_path / "stories.yaml"
    run_pipeline(bundled, out)
    wildfire = story_of(out, "unsorted/courier-orrin-fire.html")
    common = ["--out", str(out), "--stories-file", str(decisions)]
    # a wrong story or article changes nothing
    assert main(["stories", "move", "unsorted/courier-orrin-fire.html", "no-such-story", *common]) == 2
    assert main(["stories", "move", "raw/nowhere.html", BRIDGE, *common]) == 2
    assert main(["stories", "merge", BRIDGE, "no-such-story", *common]) == 2
    assert main(["stories", "rename", wildfire, BRIDGE, *common]) == 2  # a clash: that is a merge
    assert "nothing changed" in capsys.readouterr().err and not decisions.exists()

    assert main(["stories", "move", "raw/unsorted/valley-wire-orrin-emergency.html", BRIDGE, *common]) == 0
    assert main(["stories", "rename", wildfire, "orrin-valley-fire", "--title", "Orrin Valley fire", *common]) == 0
    overrides = load_overrides(decisions)
    assert overrides.moves == {article_id_for("unsorted/valley-wire-orrin-emergency.html"): BRIDGE}
    assert overrides.renames == [(wildfire, "orrin-valley-fire", "Orrin Valley fire")]
    run_pipeline(bundled, out, overrides=overrides)
    assert story_of(out, "unsorted/valley-wire-orrin-emergency.html") == BRIDGE
    assert story_of(out, "unsorted/courier-orrin-fire.html") == "orrin-valley-fire"
    stories = pd.read_csv(out / "stories.csv").set_index("story")
    assert stories.loc["orrin-valley-fire", "title"] == "Orrin Valley fire"
    confidence = load_membership(out).confidence  # how sure the grouping is follows the story to its new id
    assert wildfire not in confidence and confidence["orrin-valley-fire"].weakest is not None

    # a later run with a new page keeps every decision
    copy_page(WILDFIRE / "northshore-orrin-shelter.txt", bundled / "unsorted").rename(
        bundled / "unsorted" / "shelter-update.txt"
    )
    run_pipeline(bundled, out, overrides=load_overrides(decisions))
    assert story_of(out, "unsorted/valley-wire-orrin-emergency.html") == BRIDGE
    assert story_of(out, "unsorted/shelter-update.txt") == "orrin-valley-fire"
    articles = pd.read_csv(out / "articles.csv").set_index("raw_path")
    assert articles.loc["unsorted/valley-wire-orrin-emergency.html", "story_by"] == "moved"

    # merging: the wildfire story's articles join the bridge story and stay there
    assert main(["stories", "merge", BRIDGE, "orrin-valley-fire", *common]) == 0
    run_pipeline(bundled, out, overrides=load_overrides(decisions))
    run_pipeline(bundled, out, overrides=load_overrides(decisions))
    assert set(stories_by_page(out, bundled).values()) == {BRIDGE}


def test_a_broken_stories_file_stops_the_run_and_names_the_line(bundled, tmp_path, capsys):
    decisions = tmp_path / "stories.yaml"
    decisions.write_text("move:\n  - article: x\n    story: y\n    when: now\n", encoding="utf-8")
    with pytest.raises(OverridesError, match=r"stories.yaml:4: unknown field 'when'"):
        load_overrides(decisions)
    args = ["run", "--local", "--raw", str(bundled), "--out", str(tmp_path / "out"), "--stories-file", str(decisions)]
    assert main(args) == 2
    assert "stories.yaml:4" in capsys.readouterr().err and not (tmp_path / "out").exists()
    decisions.write_text("merge: yes\n", encoding="utf-8")
    with pytest.raises(OverridesError, match=r":1: merge must be a list"):
        load_overrides(decisions)


def test_add_without_a_story_goes_to_unsorted_and_prints_a_best_guess(bundled, tmp_path, capsys):
    out = tmp_path / "out"
    run_pipeline(bundled, out)
    wildfire = story_of(out, "unsorted/courier-orrin-fire.html")
    capsys.readouterr()
    page = tmp_path / "fire-follow-up.txt"
    page.write_text((WILDFIRE / "northshore-orrin-shelter.txt").read_text().replace("About 500", "Some 600"))
    assert main(["add", str(page), "--raw", str(bundled), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"story (best guess): {wildfire}" in said and "the next run decides" in said
    (stored,) = [p for p in (bundled / "unsorted").glob("*.txt") if p.name != "northshore-orrin-shelter.txt"]
    assert "story" not in json.loads(stored.with_name(stored.name + ".meta.json").read_text())
    run_pipeline(bundled, out)
    assert story_of(out, stored.relative_to(bundled).as_posix()) == wildfire


class FeedHandler(BaseHTTPRequestHandler):
    """A feed of seven own-text pages about two events; a fresh handler class per test."""

    pages: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 - http.server's naming
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/feed.xml":
            items = "".join(f"<item><title>{n}</title><link>{base}/{n}</link></item>" for n in sorted(self.pages))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
            return self.reply(body.encode(), "application/rss+xml")
        name = self.path.lstrip("/")
        if name in self.pages:
            return self.reply(self.pages[name], "text/html" if name.endswith(".html") else "text/plain")
        self.send_response(404)
        self.end_headers()
        return None

    def reply(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_collect_run_of_two_new_events_yields_two_stories(tmp_path):
    from presslens.collect import Source, collect_source

    handler = type("Handler", (FeedHandler,), {"pages": {p.name: p.read_bytes() for p in pages_of(EXAMPLE)}})
    handler.pages.update({p.name: p.read_bytes() for p in pages_of(WILDFIRE)})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        raw, out = tmp_path / "raw", tmp_path / "out"
        feed = Source(outlet="Regional feed", feeds=[f"http://127.0.0.1:{httpd.server_port}/feed.xml"])
        result = collect_source(feed, raw, allow_private=True)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert len(result.added) == 7 and all(p.parent == raw / "unsorted" for p in result.added)
    run_pipeline(raw, out)
    by_url = {
        json.loads(p.with_name(p.name + ".meta.json").read_text())["url"].rsplit("/", 1)[1]: story_of(
            out, p.relative_to(raw).as_posix()
        )
        for p in result.added
    }
    assert len(set(by_url.values())) == 2
    assert {by_url[p.name] for p in pages_of(EXAMPLE)} != {by_url[p.name] for p in pages_of(WILDFIRE)}
    assert len({by_url[p.name] for p in pages_of(EXAMPLE)}) == 1


LINKAGE = PairModel(shipped_model().weights, shipped_model().intercept, threshold=0.2, cohesion=0.7)


def test_pins_never_mix_and_pinned_articles_start_together():
    edges = {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9, (2, 3): 0.05}
    groups = group_articles(range(4), Candidates(edges), pins={0: "a", 1: "b"}, model=LINKAGE)
    assert [0, 1] not in groups and not any({0, 1} <= set(g) for g in groups)
    together = group_articles(range(4), Candidates({(2, 3): 0.5}), pins={0: "a", 1: "a"}, model=LINKAGE)
    assert [0, 1] in together and [2, 3] in together  # no similarity needed between pinned articles


def test_two_tight_groups_of_one_kind_stay_apart_but_copies_do_not_wall_off_a_story():
    # two events of the same kind: each tight inside (0.6), like each other at 0.3 (above the threshold)
    edges = {(0, 1): 0.6, (0, 2): 0.6, (1, 2): 0.6, (3, 4): 0.6, (3, 5): 0.6, (4, 5): 0.6}
    edges.update({(i, j): 0.3 for i in range(3) for j in range(3, 6)})
    assert group_articles(range(6), Candidates(edges), model=LINKAGE) == [[0, 1, 2], [3, 4, 5]]
    # one event, each report saved twice (as HTML and as a text dump): two copy pairs alike at 0.4
    copies = {(0, 1): 0.95, (2, 3): 0.95}
    copies.update({(i, j): 0.4 for i in (0, 1) for j in (2, 3)})
    assert group_articles(range(4), Candidates(copies, copies={(0, 1), (2, 3)}), model=LINKAGE) == [[0, 1, 2, 3]]
    # the same graph without the copies marked: the two pairs wall themselves off (0.4 < 0.7 x 0.95)
    assert group_articles(range(4), Candidates(copies), model=LINKAGE) == [[0, 1], [2, 3]]


def test_a_move_takes_exactly_the_named_article(tmp_path):
    """Issue 31: `stories move PAGE STORY` then a run moved the page's two story-mates along with it; the
    three took STORY's id and title, and STORY's own articles were renamed STORY-2. Three stories here:
    one article moves, every other article keeps its story, id and title."""
    from tests.stories.test_story_stream import STREAM, write_stream

    raw, out, decisions = tmp_path / "raw", tmp_path / "out", tmp_path / "stories.yaml"
    write_stream(raw, STREAM[:6])
    for page in pages_of(WILDFIRE):
        copy_page(page, raw / "unsorted")
    run_pipeline(raw, out)
    before = stories_by_page(out, raw)
    ostrow, fenwick = before["ledger-ostrow.html"], before["ledger-fenwick.html"]
    wildfire = before["unsorted/courier-orrin-fire.html"]
    assert len({ostrow, fenwick, wildfire}) == 3
    titles = load_membership(out).titles
    assert (
        main(
            ["stories", "move", "raw/ledger-ostrow.html", fenwick, "--out", str(out), "--stories-file", str(decisions)]
        )
        == 0
    )
    run_pipeline(raw, out, overrides=load_overrides(decisions))
    after = stories_by_page(out, raw)
    expected = {**before, "ledger-ostrow.html": fenwick}
    assert after == expected
    assert load_membership(out).titles[fenwick] == titles[fenwick]
    assert not any(story.endswith("-2") for story in after.values())
    articles = pd.read_csv(out / "articles.csv").set_index("raw_path")
    assert articles.loc["ledger-ostrow.html", "story_by"] == "moved"
    assert articles.loc["wire-ostrow.html", "story_by"] == "grouped"


def test_a_split_makes_a_story_of_its_own_that_never_rejoins(tmp_path, capsys):
    """`stories split STORY ARTICLE...`: the articles leave for a story of their own, the rest keeps
    the story's id, and the two stay apart on later runs (with a regroup, with new pages)."""
    from tests.stories.test_story_stream import STREAM, write_stream

    raw, out, decisions = tmp_path / "raw", tmp_path / "out", tmp_path / "stories.yaml"
    write_stream(raw / "port-calder-shootings", STREAM[:6])  # filed together: one story
    write_stream(raw, STREAM[6:])  # the arrest follow-up, unsorted
    run_pipeline(raw, out)
    story = "port-calder-shootings"
    fenwick = [f"port-calder-shootings/{name}" for name in ("ledger-fenwick.html", "wire-fenwick.html")]
    common = ["--out", str(out), "--stories-file", str(decisions)]
    # refused: an article of another story, every article of the story, a clash with an existing story
    assert main(["stories", "split", story, "raw/unsorted/nowhere.html", *common]) == 2
    every = load_membership(out).members()[story]  # the six filed pages (and the follow-up if grouped in)
    assert len(every) >= 6
    assert main(["stories", "split", story, *every, *common]) == 2
    assert main(["stories", "split", story, *fenwick, "--to", story, *common]) == 2
    assert "nothing changed" in capsys.readouterr().err and not decisions.exists()
    assert (
        main(["stories", "split", story, *fenwick, "--to", "fenwick-road-shooting", "--title", "Fenwick Road", *common])
        == 0
    )
    overrides = load_overrides(decisions)
    assert [(s.story, s.to, s.title) for s in overrides.splits] == [(story, "fenwick-road-shooting", "Fenwick Road")]
    run_pipeline(raw, out, overrides=overrides)
    found = stories_by_page(out, raw)
    assert {found[p] for p in fenwick} == {"fenwick-road-shooting"}
    assert found["port-calder-shootings/ledger-ostrow.html"] == story
    assert found["port-calder-shootings/radio-fenwick.html"] == story  # not named in the split: it stays
    assert load_membership(out).titles["fenwick-road-shooting"] == "Fenwick Road"
    articles = pd.read_csv(out / "articles.csv").set_index("raw_path")
    assert articles.loc[fenwick[0], "story_by"] == "split"

    # a new report of the Fenwick shooting, unsorted, and a regroup: the two stories stay apart
    write_stream(raw / "unsorted", [("gazette-fenwick.html", *STREAM[3][1:])])
    run_pipeline(raw, out, overrides=overrides, regroup=True)
    again = stories_by_page(out, raw)
    assert {again[p] for p in fenwick} == {"fenwick-road-shooting"} and again["unsorted/gazette-fenwick.html"]
    assert again["port-calder-shootings/ledger-ostrow.html"] == story


def test_a_split_of_a_grouped_story_keeps_both_parts_apart(tmp_path):
    """Without folders: the arrest follow-up is split off the Ostrow story it was grouped into."""
    from tests.stories.test_story_stream import STREAM, write_stream

    raw, out, decisions = tmp_path / "raw", tmp_path / "out", tmp_path / "stories.yaml"
    ostrow = [STREAM[k] for k in (0, 1, 2, 6)]
    write_stream(raw, ostrow)
    run_pipeline(raw, out)
    story = story_of(out, "ledger-arrest.html")
    assert story == story_of(out, "ledger-ostrow.html")
    assert (
        main(["stories", "split", story, "ledger-arrest.html", "--out", str(out), "--stories-file", str(decisions)])
        == 0
    )
    for _ in range(2):
        run_pipeline(raw, out, overrides=load_overrides(decisions), regroup=True)
        found = stories_by_page(out, raw)
        assert found["ledger-arrest.html"] != story
        assert {found[p[0]] for p in ostrow[:3]} == {story}


def test_a_split_written_by_hand_is_checked(tmp_path):
    decisions = tmp_path / "stories.yaml"
    decisions.write_text("split:\n  - story: a\n    articles: [x, y]\n    to: b\n    title: B\n", encoding="utf-8")
    assert [(s.story, s.articles, s.to, s.title) for s in load_overrides(decisions).splits] == [
        ("a", ("x", "y"), "b", "B")
    ]
    decisions.write_text("split:\n  - story: a\n    articles: [x]\n    to: a\n", encoding="utf-8")
    with pytest.raises(OverridesError, match=r"stories.yaml:2: split's `to` must be another story"):
        load_overrides(decisions)
    decisions.write_text("split:\n  - story: a\n    to: b\n", encoding="utf-8")
    with pytest.raises(OverridesError, match=r"stories.yaml:2: .*needs a `articles`"):
        load_overrides(decisions)
