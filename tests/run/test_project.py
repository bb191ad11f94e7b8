"""A new user's workflow (issue 34): init a project, add or collect pages, run.

The pages and feeds here are written for these tests: fictional outlets (The Brannock Ledger,
Tarrow Sound Radio) reporting a fictional event (a ferry terminal roof collapsing in Brannock).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from presslens.cli import main
from presslens.project import PROJECT_FILES
from tests.conftest import EXAMPLE, REPO

# A page that gives no date anywhere (no meta, no byline date, none in the text) and no author.
UNDATED_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Ferry terminal roof gives way in Brannock</title></head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry terminal roof gives way in Brannock</h1>
<p>Part of the roof of the Brannock ferry terminal collapsed early in the morning, shortly before the first
crossing to Isle Tarrow was due to leave, harbour officials said.</p>
<p>No one was hurt. About forty passengers waiting in the hall were moved to the car deck while engineers
from the harbour board inspected the remaining structure.</p>
<p>"We heard a long creak and then the panels came down over the ticket desks," said Morwen Achard, who runs
the terminal cafe. "It was lucky the desks were not yet open."</p>
<p>The harbour board said crossings would run from the freight berth until the hall is declared safe, which
could take several weeks. Timetables are unchanged.</p>
<p>The terminal opened in 1979 and its roof was last surveyed two years ago, according to board minutes seen
by the Ledger.</p>
</article>
<footer>Share this story. Subscribe to our newsletter.</footer></body></html>
"""

# The same event by another outlet, whose page states its own date and author.
DATED_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Brannock terminal hall shut after roof fall</title>
<meta property="article:published_time" content="2026-11-04T09:10:00+00:00">
<meta name="author" content="Sela Varrick"></head>
<body><article><h1>Brannock terminal hall shut after roof fall</h1>
<p>The passenger hall of the Brannock ferry terminal will stay shut for weeks after part of its roof fell
in before the first sailing to Isle Tarrow, the harbour board said.</p>
<p>Forty people were in the hall at the time. None was injured, and they boarded from the car deck instead.</p>
<p>Board engineers are checking the rest of the roof, which was last surveyed two years ago. Sailings will
leave from the freight berth meanwhile, on the usual timetable.</p>
</article></body></html>
"""

FEED_DATE = "Tue, 03 Nov 2026 07:45:00 -0500"


def rss(items: list[tuple[str, str, str | None, str | None]]) -> str:
    """An RSS 2.0 feed of (link, title, pubDate, author) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + (f"<author>{author}</author>" if author else "")
        + "</item>\n"
        for link, title, date, author in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Brannock news</title>'
        f"<link>https://brannock-ledger.example/</link><description>Test feed</description>\n{entries}"
        "</channel></rss>\n"
    )


FEED_ITEMS = [
    (
        "{base}/ledger/roof.html",
        "Terminal roof collapse: crossings moved",
        FEED_DATE,
        "desk@ledger.example (Idris Penhale)",
    ),
    ("{base}/tarrow/hall.html", "Hall shut (feed headline)", "Mon, 02 Nov 2026 12:00:00 +0000", "Feed Desk"),
    ("{base}/gone.html", "A page that is not there", None, None),
]


class FeedServer(BaseHTTPRequestHandler):
    pages = {"/ledger/roof.html": UNDATED_PAGE, "/tarrow/hall.html": DATED_PAGE}

    def do_GET(self):  # noqa: N802 - http.server's naming
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/feed.xml":
            body, kind = rss([(u.format(base=base), *rest) for u, *rest in FEED_ITEMS]), "application/rss+xml"
        elif self.path in self.pages:
            body, kind = self.pages[self.path], "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project made by `presslens init`, as the working folder (one page worker: tests share 2 cores)."""
    folder = tmp_path / "project"
    assert main(["init", str(folder)]) == 0
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PRESSLENS_WORKERS", "1")
    return folder


def sidecars(raw: Path) -> dict[str, dict]:
    """Each collected page's sidecar, by the last part of its URL."""
    found = {}
    for path in raw.rglob("*.meta.json"):
        meta = json.loads(path.read_text(encoding="utf-8"))
        found[meta["url"].rsplit("/", 1)[1]] = meta
    return found


