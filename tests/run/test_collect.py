"""Collecting from a local HTTP server on 127.0.0.1: fetch rules, feeds, the ledger, presslens add URL."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from presslens.cli import main
from presslens.collect import FetchError, Ledger, Source, collect_source, feed_items, fetch, load_sources
from tests.conftest import EXAMPLE

PAGES = {
    "/news/courier.html": (EXAMPLE / "calder-courier.html").read_bytes(),
    "/news/valley.html": (EXAMPLE / "valley-wire.html").read_bytes(),
    "/news/harbour.txt": (EXAMPLE / "harbourline-radio.txt").read_bytes(),
}
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Calder region news</title><link>http://example.invalid/</link>
<description>Test feed</description>
<item><title>Bridge closed</title><link>{base}/news/courier.html</link></item>
<item><title>Wire: bridge shut</title><link>{base}/news/valley.html</link></item>
<item><title>Commuters</title><link>{base}/moved</link></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    agents: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        Handler.agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/feed.xml":
            return self.reply(200, FEED.format(base=base).encode(), "application/rss+xml")
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news/harbour.txt")
            self.end_headers()
            return None
        if self.path == "/flaky" and Handler.hits[self.path] == 1:
            return self.reply(503, b"try later", "text/plain")
        if self.path == "/flaky":
            return self.reply(200, PAGES["/news/courier.html"], "text/html")
        if self.path == "/big":
            return self.reply(200, b"x" * 50_000, "text/plain")
        if self.path in PAGES:
            kind = "text/html; charset=utf-8" if self.path.endswith(".html") else "text/plain"
            return self.reply(200, PAGES[self.path], kind)
        return self.reply(404, b"not found", "text/plain")

    def reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def fresh_counts():
    """Each test counts its own requests: the /flaky page fails only on a test's first request of it."""
    Handler.hits.clear()
    Handler.agents.clear()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_loopback_is_refused_unless_allowed(server, monkeypatch):
    monkeypatch.delenv("PRESSLENS_ALLOW_PRIVATE_URLS", raising=False)
    with pytest.raises(FetchError, match="non-public address"):
        fetch(f"{server}/news/courier.html")
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd", allow_private=True)
    got = fetch(f"{server}/news/courier.html", allow_private=True)
    assert got.body == PAGES["/news/courier.html"] and got.status == 200
    assert Handler.agents[-1].startswith("presslens/")


def test_redirect_retry_and_size_cap(server):
    moved = fetch(f"{server}/moved", allow_private=True)
    assert moved.url.endswith("/news/harbour.txt") and moved.body == PAGES["/news/harbour.txt"]
    flaky = fetch(f"{server}/flaky", allow_private=True, backoff=0.01)
    assert flaky.status == 200 and Handler.hits["/flaky"] == 2
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/big", allow_private=True, max_bytes=10_000)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/missing", allow_private=True, retries=0)


def test_feed_links(server):
    feed = fetch(f"{server}/feed.xml", allow_private=True)
    items = feed_items(feed.body, feed.url)
    assert [item.url.rsplit("/", 1)[1] for item in items] == ["courier.html", "valley.html", "moved"]


def test_collect_twice_fetches_each_url_once(server, tmp_path):
    raw = tmp_path / "raw"
    source = Source(outlet="Calder feed", feeds=[f"{server}/feed.xml"], story="bridge")
    first = collect_source(source, raw, allow_private=True)
    assert len(first.added) == 3 and not first.errors
    stored = sorted(p.read_bytes() for p in (raw / "bridge").iterdir() if not p.name.endswith(".meta.json"))
    assert stored == sorted(PAGES.values())  # bytes exactly as served
    sidecars = [json.loads(p.read_text()) for p in (raw / "bridge").glob("*.meta.json")]
    assert {s["outlet"] for s in sidecars} == {"Calder feed"}
    assert any(s.get("requested_url", "").endswith("/moved") for s in sidecars)
    hits_before = dict(Handler.hits)
    second = collect_source(source, raw, allow_private=True)
    assert second.added == [] and second.skipped_count == 3
    assert Handler.hits["/news/courier.html"] == hits_before["/news/courier.html"]  # not fetched again
    assert f"{server}/moved" in Ledger(raw)


def test_sources_yaml(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "allow_private: true\noutlets:\n  - name: A\n    feeds: [http://x.invalid/f]\n"
        "  - name: B\n    urls: [http://x.invalid/p]\n    story: s\n"
    )
    sources = load_sources(path)
    assert sources.allow_private and [s.outlet for s in sources.outlets] == ["A", "B"]
    assert sources.outlets[1].story == "s" and sources.outlets[1].urls == ["http://x.invalid/p"]


