"""Collecting pages: fetch a URL politely and safely, read RSS/Atom feeds, remember what was fetched.

- :func:`fetch` — timeouts, retries with exponential backoff on connection errors and 5xx
  and 429 answers, a size cap, a user agent that says what is fetching, redirects followed
  by hand so every hop is checked, and no private, loopback or link-local address unless
  the caller allows it (tests, an intranet archive).
- :func:`feed_items` — the entries of an RSS or Atom feed (feedparser): link, title, date, author.
- :class:`Ledger` — ``raw/.collected.jsonl``: every URL fetched, so no URL is fetched twice.
- :func:`collect_source` — all of it for one outlet of ``sources.yaml``; :func:`collect_run` for every one
  (``presslens collect --local``; the ``collect-articles`` flow runs the same steps as tasks).
- ``file://`` feeds and URLs are read from disk by the safe user-file reader.

Pages are stored in raw/ with the bytes of the response body as received (after transfer
decoding) and a sidecar with the URL, the fetch time and the content type.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import socket
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from presslens import __version__
from presslens.settings import ALLOW_PRIVATE_URLS_ENV
from presslens.urls import without_credentials
from presslens.userfile import Field, load_yaml, typed_mapping

USER_AGENT = f"presslens/{__version__} (media coverage comparison; research use; honours robots by schedule)"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
RETRIES = 3
BACKOFF_SECONDS = 1.0
MAX_REDIRECTS = 5
LEDGER_NAME = ".collected.jsonl"


class FetchError(Exception):
    """A URL that could not be fetched; the message says why (any ``user:password@`` of a URL in it removed)."""

    def __init__(self, message: str):
        super().__init__(_URL_CREDENTIALS.sub("//", message))


_URL_CREDENTIALS = re.compile(r"//[^/?#@\s]*@")


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    requested: str
    status: int | None  # None: a local file (file://)
    content_type: str
    body: bytes


# The IANA IPv4 and IPv6 Special-Purpose Address Registries (iana-ipv4-special-registry,
# iana-ipv6-special-registry; RFC 6890 and later), with multicast and the deprecated IPv6 site-local
# range: no news page is served from any of them, and several reach a cloud's or a home network's
# insides (100.100.100.200 is a cloud metadata address in the shared space).
SPECIAL_PURPOSE_NETWORKS = {
    "0.0.0.0/8": '"this network"',
    "10.0.0.0/8": "private use",
    "100.64.0.0/10": "shared address space (carrier-grade NAT)",
    "127.0.0.0/8": "loopback",
    "169.254.0.0/16": "link-local",
    "172.16.0.0/12": "private use",
    "192.0.0.0/24": "IETF protocol assignments",
    "192.0.2.0/24": "documentation (TEST-NET-1)",
    "192.31.196.0/24": "AS112",
    "192.52.193.0/24": "AMT",
    "192.88.99.0/24": "6to4 relay anycast (deprecated)",
    "192.168.0.0/16": "private use",
    "192.175.48.0/24": "AS112 direct delegation",
    "198.18.0.0/15": "benchmarking",
    "198.51.100.0/24": "documentation (TEST-NET-2)",
    "203.0.113.0/24": "documentation (TEST-NET-3)",
    "224.0.0.0/4": "multicast",
    "240.0.0.0/4": "reserved",
    "255.255.255.255/32": "limited broadcast",
    "::/128": "unspecified",
    "::1/128": "loopback",
    "::ffff:0:0/96": "IPv4-mapped",
    "64:ff9b:1::/48": "IPv4-IPv6 translation (local use)",
    "100::/64": "discard-only",
    "100:0:0:1::/64": "dummy prefix",
    "2001::/23": "IETF protocol assignments (Teredo, benchmarking, ORCHID …)",
    "2001:db8::/32": "documentation",
    "2002::/16": "6to4",
    "2620:4f:8000::/48": "AS112 direct delegation",
    "3fff::/20": "documentation",
    "5f00::/16": "segment routing (SRv6) SIDs",
    "fc00::/7": "unique local",
    "fe80::/10": "link-local",
    "fec0::/10": "site-local (deprecated)",
    "ff00::/8": "multicast",
}
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64: judged by the IPv4 address it carries


@functools.cache
def _special_networks() -> list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]]:
    return [(ipaddress.ip_network(net), name) for net, name in SPECIAL_PURPOSE_NETWORKS.items()]


def non_public_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``address`` is not a public one (the special-purpose range it is in), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return non_public_reason(address.ipv4_mapped) or "IPv4-mapped"
        if address in NAT64_PREFIX:
            embedded = non_public_reason(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
            return f"NAT64 of an address in {embedded}" if embedded else None
    for network, name in _special_networks():
        if address.version == network.version and address in network:
            return f"{network}, {name}"
    if address.is_private or address.is_reserved or address.is_loopback or address.is_link_local:
        return "not a public address"
    return None


def check_address(url: str, allow_private: bool) -> str:
    """The address ``url``'s host resolves to, checked: only http(s), and no address of a
    special-purpose range (private, loopback, link-local, shared, documentation … see
    SPECIAL_PURPOSE_NETWORKS) unless allowed. The fetch then connects to this very address, so a second
    lookup (DNS rebinding) cannot send it elsewhere."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"{url}: cannot resolve {parts.hostname} ({exc.strerror})") from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not allow_private:
        for address in addresses:
            reason = non_public_reason(address)
            if reason:
                raise FetchError(
                    f"{url}: {parts.hostname} resolves to a non-public address ({address}: {reason}); "
                    f"set {ALLOW_PRIVATE_URLS_ENV}=1 (or allow_private in sources.yaml) to allow it"
                )
    return str(addresses[0])


