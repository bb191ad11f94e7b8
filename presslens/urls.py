"""URLs given by users and pages: checked before use, and stored without credentials.

A URL in a sidecar, a page's own metadata or sources.yaml may be malformed (``http://[::1``) or
carry a user name and password (``https://user:secret@host/…``); tables, records and sidecars
written by presslens keep only what identifies the page.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

WEB_SCHEMES = ("http", "https")


def _parts(url: str) -> SplitResult:
    parts = urlsplit(url)
    parts.port  # noqa: B018  raises ValueError for a port that is not a number in range
    return parts


def url_problem(url: str, web_only: bool = False) -> str | None:
    """Why ``url`` cannot be used (None when it can); ``web_only``: it must be http(s) with a host."""
    try:
        parts = _parts(url)
    except ValueError as exc:
        return f"not a URL ({exc})"
    if web_only and (parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname):
        return "only http and https URLs with a host name"
    return None


def without_credentials(url: str) -> str:
    """``url`` with any ``user:password@`` removed from its host part (other URLs unchanged)."""
    try:
        parts = _parts(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()


def stored_url(url: str | None) -> str | None:
    """The form of a URL presslens stores: None when it cannot be parsed, credentials removed."""
    if not url or url_problem(url):
        return None
    return without_credentials(url)
