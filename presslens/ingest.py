"""Adding pages to raw/: stored under their content hash with a sidecar, never twice.

Used by ``presslens add`` (files and URLs) and the ``collect-articles`` flow. This is the
only code that writes into raw/, and it only ever adds files.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from presslens.pages import (
    UNSORTED_FOLDER,
    PageError,
    RawFile,
    decode_bytes,
    discover,
    looks_like_html,
    maybe_gunzip,
    page_bytes,
    read_page,
    slugify,
)
from presslens.store import Store, atomic_write_json
from presslens.urls import without_credentials

KNOWN_SUFFIXES = (".html.gz", ".htm.gz", ".txt.gz", ".html", ".htm", ".txt")


def page_suffix(name: str, data: bytes, content_type: str = "") -> str:
    """Keep a known suffix of the original name, else decide from the bytes (or the content type)."""
    lowered = name.lower()
    for suffix in KNOWN_SUFFIXES:
        if lowered.endswith(suffix):
            return suffix
    body = maybe_gunzip(data, name)
    if "html" in content_type:
        base = ".html"
    else:
        text, _ = decode_bytes(body[:200_000])
        base = ".html" if looks_like_html(text) else ".txt"
    return base + (".gz" if body is not data else "")


def find_duplicate(raw_dir: Path, data: bytes) -> str | None:
    """relpath of a page in raw/ with exactly these bytes, if any."""
    if not raw_dir.is_dir():
        return None
    digest = hashlib.sha256(data).digest()
    for raw in discover(raw_dir):
        try:
            if raw.path.stat().st_size == len(data) and hashlib.sha256(page_bytes(raw)).digest() == digest:
                return raw.relpath
        except (OSError, PageError):  # an entry that cannot be read holds no page to compare with
            continue
    return None


def store_page(
    data: bytes,
    raw_dir: Path,
    story: str | None,
    *,
    name: str,
    outlet: str | None = None,
    url: str | None = None,
    extra: dict | None = None,
    content_type: str = "",
) -> Path:
    """Write page bytes to raw/<story>/<sha256[:16]><suffix> with a sidecar; FileExistsError on a duplicate.

    Without a story the page goes to raw/unsorted/, and the run groups it into a story.
    """
    duplicate = find_duplicate(raw_dir, data)
    if duplicate:
        raise FileExistsError(f"{name} is already in raw/ as {duplicate} (same bytes); not added again")
    digest = hashlib.sha256(data).hexdigest()
    story_slug = slugify(story) if story else None
    dest = raw_dir / (story_slug or UNSORTED_FOLDER) / f"{digest[:16]}{page_suffix(name, data, content_type)}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".adding-", dir=dest.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)
    sidecar = {
        "story": story_slug,
        "outlet": outlet,
        "url": without_credentials(url) if url else None,
        "sha256": digest,
        "added_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "original_name": name,
        **(extra or {}),
    }
    atomic_write_json(dest.with_name(dest.name + ".meta.json"), {k: v for k, v in sidecar.items() if v})
    return dest


def guess_story(data: bytes, name: str, out_dir: Path) -> str:
    """A line saying which processed story new page bytes would join, as a best guess.

    The run decides (it groups the page with everything that arrives alongside it); this only
    compares the page with the stories processed so far, as the run's grouping would.
    """
    from presslens.extract import extract_article
    from presslens.stories.features import EventFeatures, event_features
    from presslens.stories.membership import best_guess, load_membership

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(name).name or "page")
        path.write_bytes(data)
        article = extract_article(read_page(RawFile(path=path, relpath=path.name, story=None)))
    new = event_features(
        "new page", article.extraction.title, article.text, article.extraction.published, outlet=article.outlet
    )
    states = Store(out_dir).load_states() if out_dir.is_dir() else {}
    known = [EventFeatures.from_state(aid, st) for aid, st in states.items() if st.get("ok") and st.get("grouping")]
    return best_guess(new, known, load_membership(out_dir)).message


def fetched_name(url: str) -> str:
    """A file name for a fetched page (the last path segment of its URL)."""
    from urllib.parse import urlparse

    return Path(urlparse(url).path.rstrip("/")).name or "page"


def store_fetched(fetched, raw_dir: Path, story: str | None, outlet: str | None, extra: dict | None = None) -> Path:
    """Store a :class:`presslens.collect.Fetched` response body as received, with where it came from."""
    return store_page(
        fetched.body,
        raw_dir,
        story,
        name=fetched_name(fetched.url),
        outlet=outlet,
        url=fetched.url,
        content_type=fetched.content_type,
        extra={
            "requested_url": without_credentials(fetched.requested) if fetched.requested != fetched.url else None,
            "content_type": fetched.content_type,
            "http_status": fetched.status,
            **(extra or {}),
        },
    )