def pinned(url: str, address: str) -> tuple[str, dict, dict]:
    """``url`` with its host replaced by the checked ``address``; the Host header and the TLS server
    name (SNI, and the name the certificate is checked against) stay the original host's."""
    parts = urlparse(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host = parts.hostname if not parts.port else f"{parts.hostname}:{parts.port}"
    return parts._replace(netloc=netloc).geturl(), {"Host": host}, {"sni_hostname": parts.hostname}


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    retries: int = RETRIES,
    backoff: float = BACKOFF_SECONDS,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET ``url`` with the safety rules above; raises :class:`FetchError` with the reason."""
    own_client = client is None
    client = client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False)
    try:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            address = check_address(current, allow_private)  # every hop is resolved once and checked
            response = _get_with_retries(client, current, address, max_bytes, retries, backoff)
            if response[0] in (301, 302, 303, 307, 308):
                location = response[1].get("location")
                if not location:
                    raise FetchError(f"{current}: redirect without a location")
                current = urljoin(current, location)
                continue
            status, headers, body = response
            if status >= 400:
                raise FetchError(f"{current}: HTTP {status}")
            return Fetched(current, url, status, headers.get("content-type", ""), body)
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
    finally:
        if own_client:
            client.close()


DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
ACCEPT_ENCODING = "gzip, deflate"  # only what is inflated here, piece by piece, within the byte limit


def _get_with_retries(client: httpx.Client, url: str, address: str, max_bytes: int, retries: int, backoff: float):
    last_error = "no attempt"
    target, headers, extensions = pinned(url, address)
    headers["Accept-Encoding"] = ACCEPT_ENCODING
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with client.stream("GET", target, headers=headers, extensions=extensions) as response:
                if response.status_code in (429, 500, 502, 503, 504) and attempt < retries:
                    last_error = f"HTTP {response.status_code}"
                    continue
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    raise FetchError(f"{url}: {declared} bytes is over the {max_bytes}-byte limit")
                return response.status_code, response.headers, _read_body(response, url, max_bytes)
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
    raise FetchError(f"{url}: failed after {retries + 1} attempts ({last_error})")


def _read_body(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The body after content decoding, read and inflated a piece at a time: past ``max_bytes`` of
    either the raw or the decoded bytes (an endless body, a gzip bomb) the fetch stops with a reason."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity") and encoding not in DECODERS:
        raise FetchError(f"{url}: content encoding {encoding!r} is not one presslens asked for")
    inflater = zlib.decompressobj(DECODERS[encoding]) if encoding in DECODERS else None
    chunks, raw_size, size = [], 0, 0
    for raw in response.iter_raw():
        raw_size += len(raw)
        if raw_size > max_bytes:
            raise FetchError(f"{url}: body is over the {max_bytes}-byte limit")
        pending = raw
        while pending:
            if inflater is None:
                piece, pending = pending, b""
            else:
                try:
                    piece = inflater.decompress(pending, max_bytes + 1 - size)
                except zlib.error as exc:
                    raise FetchError(f"{url}: corrupt {encoding} body ({exc})") from exc
                pending = inflater.unconsumed_tail
            size += len(piece)
            if size > max_bytes:
                raise FetchError(f"{url}: body inflates to over the {max_bytes}-byte limit (a compression bomb?)")
            chunks.append(piece)
            if inflater is not None and inflater.eof:
                break
    return b"".join(chunks)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its link, and what the feed says of it (kept beside the page, used when
    the page itself gives no date, title or author)."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601, with the feed's own UTC offset when it gives one
    author: str | None = None

    def sidecar_fields(self) -> dict:
        """The feed's word on the page, as sidecar fields (presslens.pages.FEED_FIELDS)."""
        values = {"feed_title": self.title, "feed_published": self.published, "feed_author": self.author}
        return {key: value for key, value in values.items() if value}


def _feed_text(value, key: str) -> str | None:
    """A feed's title or author as one line the sidecar keeps (control characters out, cut at its limit)."""
    from presslens.pages import SIDECAR_FIELD_CHARS, UNPRINTABLE

    text = " ".join(UNPRINTABLE.sub(" ", str(value or "")).split())
    return text[: SIDECAR_FIELD_CHARS[key]] or None


def feed_date(entry) -> str | None:
    """An entry's publication (else update) time as ISO 8601, keeping the offset the feed wrote
    (RSS's RFC 822 or Atom's RFC 3339); feedparser's UTC reading when neither parses."""
    from email.utils import parsedate_to_datetime

    for key in ("published", "updated"):
        text = (entry.get(key) or "").strip()
        if not text:
            continue
        try:
            return parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()
    return None


_RSS_AUTHOR = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]+)\)$")  # RSS 2.0's <author>: "mail@host (Name)"