def test_init_then_add_then_run_on_an_empty_folder(project, capsys):
    """Nothing said how to start a project of one's own: init writes raw/ and the files every command
    reads, each a valid file of commented examples, so add and run work in it as they are."""
    for name in PROJECT_FILES:
        assert (project / name).is_file(), name
    assert main(["add", str(EXAMPLE / "calder-courier.html"), "--outlet", "The Calder Courier"]) == 0
    assert main(["run", "--local"]) == 0
    articles = pd.read_csv(project / "processed" / "articles.csv")
    assert list(articles["outlet"]) == ["The Calder Courier"]
    assert (project / "processed" / "report.html").is_file()
    assert "1 page(s) processed" in capsys.readouterr().out


def test_init_refuses_to_overwrite_and_names_the_files(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "sources.yaml").write_text("outlets: []  # my own\n")
    assert main(["init", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "sources.yaml" in err and "not overwritten" in err and "outlets.yaml" not in err
    assert (folder / "sources.yaml").read_text() == "outlets: []  # my own\n"
    assert sorted(p.name for p in folder.iterdir()) == ["sources.yaml"]  # nothing else written either


def test_the_project_files_read_as_their_loaders_expect(tmp_path):
    """The commented examples must stay valid files: an empty roster, no story decisions, no sources,
    and deployments whose entrypoints Prefect can load from the installed flows."""
    import yaml
    from prefect.flows import load_flow_from_entrypoint

    from presslens.collect import load_sources
    from presslens.project import init_project
    from presslens.roster import load_roster
    from presslens.stories.overrides import load_overrides

    init_project(tmp_path)
    assert load_sources(tmp_path / "sources.yaml").outlets == []
    assert load_roster(tmp_path / "outlets.yaml").outlets == []
    assert load_overrides(tmp_path / "stories.yaml").merges == []
    deployments = yaml.safe_load((tmp_path / "prefect.yaml").read_text())["deployments"]
    for deployment in deployments:
        assert load_flow_from_entrypoint(deployment["entrypoint"]).name == "collect-articles"


def test_collect_from_a_feed_served_by_the_test(project, feed_server, capsys):
    """presslens collect fetches a feed's new items, reports each outlet and a summary with the
    failures' reasons, and keeps each item's date, title and author beside the page."""
    (project / "sources.yaml").write_text(
        f"allow_private: true\noutlets:\n  - name: Brannock news\n    feeds: [{feed_server}/feed.xml]\n"
    )
    assert main(["collect", "--local"]) == 1  # one item failed
    captured = capsys.readouterr()
    assert "[1/1] Brannock news: 2 new, 0 skipped, 1 failed" in captured.err
    assert "1 outlet(s): 2 page(s) fetched, 2 new, 0 skipped, 1 failed" in captured.out
    assert f"failed: {feed_server}/gone.html: HTTP 404" in captured.out
    meta = sidecars(project / "raw")
    assert meta["roof.html"]["feed_published"] == "2026-11-03T07:45:00-05:00"  # the feed's own offset kept
    assert meta["roof.html"]["feed_title"] == "Terminal roof collapse: crossings moved"
    assert meta["roof.html"]["feed_author"] == "Idris Penhale"  # RSS's "mail (Name)" read as the name

    assert main(["collect", "--local"]) == 1  # the missing page is tried again; the others are not
    captured = capsys.readouterr()
    assert "0 page(s) fetched, 0 new, 2 skipped, 1 failed" in captured.out
    assert "skipped: 2 already collected" in captured.out


def test_a_feed_date_is_used_when_the_page_has_none(project, feed_server):
    """A collected page whose HTML carries no date came out undated (the feed's pubDate was thrown away);
    now the feed's date, title and author fill what the page lacks, the page's own metadata wins, and the
    articles table says which was used."""
    (project / "sources.yaml").write_text(
        f"allow_private: true\noutlets:\n  - name: Brannock news\n    feeds: [{feed_server}/feed.xml]\n"
    )
    main(["collect", "--local"])
    assert main(["run", "--local"]) == 0
    articles = pd.read_csv(project / "processed" / "articles.csv").set_index("title")
    undated = articles.loc["Ferry terminal roof gives way in Brannock"]  # the page's own headline wins
    assert undated["published"] == "2026-11-03T07:45:00-05:00" and undated["date_source"] == "feed"
    assert undated["author"] == "Idris Penhale" and undated["author_source"] == "feed"
    assert undated["title_source"] == "page"
    dated = articles.loc["Brannock terminal hall shut after roof fall"]
    assert str(dated["published"]).startswith("2026-11-04") and dated["date_source"] == "page"
    assert dated["author"] == "Sela Varrick" and dated["author_source"] == "page"


def test_a_file_feed_is_collected(project, tmp_path, capsys):
    """A file:// feed gave "file:/tmp/…: not a file" (and sources.yaml refused it): a feed on this
    machine is read by the safe file reader, its relative links resolved beside it."""
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "roof.html").write_text(UNDATED_PAGE, encoding="utf-8")
    (tmp_path / "hall.html").write_text(DATED_PAGE, encoding="utf-8")
    items = [("roof.html", "Roof collapse", FEED_DATE, None), ((tmp_path / "hall.html").as_uri(), "Hall", None, None)]
    (archive / "feed.xml").write_text(rss(items), encoding="utf-8")
    feed_url = (archive / "feed.xml").as_uri()
    (project / "sources.yaml").write_text(f"outlets:\n  - name: Brannock Ledger\n    feeds: [{feed_url}]\n")
    assert main(["collect", "--local"]) == 0, capsys.readouterr()
    assert "2 page(s) fetched, 2 new" in capsys.readouterr().out  # a relative link and a file:/// one
    stored = [p for p in (project / "raw" / "unsorted").iterdir() if not p.name.endswith(".meta.json")]
    assert sorted(p.read_text(encoding="utf-8") for p in stored) == sorted([UNDATED_PAGE, DATED_PAGE])
    assert sidecars(project / "raw")["roof.html"]["feed_published"].startswith("2026-11-03")
    assert main(["add", (archive / "roof.html").as_uri()]) == 1  # add reads file:// too: here a duplicate
    assert "already in raw/" in capsys.readouterr().err


def test_a_feed_on_the_web_cannot_name_a_local_file(project, tmp_path, capsys):
    """A file:// link in a fetched feed would copy this machine's files into raw/: refused, with the reason."""
    secret = tmp_path / "secret.txt"
    secret.write_text("not for raw/")

    class LocalLinkFeed(FeedServer):
        def do_GET(self):  # noqa: N802
            data = rss([(secret.as_uri(), "Local file", None, None)]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), LocalLinkFeed)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        (project / "sources.yaml").write_text(
            f"allow_private: true\noutlets:\n  - name: X\n    feeds: [http://127.0.0.1:{httpd.server_port}/f]\n"
        )
        assert main(["collect", "--local"]) == 1
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert "a feed on the web may not name a file on this machine" in capsys.readouterr().out
    assert not any(p.read_bytes() == b"not for raw/" for p in (project / "raw").rglob("*") if p.is_file())


@pytest.mark.prefect
@pytest.mark.slow
def test_collect_through_prefect_is_quiet_outside_the_repo(tmp_path, feed_server):
    """`python -m flows.collect_articles` outside the repo printed Prefect's INFO lines and a telemetry
    error: `presslens collect` runs the flow quietly, with its own progress lines and summary."""
    folder = tmp_path / "elsewhere"
    assert main(["init", str(folder)]) == 0
    (folder / "sources.yaml").write_text(
        f"allow_private: true\noutlets:\n  - name: Brannock news\n    feeds: [{feed_server}/feed.xml]\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DO_NOT_TRACK"))}
    done = subprocess.run(
        [sys.executable, "-m", "presslens.cli", "collect"],
        cwd=folder,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # the missing page
    assert "2 page(s) fetched, 2 new, 0 skipped, 1 failed" in done.stdout
    assert "[1/1] Brannock news: 2 new" in done.stderr
    noise = [line for line in done.stderr.splitlines() if "INFO" in line or "elemetry" in line or "Traceback" in line]
    assert noise == [], done.stderr
