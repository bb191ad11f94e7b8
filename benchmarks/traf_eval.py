"""trafilatura's own evaluation corpus and its own scoring (``traf-eval-dev``).

Each page comes with snippets that must be in the extracted text ('with') and snippets that
must not ('without'). A snippet counts when it is a substring of the extracted text after
whitespace normalisation (runs of whitespace -> one space, on both sides); tp = 'with' snippets
found, fp = 'without' snippets found, fn = 'with' snippets not found; precision, recall and F1
are micro-averaged over all pages (tests/comparison.py of adbar/trafilatura).

The pages are split once into two fixed halves (by a hash of the page's file name, so the split
does not depend on the order pages are read or on which pages sit beside them): tune on one
half, check on the other.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.counts import Counts

MAX_PAGES = 5_000  # pages read from one evaldata.json (the dev set holds 343)


@dataclass(frozen=True)
class EvalPage:
    url: str
    file: str
    html: str
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]

    @property
    def half(self) -> str:
        """'A' or 'B': the page's fixed half of the corpus."""
        return "A" if hashlib.sha256(self.file.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def normalise(text: str) -> str:
    return " ".join((text or "").split())


def page_counts(extracted: str, page: EvalPage) -> Counts:
    """tp, fp, fn of one page's extracted text."""
    text = normalise(extracted)
    found = [normalise(s) in text for s in page.with_snippets]
    return Counts(
        tp=sum(found),
        fp=sum(normalise(s) in text for s in page.without_snippets),
        fn=len(found) - sum(found),
    )


def load_pages(folder: str | Path) -> list[EvalPage]:
    """The pages of a traf-eval folder (``evaldata.json`` + ``html/<file>.gz``), decoded as
    presslens decodes a page (BOM, UTF-8, declared charset, detection)."""
    from presslens.pages import decode_bytes

    root = Path(folder)
    meta = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in list(meta.items())[:MAX_PAGES]:
        path = root / "html" / f"{item['file']}.gz"
        if not path.exists():
            continue
        html, _encoding = decode_bytes(gzip.decompress(path.read_bytes()), path)
        pages.append(
            EvalPage(
                url,
                item["file"],
                html,
                tuple(s for s in item.get("with", []) if s),
                tuple(s for s in item.get("without", []) if s),
            )
        )
    return pages


def is_traf_eval(folder: str | Path) -> bool:
    return (Path(folder) / "evaldata.json").exists()


@dataclass
class SnippetResult:
    name: str
    per_page: dict[str, Counts] = field(default_factory=dict)  # file -> counts
    halves: dict[str, str] = field(default_factory=dict)  # file -> 'A' / 'B'
    seconds: float = 0.0

    def total(self, half: str | None = None) -> Counts:
        out = Counts()
        for file, counts in self.per_page.items():
            if half is None or self.halves[file] == half:
                out.add(counts)
        return out

    def summary(self) -> str:
        whole, a, b = self.total(), self.total("A"), self.total("B")
        rate = f"{len(self.per_page) / self.seconds:6.1f} pages/s" if self.seconds > 1e-3 else " " * 13
        return (
            f"{self.name:<30} P {whole.precision:.3f}  R {whole.recall:.3f}  F1 {whole.f1:.3f}  |  "
            f"half A F1 {a.f1:.3f}  half B F1 {b.f1:.3f}  {rate}"
        )


def run(name: str, extract: Callable[[str, str], str], pages: list[EvalPage]) -> tuple[SnippetResult, dict[str, str]]:
    """Score ``extract(html, url)`` on every page; also returns each page's extracted text."""
    result = SnippetResult(name, halves={p.file: p.half for p in pages})
    texts: dict[str, str] = {}
    start = time.perf_counter()
    for page in pages:
        texts[page.file] = extract(page.html, page.url) or ""
    result.seconds = time.perf_counter() - start
    for page in pages:
        result.per_page[page.file] = page_counts(texts[page.file], page)
    return result, texts


def visible_text(html: str, url: str | None) -> str:
    """Reference: all visible text of the page (every rendered line), what keeps every 'with'
    snippet an extractor could find and every 'without' one too."""
    from presslens.clean.html import render_lines

    return "\n".join(line.text for line in render_lines(html))


def trafilatura_default(html: str, url: str | None) -> str:
    """trafilatura 2.3.1 ``extract()`` with its defaults: the reference the corpus was made for."""
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def report(results: list[SnippetResult], worst: int = 10) -> str:
    n_a = sum(1 for h in results[0].halves.values() if h == "A")
    lines = [
        f"  micro P/R/F1 over snippets ({len(results[0].per_page)} pages; half A {n_a}, "
        f"half B {len(results[0].per_page) - n_a} pages, fixed by a hash of the file name)",
        *(r.summary() for r in results),
    ]
    if len(results) >= 2:
        ours, other = results[0], results[1]
        lines.append(f"pages where {ours.name} and {other.name} differ most (tp-fp, theirs - ours):")
        gaps = sorted(
            ours.per_page,
            key=lambda f: (ours.per_page[f].tp - ours.per_page[f].fp) - (other.per_page[f].tp - other.per_page[f].fp),
        )
        for file in gaps[:worst]:
            o, t = ours.per_page[file], other.per_page[file]
            diff = (t.tp - t.fp) - (o.tp - o.fp)
            if diff <= 0:
                break
            lines.append(
                f"  {diff:+d}  ours tp {o.tp} fp {o.fp} fn {o.fn}  theirs tp {t.tp} fp {t.fp} fn {t.fn}  {file}"
            )
    return "\n".join(lines)
