"""The page bounds (README "Bounds") against every real page in ../shared/bench: how many pages each bound
refuses, cuts or re-nests, and the largest value each corpus reaches.

Each page is written to a scratch folder as the file a user would add (BASIL articles and the events
corpora's documents as plain text, BASIL also in a made-up site's HTML as the scale corpus renders it) and
read by :func:`presslens.pages.read_page`, the run's own reader: ``python -m benchmarks.bounds``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lxml import html as lxml_html

from presslens.pages import (
    _BLOCK_TAG,
    _TAG,
    _VOID,
    MAX_ID_CHARS,
    MAX_LINES,
    MAX_NESTING,
    PageError,
    RawFile,
    article_id_for,
    read_page,
    renest,
)
from presslens.processing import MAX_ARTICLE_WORDS

MAX_DOCS = 10_000  # documents read from one corpus file (the largest, GVA dev, has ~2,000)


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= MAX_DOCS:
                break
            if line.strip():
                yield json.loads(line)


def tags_left_open(html: str) -> int:
    """The nesting as the bound before issue 30 counted it: start tags less end tags, implied closes not
    read (a page of unclosed <p> counts one level a paragraph); it refused pages over 400."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html[: html.rfind(">") + 1]):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def real_pages(shared: Path) -> Iterator[tuple[str, str, bytes]]:
    """(corpus, file name, the bytes a user would add) for every real page under ``shared``."""
    from benchmarks.scale_corpus import render_html

    bench = shared / "bench"
    for corpus, folder in (("html-dev", "html"), ("traf-eval-dev", "html")):
        for path in sorted((bench / "extraction" / corpus / folder).iterdir()):
            yield corpus, path.name, path.read_bytes()
    for path in sorted((bench / "extraction" / "text-dev" / "text").iterdir()):
        yield "text-dev", path.name, path.read_bytes()
    for doc in _jsonl(bench / "events" / "gva-dev" / "docs.jsonl"):
        yield "gva-dev", f"{doc['doc']}.txt", f"{doc.get('title') or ''}\n\n{doc['text']}\n".encode()
    for doc in _jsonl(bench / "events" / "ecbplus-dev" / "docs.jsonl"):
        yield "ecbplus-dev", f"{doc['doc']}.txt", ("\n".join(doc["sentences"]) + "\n").encode()
    for path in sorted((bench / "coverage" / "newswcl50-dev").glob("event-*/*.txt")):
        yield "newswcl50-dev", f"{path.parent.name}-{path.name}", path.read_bytes()
    for path in sorted((bench / "corpora" / "basil" / "articles").rglob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in article.get("body-paragraphs", [])]
        text = f"{article.get('title', '')}\n\n" + "\n\n".join(paragraphs) + "\n"
        yield "basil", f"{path.stem}.txt", text.encode()
        yield "basil-html", f"{path.stem}.html", render_html(article, [], "edition").encode()
    for path in sorted((shared / "seeds").glob("*.txt")):
        yield "seeds", path.name, path.read_bytes()


def check_pages(shared: Path) -> str:
    """A table: per corpus, pages read, refused, cut (lines), re-nested, the deepest nesting and most lines
    or block elements, the most words of a page (an article has no more) and the longest article id."""
    rows: dict[str, Counter] = {}
    refusals: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for corpus, name, data in real_pages(shared):
            count = rows.setdefault(corpus, Counter())
            count["pages"] += 1
            path = root / corpus / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            relpath = f"{corpus}/{name}"
            count["id"] = max(count["id"], len(article_id_for(relpath)))
            try:
                page = read_page(RawFile(path, relpath, corpus, root=root))
            except PageError as exc:
                count["refused"] += 1
                refusals.append(f"{relpath}: {exc.reason}")
                continue
            finally:
                path.unlink()
            count["cut"] += any("pages.MAX_LINES" in b for b in page.bounds)
            count["renested"] += any("pages.MAX_NESTING" in b for b in page.bounds)
            if page.is_html:
                count["html"] += 1
                count["deepest"] = max(count["deepest"], renest(page.text, None).deepest)
                count["counted"] = max(count["counted"], tags_left_open(page.text))
                visible = lxml_html.fromstring(page.text.encode()).text_content()
                count["words"] = max(count["words"], len(visible.split()))
                count["lines"] = max(count["lines"], len(_BLOCK_TAG.findall(page.text)))
            else:
                count["lines"] = max(count["lines"], page.text.count("\n") + 1)
                count["words"] = max(count["words"], len(page.text.split()))
    header = (
        f"bounds on real pages: nesting cap {MAX_NESTING}, {MAX_LINES:,} lines or block elements, "
        f"{MAX_ARTICLE_WORDS:,} article words, {MAX_ID_CHARS}-character ids"
    )
    lines = [
        header,
        "| corpus | pages (HTML) | refused | cut (lines) | re-nested | deepest (counted before) | most lines or blocks "
        "| most words | longest id |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for corpus, c in rows.items():
        depth = f"{c['deepest']} ({c['counted']})" if c["html"] else "-"
        lines.append(
            f"| {corpus} | {c['pages']} ({c['html']}) | {c['refused']} | {c['cut']} | {c['renested']} | "
            f"{depth} | {c['lines']:,} | "
            f"{c['words']:,} | {c['id']} |"
        )
    return "\n".join(lines + refusals)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    print(check_pages(Path(parser.parse_args(argv).shared)))


if __name__ == "__main__":
    main()