def feed_author(value) -> str | None:
    """A feed entry's author as a name: RSS's "mail@host (Name)" gives Name; a bare address gives none."""
    text = _feed_text(value, "feed_author")
    if not text:
        return None
    match = _RSS_AUTHOR.match(text)
    if match:
        return match.group("name").strip() or None
    return None if re.fullmatch(r"\S+@\S+", text) else text


def _unfold_file_link(link: str) -> str:
    """feedparser folds a link's "scheme:///" to "scheme://", so file:///home/x.html arrives as
    file://home/x.html; a file URL names no other host, so the folded slash is put back."""
    parts = urlparse(link)
    if parts.scheme.lower() == "file" and parts.netloc not in ("", "localhost"):
        return f"file:///{parts.netloc}{parts.path}"
    return link


def feed_items(body: bytes, base_url: str) -> list[FeedItem]:
    """Every entry of an RSS or Atom feed that has a link, in feed order, with its title, date and author."""
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"{base_url}: not a readable RSS or Atom feed ({parsed.bozo_exception})")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            title, author = _feed_text(entry.get("title"), "feed_title"), feed_author(entry.get("author"))
            items.append(FeedItem(urljoin(base_url, _unfold_file_link(link)), title, feed_date(entry), author))
    return items


def is_file_url(url: str) -> bool:
    return urlparse(url).scheme.lower() == "file"


def file_url_path(url: str) -> Path:
    """The local path of a ``file://`` URL (``file:///home/me/feed.xml``; host empty or localhost)."""
    from urllib.request import url2pathname

    parts = urlparse(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"{url}: a file:// URL names a file on this machine (file:///path), not on {parts.netloc}")
    return Path(url2pathname(parts.path))


def read_local(url: str, max_bytes: int = MAX_BYTES) -> Fetched:
    """A ``file://`` URL's bytes, read as presslens reads any user file (a regular file, within the
    size limit, checked before a byte is read); the answer of :func:`fetch` for a page or feed on disk."""
    from presslens.userfile import UserFileError, read_user_file

    path = file_url_path(url)
    try:
        body = read_user_file(path, max_bytes, limit_for="one page or feed")
    except UserFileError as exc:
        raise FetchError(f"{url}: {exc.reason}") from exc
    return Fetched(path.resolve().as_uri(), url, None, "", body)


