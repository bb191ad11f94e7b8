"""Collecting pages: fetch a URL politely and safely, read RSS/Atom feeds, remember what was fetched.

- :func:`fetch` — timeouts, retries with exponential backoff on connection errors and 5xx
  and 429 answers, a size cap, a user agent that says what is fetching, redirects followed
  by hand so every hop is checked, and no private, loopback or link-local address unless
  the caller allows it (tests, an intranet archive).
- :func:`feed_links` — the article links of an RSS or Atom feed (feedparser).
- :class:`Ledger` — ``raw/.collected.jsonl``: every URL fetched, so no URL is fetched twice.
- :func:`collect_sources` — all of it for the outlets listed in ``sources.yaml``.

Pages are stored in raw/ with the bytes of the response body as received (after transfer
decoding) and a sidecar with the URL, the fetch time and the content type.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from presslens import __version__

USER_AGENT = f"presslens/{__version__} (media coverage comparison; research use; honours robots by schedule)"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
RETRIES = 3
BACKOFF_SECONDS = 1.0
MAX_REDIRECTS = 5
LEDGER_NAME = ".collected.jsonl"
ALLOW_PRIVATE_ENV = "PRESSLENS_ALLOW_PRIVATE_URLS"


class FetchError(Exception):
    """A URL that could not be fetched; the message says why."""


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    requested: str
    status: int
    content_type: str
    body: bytes


def private_allowed(explicit: bool | None = None) -> bool:
    if explicit is not None:
        return explicit
    return os.environ.get(ALLOW_PRIVATE_ENV, "").lower() in ("1", "true", "yes")


def check_address(url: str, allow_private: bool) -> str:
    """The address ``url``'s host resolves to, checked: only http(s), and no private, loopback or
    link-local address unless allowed. The fetch then connects to this very address, so a second
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
            if (
                address.is_private
                or address.is_loopback
                or address.is_link_local
                or address.is_multicast
                or address.is_reserved
                or address.is_unspecified
            ):
                raise FetchError(
                    f"{url}: {parts.hostname} resolves to a non-public address ({address}); "
                    f"set {ALLOW_PRIVATE_ENV}=1 to allow it"
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
    allow_private: bool | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    retries: int = RETRIES,
    backoff: float = BACKOFF_SECONDS,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET ``url`` with the safety rules above; raises :class:`FetchError` with the reason."""
    allow = private_allowed(allow_private)
    own_client = client is None
    client = client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False)
    try:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            address = check_address(current, allow)  # every hop is resolved once and checked
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


def feed_links(body: bytes, base_url: str) -> list[tuple[str, str | None]]:
    """(link, title) of every entry of an RSS or Atom feed, in feed order."""
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"{base_url}: not a readable RSS or Atom feed ({parsed.bozo_exception})")
    links = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            links.append((urljoin(base_url, link), entry.get("title")))
    return links


class Ledger:
    """URLs already fetched into raw/ (one JSON object per line, append-only)."""

    def __init__(self, raw_dir: str | Path):
        self.path = Path(raw_dir) / LEDGER_NAME
        self.urls: set[str] = set()
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self.urls.update(u for u in (entry.get("url"), entry.get("final_url")) if u)

    def __contains__(self, url: str) -> bool:
        return url in self.urls

    def record(self, entry: dict) -> None:
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


def load_sources(path: str | Path) -> Sources:
    """Read sources.yaml (see the file in the repo for the format)."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    outlets = [
        Source(outlet=o["name"], feeds=list(o.get("feeds") or []), urls=list(o.get("urls") or []), story=o.get("story"))
        for o in data.get("outlets") or []
    ]
    return Sources(outlets, bool(data.get("allow_private", False)), int(data.get("max_items_per_feed", 50)))


@dataclass
class CollectResult:
    added: list[Path] = field(default_factory=list)
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def collect_source(source: Source, raw_dir: Path, allow_private: bool, max_items: int = 50) -> CollectResult:
    """Fetch one outlet's new feed items and URLs into raw/ (a URL already fetched is skipped)."""
    from presslens.ingest import store_fetched

    ledger = Ledger(raw_dir)
    result = CollectResult()
    candidates: list[tuple[str, str | None]] = [(u, None) for u in source.urls]
    for feed in source.feeds:
        try:
            fetched = fetch(feed, allow_private=allow_private)
            candidates += feed_links(fetched.body, fetched.url)[:max_items]
        except FetchError as exc:
            result.errors.append(str(exc))
    seen: set[str] = set()
    for url, _title in candidates:
        if url in seen or url in ledger:
            result.skipped += 1
            continue
        seen.add(url)
        try:
            fetched = fetch(url, allow_private=allow_private)
            # a source with a fixed story pins its pages to it; the others are grouped by the run
            dest = store_fetched(fetched, raw_dir, source.story, source.outlet, extra={"feed_outlet": source.outlet})
        except FetchError as exc:  # not recorded in the ledger: a failed URL is tried again next run
            result.errors.append(str(exc))
            continue
        except FileExistsError as exc:  # the same bytes are already in raw/ under another URL
            result.skipped += 1
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
