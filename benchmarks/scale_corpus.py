"""A corpus of N pages for the scale benchmark, built from ../shared/bench.

Sources, taken round-robin so every N mixes them:
- the extraction benchmark's real pages, as saved HTML (``html-dev``) and as full-page text
  dumps (``text-dev``), five unrelated pages to a story;
- BASIL articles (100 events x Fox / NYT / HuffPost), each rendered twice by presslens: as an
  HTML page in a made-up site's chrome (menus, share buttons, newsletter box, related
  teasers, footer) and as the plain text a browser's select-all would give of that page.
  The three outlets of an event form one story, as a user would file them.

Beyond the ~800 distinct pages, pages repeat in new story folders with a different
edition line, so every file's bytes (and fingerprint) differ. Nothing is written outside
``dest``; ../shared is only read.
"""

from __future__ import annotations

import gzip
import html
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

OUTLET_NAMES = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
SECTIONS = ["Home", "Politics", "World", "Business", "Opinion", "Science", "Sport", "Video"]


@dataclass(frozen=True)
class ScalePage:
    story: str
    name: str
    content: bytes
    sidecar: dict | None = None
    templated: bool = False  # carries an {edition} placeholder


def _basil_articles(shared: Path) -> list[dict]:
    root = shared / "bench" / "corpora" / "basil" / "articles"
    articles = []
    for path in sorted(root.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.stem
        articles.append(data)
    return articles


def _paragraphs(article: dict) -> list[str]:
    return [" ".join(p) if isinstance(p, list) else str(p) for p in article.get("body-paragraphs", [])]


def render_html(article: dict, teasers: list[str], edition: str) -> str:
    """One BASIL article in a news site's chrome: the boilerplate a real page carries."""
    outlet = OUTLET_NAMES.get(article.get("source", ""), article.get("source", "News"))
    esc = html.escape
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    related = "".join(f'<li><a href="/story/{i}">{esc(t)}</a></li>' for i, t in enumerate(teasers))
    body = "\n".join(f"<p>{esc(p)}</p>" for p in _paragraphs(article))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(article.get("title", ""))} | {esc(outlet)}</title>
<meta property="og:site_name" content="{esc(outlet)}">
<meta property="article:published_time" content="{esc(article.get("date", ""))}"></head>
<body><header><div class="masthead">{esc(outlet)} — {esc(edition)}</div>
<nav class="main-nav"><ul>{nav}</ul></nav></header>
<main><article><h1>{esc(article.get("title", ""))}</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> <a href="#">Email</a></div>
<div class="article-body">
{body}
</div>
<aside class="newsletter">Get the morning briefing in your inbox. <a href="/newsletter">Sign up</a></aside>
</article>
<section class="related"><h2>More stories</h2><ul>{related}</ul></section></main>
<footer><p>© {esc(outlet)}. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>
"""


def render_text(article: dict, teasers: list[str], edition: str) -> str:
    """The same page as a browser's select-all text: menus and teasers on their own lines."""
    outlet = OUTLET_NAMES.get(article.get("source", ""), article.get("source", "News"))
    lines = [
        outlet,
        edition,
        "",
        *SECTIONS,
        "",
        article.get("title", ""),
        "",
        "Share on Facebook",
        "Share on Twitter",
    ]
    lines += ["Email", ""]
    for paragraph in _paragraphs(article):
        lines += [paragraph, ""]
    lines += ["Get the morning briefing in your inbox. Sign up", "", "More stories", *teasers, ""]
    lines += [f"© {outlet}. All rights reserved.", "Privacy policy", "Terms of use"]
    return "\n".join(lines) + "\n"