def fetch_location(url: str, allow_private: bool, local_allowed: bool) -> Fetched:
    """:func:`fetch` for http(s); :func:`read_local` for ``file://`` when ``local_allowed`` (a location
    the user wrote, or an item of a feed on disk). A feed on the web never names a local file: its
    ``file://`` links are refused, so a remote feed cannot copy this machine's files into raw/."""
    if is_file_url(url):
        if not local_allowed:
            raise FetchError(f"{url}: a feed on the web may not name a file on this machine; not read")
        return read_local(url)
    return fetch(url, allow_private=allow_private)


class Ledger:
    """URLs already fetched into raw/ (one JSON object per line, append-only), kept without credentials."""

    def __init__(self, raw_dir: str | Path):
        self.path = Path(raw_dir) / LEDGER_NAME
        self.urls: set[str] = set()
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(entry, dict):
                    self.urls.update(without_credentials(u) for u in (entry.get("url"), entry.get("final_url")) if u)

    def __contains__(self, url: str) -> bool:
        return without_credentials(url) in self.urls

    def record(self, entry: dict) -> None:
        entry = {k: without_credentials(v) if k in ("url", "final_url") and v else v for k, v in entry.items()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.urls.update(u for u in (entry.get("url"), entry.get("final_url")) if u)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Source:
    outlet: str
    feeds: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    story: str | None = None


@dataclass
class Sources:
    outlets: list[Source]
    allow_private: bool = False
    max_items_per_feed: int = 50


class SourcesError(ValueError):
    """sources.yaml cannot be used; the message names the file, the line and the reason."""


SOURCE_FIELDS = {
    "name": Field("text", required=True),
    "feeds": Field("locations", default=[]),  # http(s) URLs, or file:// ones on this machine
    "urls": Field("locations", default=[]),
    "story": Field("text"),
}


def load_sources(path: str | Path) -> Sources:
    """Read and validate sources.yaml (see the file in the repo for the format): a missing file, a
    field of the wrong kind (a URL where a list belongs, "false" for a switch is read as false), a
    negative count or an alias bomb is a :class:`SourcesError` naming the line."""
    path = Path(path)
    read = load_yaml(path, SourcesError)
    if read is None:
        raise SourcesError(
            f"{path}: no such file (the feeds and URLs to collect: `presslens init` writes one with examples; "
            "README, 'Collect from feeds')"
        )
    root, _digest = read
    if root is None:
        return Sources([])
    top = typed_mapping(
        path,
        root,
        {
            "outlets": Field("entries", default=[]),
            "allow_private": Field("bool", default=False),
            "max_items_per_feed": Field("count", default=50, minimum=1),
        },
        SourcesError,
    )
    outlets = []
    for node in top["outlets"]:
        entry = typed_mapping(path, node, SOURCE_FIELDS, SourcesError, "an outlet")
        outlets.append(Source(entry["name"], entry["feeds"], entry["urls"], entry["story"]))
    return Sources(outlets, top["allow_private"], top["max_items_per_feed"])


SKIP_KNOWN = "already collected"
SKIP_TWICE = "listed twice"
SKIP_SAME_BYTES = "same bytes as a page in raw/"


@dataclass
class CollectResult:
    """What collecting one outlet did: pages stored, pages fetched, skips by reason, failures with reasons."""

    outlet: str = ""
    added: list[Path] = field(default_factory=list)
    fetched: int = 0  # pages whose bytes arrived (new ones and ones raw/ already held)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> pages not stored for it
    errors: list[str] = field(default_factory=list)  # "<url>: <reason>", a feed's or a page's

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


def collect_source(source: Source, raw_dir: Path, allow_private: bool, max_items: int = 50) -> CollectResult:
    """Fetch one outlet's new feed items and URLs into raw/ (a URL already fetched is skipped).

    A feed item's title, date and author go into the page's sidecar (``feed_*`` fields): the run
    uses them when the page itself gives none. Feeds and URLs of sources.yaml may be ``file://``;
    an item may be only when its feed is."""
    from presslens.ingest import store_fetched

    ledger = Ledger(raw_dir)
    result = CollectResult(outlet=source.outlet)
    candidates: list[tuple[FeedItem, bool]] = [(FeedItem(u), True) for u in source.urls]  # (item, local allowed)
    for feed in source.feeds:
        try:
            fetched = fetch_location(feed, allow_private, local_allowed=True)
            local_feed = is_file_url(fetched.url)
            candidates += [(item, local_feed) for item in feed_items(fetched.body, fetched.url)[:max_items]]
        except FetchError as exc:
            result.errors.append(f"feed {exc}")
    seen: set[str] = set()
    for item, local_allowed in candidates:
        url = item.url
        if url in seen or url in ledger:
            result.skip(SKIP_TWICE if url in seen else SKIP_KNOWN)
            continue
        seen.add(url)
        try:
            fetched = fetch_location(url, allow_private, local_allowed)
            result.fetched += 1
            # a source with a fixed story pins its pages to it; the others are grouped by the run
            extra = {"feed_outlet": source.outlet, **item.sidecar_fields()}
            dest = store_fetched(fetched, raw_dir, source.story, source.outlet, extra=extra)
        except FetchError as exc:  # not recorded in the ledger: a failed URL is tried again next run
            result.errors.append(str(exc))
            continue
        except FileExistsError as exc:  # the same bytes are already in raw/ under another URL
            result.skip(SKIP_SAME_BYTES)
            ledger.record(
                {
                    "url": url,
                    "final_url": fetched.url,
                    "outlet": source.outlet,
                    "fetched_at": now(),
                    "duplicate": str(exc),
                }
            )
            continue
        except Exception as exc:  # a page that cannot be read or stored must not stop the others
            result.errors.append(f"{url}: {type(exc).__name__}: {exc}")
            continue
        ledger.record(
            {
                "url": url,
                "final_url": fetched.url,
                "outlet": source.outlet,
                "fetched_at": now(),
                "path": str(dest.relative_to(raw_dir)),
            }
        )
        result.added.append(dest)
    return result


# --- the collect run, defined once (as presslens.pipeline defines the processing run) -----------------------


def collect_each(sources: Sources, raw_dir: str) -> Iterable[CollectResult]:
    """Each outlet collected in turn (the flow submits them as tasks instead)."""
    for source in sources.outlets:
        yield collect_source(source, Path(raw_dir), sources.allow_private, sources.max_items_per_feed)


@dataclass
class CollectSummary:
    """What a collect run did, over every outlet."""

    results: list[CollectResult] = field(default_factory=list)

    @property
    def added(self) -> list[Path]:
        return [path for r in self.results for path in r.added]

    def to_dict(self) -> dict:
        """Counts, skip reasons and failures as plain data (the flow's return value, the CLI's summary)."""
        skipped: dict[str, int] = {}
        for r in self.results:
            for reason, count in r.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + count
        return {
            "outlets": len(self.results),
            "fetched": sum(r.fetched for r in self.results),
            "new": len(self.added),
            "skipped": sum(skipped.values()),
            "skipped_by_reason": skipped,
            "failed": sum(len(r.errors) for r in self.results),
            "errors": [e for r in self.results for e in r.errors],
            "added": [str(p) for p in self.added],
        }


def outlet_line(result: CollectResult, done: int, total: int) -> str:
    """One progress line: an outlet's counts as soon as it is collected."""
    failed = f", {len(result.errors)} failed" if result.errors else ""
    return f"[{done}/{total}] {result.outlet}: {len(result.added)} new, {result.skipped_count} skipped{failed}"


def collect_run(
    sources: Sources,
    raw_dir: str | Path,
    each: Callable[[Sources, str], Iterable[CollectResult]] = collect_each,
    progress: Callable[[str], None] | None = None,
) -> CollectSummary:
    """Every outlet of ``sources`` collected into ``raw_dir``; ``each`` says how (in turn, or as the flow's
    tasks), ``progress`` receives a line per outlet as it finishes."""
    summary = CollectSummary()
    for result in each(sources, str(raw_dir)):
        summary.results.append(result)
        if progress:
            progress(outlet_line(result, len(summary.results), len(sources.outlets)))
    return summary


def summary_lines(summary: dict) -> list[str]:
    """The end of ``presslens collect``: pages fetched, new, skipped (by reason) and failed (each with its reason)."""
    lines = [
        f"{summary['outlets']} outlet(s): {summary['fetched']} page(s) fetched, {summary['new']} new, "
        f"{summary['skipped']} skipped, {summary['failed']} failed"
    ]
    if summary["skipped"]:
        reasons = ", ".join(f"{count} {reason}" for reason, count in summary["skipped_by_reason"].items())
        lines.append(f"  skipped: {reasons}")
    lines += [f"  failed: {error}" for error in summary["errors"]]
    return lines