def test_add_url_command(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PRESSLENS_ALLOW_PRIVATE_URLS", "1")
    raw = tmp_path / "raw"
    args = ["add", f"{server}/news/valley.html", "--story", "bridge", "--raw", str(raw), "--out", str(tmp_path / "p")]
    assert main(args) == 0
    page = next(p for p in (raw / "bridge").iterdir() if p.suffix == ".html")
    assert page.read_bytes() == PAGES["/news/valley.html"]
    meta = json.loads(page.with_name(page.name + ".meta.json").read_text())
    assert meta["url"] == f"{server}/news/valley.html" and meta["content_type"].startswith("text/html")
    assert main(args) == 1 and "already in raw/" in capsys.readouterr().err


class HostileHandler(BaseHTTPRequestHandler):
    """A server that sends a gzip bomb, an endless body, or counts who reached it (its own counts)."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        type(self).hits.append(self.path)
        if self.path == "/bomb":
            import gzip

            body = gzip.compress(b" " * (64 * 2**20), compresslevel=9)  # 64 KB that inflates to 64 MB
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no length: the body never ends
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        body = b"<html><body><p>internal page</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile():
    handler = type("Hostile", (HostileHandler,), {"hits": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", handler
    httpd.shutdown()
    httpd.server_close()


def test_a_compression_bomb_or_an_endless_body_stops_at_the_limit(hostile):
    base, _handler = hostile
    with pytest.raises(FetchError, match="inflates to over the 1048576-byte limit"):
        fetch(f"{base}/bomb", allow_private=True, max_bytes=2**20, retries=0)
    with pytest.raises(FetchError, match="over the 1048576-byte limit"):
        fetch(f"{base}/endless", allow_private=True, max_bytes=2**20, retries=0, timeout=5)


def test_a_host_that_resolves_elsewhere_the_second_time_is_not_reached(hostile, monkeypatch):
    """DNS rebinding: the first lookup gives a public address (checked, allowed), a second one 127.0.0.1.
    The fetch must connect to the address it checked, never look the name up again."""
    import socket

    base, handler = hostile
    port = int(base.rsplit(":", 1)[1])
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1", "127.0.0.1"])  # a public address, then loopback
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "news.rebind.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.delenv("PRESSLENS_ALLOW_PRIVATE_URLS", raising=False)
    with pytest.raises(FetchError):  # the public address is not reachable from the test machine
        fetch(f"http://news.rebind.test:{port}/internal", retries=0, timeout=2)
    assert handler.hits == []  # the loopback server was never reached


# --- issue 31: sources.yaml read by the one YAML reader, and the special-purpose address ranges -------------


@pytest.mark.parametrize("value", ['"false"', '"no"', '"0"', '"off"', "false", "no", "off", "0", '"False"'])
def test_allow_private_false_in_any_spelling_is_false(tmp_path, value):
    """bool("false") is True: `allow_private: "false"` used to switch the SSRF guard off."""
    path = tmp_path / "sources.yaml"
    path.write_text(f"allow_private: {value}\noutlets: []\n")
    assert load_sources(path).allow_private is False


def test_allow_private_must_say_true_or_false(tmp_path):
    from presslens.collect import SourcesError

    path = tmp_path / "sources.yaml"
    path.write_text('allow_private: "true"\noutlets: []\n')
    assert load_sources(path).allow_private is True
    path.write_text("outlets: []\nallow_private: maybe\n")
    with pytest.raises(SourcesError, match=r"sources.yaml:2: allow_private must be true or false, not 'maybe'"):
        load_sources(path)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("outlets:\n  - feeds: [https://a.example/rss]\n", 2, "an outlet needs a `name`"),
        ("outlets: The Courier\n", 1, "outlets must be a list"),
        ("outlets:\n  - name: X\n    urls: http://a.example/x\n", 3, "`urls` must be a list of http"),
        ("outlets:\n  - name: X\n    feeds: [ftp://a.example/rss]\n", 3, "only http and https"),
        ("max_items_per_feed: -1\noutlets: []\n", 1, "max_items_per_feed must be a whole number of at least 1"),
        ("max_items_per_feed: lots\n", 1, "max_items_per_feed must be a whole number"),
        ("outlets:\n  - name: X\n    colour: red\n", 3, "unknown field 'colour'"),
        ("outlet: []\n", 1, "unknown key 'outlet'"),
    ],
)
def test_a_broken_sources_file_is_an_error_naming_the_line(tmp_path, text, line, reason):
    """They gave a KeyError, a TypeError, a URL read as one "URL" per character, or -1 items a feed."""
    from presslens.collect import SourcesError

    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=rf"sources.yaml:{line}: .*{reason}"):
        load_sources(path)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("100.100.100.200", False),  # a cloud metadata address in the shared (carrier-grade NAT) space
        ("100.64.0.1", False),
        ("192.0.0.9", False),
        ("198.18.0.1", False),
        ("192.88.99.1", False),
        ("0.1.2.3", False),
        ("::ffff:169.254.169.254", False),
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b:1::1", False),
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2001::1", False),  # Teredo
        ("3fff::1", False),
        ("fd00::1", False),
        ("93.184.215.14", True),
        ("64:ff9b::5db8:d70e", True),  # NAT64 of a public address: how IPv6-only networks reach IPv4 sites
        ("2606:4700:4700::1111", True),
    ],
)
def test_special_purpose_addresses_are_refused(monkeypatch, address, allowed):
    import ipaddress
    import socket

    from presslens.collect import check_address

    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    ip = ipaddress.ip_address(address)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))])
    if allowed:
        assert ipaddress.ip_address(check_address("http://news.example/a", allow_private=False)) == ip
    else:
        with pytest.raises(FetchError, match="non-public address"):
            check_address("http://news.example/a", allow_private=False)
    assert ipaddress.ip_address(check_address("http://news.example/a", allow_private=True)) == ip


def test_credentials_in_a_url_are_not_stored(server, tmp_path):
    """A source URL with user:password@ kept them in the sidecar, the ledger and every table."""
    raw = tmp_path / "raw"
    url = server.replace("http://", "http://reader:s3cret@") + "/news/courier.html"
    result = collect_source(Source("Calder feed", urls=[url]), raw, allow_private=True)
    assert len(result.added) == 1, result.errors
    for path in raw.rglob("*"):
        if path.is_file():
            assert b"s3cret" not in path.read_bytes(), path
    second = collect_source(Source("Calder feed", urls=[url]), raw, allow_private=True)
    assert second.added == [] and second.skipped_count == 1  # the ledger knows it without its credentials