def base_pages(shared: str | Path) -> dict[str, list[ScalePage]]:
    """The distinct pages, per source (html-dev, text-dev, basil-html, basil-text)."""
    shared = Path(shared)
    sources: dict[str, list[ScalePage]] = {"html-dev": [], "text-dev": [], "basil-html": [], "basil-text": []}
    for kind, folder, suffix in (("html-dev", "html", ".html.gz"), ("text-dev", "text", ".txt")):
        root = shared / "bench" / "extraction" / kind
        truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        for i, page_id in enumerate(sorted(truth)):
            path = root / folder / f"{page_id}{suffix}"
            if not path.exists():
                continue
            sidecar = {"url": truth[page_id].get("url")} if truth[page_id].get("url") else None
            sources[kind].append(ScalePage(f"{kind}-{i // 5:03d}", f"{page_id}{suffix}", path.read_bytes(), sidecar))
    articles = _basil_articles(shared)
    titles = [a.get("title", "") for a in articles]
    for i, article in enumerate(articles):
        teasers = [titles[(i * 7 + k * 13 + 5) % len(titles)] for k in range(5)]
        story = f"basil-{article.get('triplet-uuid', article['_file'])[:8]}"
        outlet = OUTLET_NAMES.get(article.get("source", ""), article.get("source"))
        sidecar = {"outlet": outlet, "url": article.get("url"), "published": article.get("date")}
        sources["basil-html"].append(
            ScalePage(
                story, f"{article['_file']}.html", render_html(article, teasers, "{edition}").encode(), sidecar, True
            )
        )
        sources["basil-text"].append(
            ScalePage(
                f"{story}-text",
                f"{article['_file']}.txt",
                render_text(article, teasers, "{edition}").encode(),
                sidecar,
                True,
            )
        )
    return sources


def _round_robin(sources: dict[str, list[ScalePage]]) -> Iterator[ScalePage]:
    """Interleave the sources in proportion to their sizes, so any prefix mixes them."""
    total = sum(len(v) for v in sources.values())
    cursors = {k: 0 for k in sources}
    for _ in range(total):
        # the source that is furthest behind its proportional share goes next
        key = min(
            (k for k in sources if cursors[k] < len(sources[k])),
            key=lambda k: (cursors[k] + 1) / len(sources[k]),
        )
        yield sources[key][cursors[key]]
        cursors[key] += 1


def _with_edition(page: ScalePage, edition: str) -> bytes:
    if page.name.endswith(".gz"):
        if edition == "edition 1":
            return page.content
        # a real page repeated: append an HTML comment so the bytes (and fingerprint) differ
        return gzip.compress(gzip.decompress(page.content) + f"\n<!-- {edition} -->\n".encode(), mtime=0)
    if page.templated:
        return page.content.replace(b"{edition}", edition.encode())
    return page.content + (f"\n{edition}\n".encode() if edition != "edition 1" else b"")


CORPORA = {  # the sources each corpus draws its pages from
    "mix": ("html-dev", "text-dev", "basil-html", "basil-text"),
    "zyte-html": ("html-dev",),
    "zyte-text": ("text-dev",),
    "basil": ("basil-html", "basil-text"),
}


def build_scale_corpus(shared: str | Path, dest: str | Path, n: int, corpus: str = "mix") -> list[Path]:
    """Write ``n`` pages (and sidecars) of ``corpus`` (:data:`CORPORA`) under ``dest``, a raw/ folder;
    return the page paths. Past the distinct pages, they repeat as new editions (new bytes)."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    sources = {k: v for k, v in base_pages(shared).items() if k in CORPORA[corpus]}
    order = list(_round_robin(sources))
    written: list[Path] = []
    repeat = 0
    while len(written) < n:
        repeat += 1
        edition = f"edition {repeat}"
        for page in order:
            if len(written) >= n:
                break
            story = page.story if repeat == 1 else f"{page.story}-r{repeat}"
            path = dest / story / page.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_with_edition(page, edition))
            if page.sidecar:
                Path(f"{path}.meta.json").write_text(json.dumps(page.sidecar), encoding="utf-8")
            written.append(path)
    return written
