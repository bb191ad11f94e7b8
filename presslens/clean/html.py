"""HTML pages: trafilatura's choice, the page's structure and the line rules, combined.

The page is rendered to lines, one per block element, each remembering where it sits in
the document: its tag, whether an ancestor is a ``nav``/``aside``/``footer``/``figcaption``,
what its ancestors' class and id names say ("related", "share", "comment", "article-body"
…), how much of it is link text, and whether trafilatura kept it. The learned line
classifier (``line_model_html.json``) decides from these and the plain-text features which
lines are the article; without a shipped model, the lines trafilatura kept are. The removal
rules of :mod:`presslens.clean.cleaner` then remove in-article boilerplate either way.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import trafilatura
from lxml import html as lxml_html
from trafilatura import metadata as traf_metadata

from presslens.clean.body import choose_body, holds_prose
from presslens.clean.byline import read_byline
from presslens.clean.cleaned import Block, Extraction, Reason
from presslens.clean.cleaner import audit_trail, clean_lines, outside_reasons, related_heading
from presslens.clean.features import FEATURE_NAMES, page_features
from presslens.clean.line_model import LineModel, TwoPassLineModel, as_two_pass, load_line_predictor
from presslens.clean.table import PageLines, normalize_line
from presslens.pages import parse_html
from presslens.text import SCRIPT_TOKEN

BLOCK_TAGS = frozenset(
    "p div section article header footer nav aside main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tr "
    "blockquote figure figcaption form br hr pre address details summary title body html".split()
)
CELL_TAGS = frozenset({"td", "th"})  # a table row is one line: its cells are the fields of one record
SKIP_TAGS = frozenset("script style noscript template svg iframe object embed head button select option".split())
BOILER_NAMES = re.compile(
    r"related|share|sharing|social|comment|promo|newsletter|subscri|signup|footer|sidebar|widget|advert|\bads?\b|"
    r"sponsor|caption|credit|byline|author|meta|tags?\b|nav|menu|breadcrumb|recommend|trending|popular|teaser|"
    r"outbrain|taboola|more-|read-?more|cookie|modal|banner|toolbar|masthead|header",
    re.I,
)
CONTENT_NAMES = re.compile(r"article|content|body|story|post|entry|text|main|prose|rich", re.I)
STRUCTURE_TAGS = ("p", "li", "h", "td", "blockquote", "figcaption", "div")
ANCESTOR_TAGS = ("nav", "aside", "footer", "header", "figure", "form", "article", "main", "table", "ul")
DOM_FEATURES = (
    *(f"tag_{t}" for t in STRUCTURE_TAGS),
    *(f"in_{t}" for t in ANCESTOR_TAGS),
    "boiler_names",
    "content_names",
    "link_share",
    "depth",
    "traf_kept",
    "traf_share_before",
    "traf_share_after",
    "in_main_article",
    "in_other_article",
)

HTML_FEATURE_NAMES = FEATURE_NAMES + DOM_FEATURES
TRAF_KEPT = HTML_FEATURE_NAMES.index("traf_kept")  # column of the feature matrix: trafilatura kept the line


@dataclass
class HtmlLine:
    text: str
    tag: str
    ancestors: tuple[str, ...]
    names: str  # class and id values of the element and its ancestors
    link_chars: int
    articles: tuple[int, ...] = ()  # document-order numbers of the <article> elements around the line


def render_lines(html: str | lxml_html.HtmlElement) -> list[HtmlLine]:
    """Visible text of the page (its text or its :func:`parse_html` tree) as lines, one per block
    element, with their document context."""
    root = parse_html(html) if isinstance(html, str) else html
    if root is None:  # not HTML to trafilatura: lxml's own reading of it
        try:
            root = lxml_html.fromstring(html)
        except (ValueError, TypeError, lxml_html.etree.ParserError):
            return []
    out: list[HtmlLine] = []
    buffer: list[str] = []
    link_chars = 0
    stack: list[tuple[str, str]] = []  # (tag, class+id) of open elements
    articles: list[int] = []  # document-order numbers of the open <article> elements
    n_articles = 0

    def flush() -> None:
        nonlocal buffer, link_chars
        if not buffer:  # most block boundaries close nothing (nested blocks): link_chars is 0 here too
            return
        text = normalize_line(" ".join("".join(buffer).split()))
        if text:
            blocks = [t for t, _n in stack if t in BLOCK_TAGS]
            out.append(
                HtmlLine(
                    text,
                    blocks[-1] if blocks else "",
                    tuple(t for t, _n in stack),
                    " ".join(n for _t, n in stack if n),
                    link_chars,
                    tuple(articles),
                )
            )
        buffer, link_chars = [], 0

    def walk(el, in_link: bool) -> None:
        nonlocal link_chars, n_articles
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS:
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        elif tag in CELL_TAGS:
            buffer.append(" ")
        stack.append((tag, f"{el.get('class', '')} {el.get('id', '')}".strip()))
        if tag == "article":
            articles.append(n_articles)
            n_articles += 1
        link = in_link or tag == "a"
        if el.text:
            buffer.append(el.text)
            if link:
                link_chars += len(el.text.strip())
        for child in el:
            walk(child, link)
            if child.tail:
                buffer.append(child.tail)
                if link:
                    link_chars += len(child.tail.strip())
        if block:
            flush()  # before the element leaves the stack: the line's tag is its own element's
        stack.pop()
        if tag == "article":
            articles.pop()

    walk(root, False)
    flush()
    return out


_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().lower()


def headline_article(rendered: list[HtmlLine]) -> int | None:
    """The <article> element holding the page's first <h1>, if the <h1> is in one."""
    return next((r.articles[-1] for r in rendered if r.tag == "h1" and r.articles), None)


def main_article_number(rendered: list[HtmlLine], kept: np.ndarray) -> int:
    """The <article> element of the page's first <h1> or else the one holding most of
    trafilatura's words: the story. Other <article> elements are related posts, teaser cards
    or the next story of an endless page."""
    main = headline_article(rendered)
    if main is not None:
        return main
    words: dict[int, float] = {}
    for r, k in zip(rendered, kept, strict=True):
        if r.articles:
            words[r.articles[-1]] = words.get(r.articles[-1], 0.0) + len(r.text.split()) * (1.0 + 10.0 * k)
    return max(words, key=lambda a: (words[a], -a)) if words else -1


OTHER_ARTICLE_MIN_WORDS = 20  # the story's own <article> must hold this much accepted text


def in_other_articles(rendered: list[HtmlLine], keep: list[int]) -> set[int]:
    """Accepted lines inside another <article> than the one of the page's <h1>, when that one
    holds accepted text itself: related posts and next stories in their own <article>
    elements. Long prose there (a collection of messages, the next story of an endless page)
    reads like the body to the line model; the document says it is another article."""
    main = headline_article(rendered)
    if main is None:
        return set()
    own_words = sum(len(rendered[i].text.split()) for i in keep if main in rendered[i].articles)
    if own_words < OTHER_ARTICLE_MIN_WORDS:
        return set()
    return {i for i in keep if rendered[i].articles and main not in rendered[i].articles}


@functools.lru_cache(maxsize=65536)
def _name_matches(token: str) -> tuple[int, int]:
    """Matches of BOILER_NAMES and CONTENT_NAMES in one class or id token. The patterns match no
    space, so a line's counts are the sums over its ancestors' tokens: each token is read once
    per process, not once per line below it."""
    return len(BOILER_NAMES.findall(token)), len(CONTENT_NAMES.findall(token))


_HEADING = re.compile(r"h[1-6]")


def dom_features(rendered: list[HtmlLine], traf_keys: set[str]) -> np.ndarray:
    """Document-structure features of each rendered line (see DOM_FEATURES)."""
    kept = np.array([1.0 if _key(r.text) in traf_keys else 0.0 for r in rendered])
    n = len(rendered)
    sums = np.concatenate([[0.0], np.cumsum(kept)])
    main_article = main_article_number(rendered, kept)
    name_counts: dict[str, tuple[float, float]] = {}
    rows = []
    for i, r in enumerate(rendered):
        if r.names not in name_counts:
            tokens = [_name_matches(token) for token in r.names.split()]
            name_counts[r.names] = (
                math.log1p(sum(boiler for boiler, _c in tokens)),
                math.log1p(sum(content for _b, content in tokens)),
            )
        tag = "h" if _HEADING.fullmatch(r.tag) else "td" if r.tag == "tr" else r.tag
        lo, hi = max(0, i - 5), min(n, i + 6)
        rows.append(  # in DOM_FEATURES order
            [
                *(float(tag == t) for t in STRUCTURE_TAGS),
                *(float(t in r.ancestors) for t in ANCESTOR_TAGS),
                *name_counts[r.names],
                min(1.0, r.link_chars / max(1, len(r.text))),
                math.log1p(len(r.ancestors)),
                kept[i],
                (sums[i] - sums[lo]) / (i - lo) if i > lo else 0.0,
                (sums[hi] - sums[i + 1]) / (hi - i - 1) if hi > i + 1 else 0.0,
                float(main_article in r.articles),
                float(bool(r.articles) and main_article not in r.articles),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(n, len(DOM_FEATURES))


def html_page(html: str, traf_text: str, rendered: list[HtmlLine] | None = None) -> tuple[PageLines, np.ndarray]:
    """The rendered page as lines, and its full feature matrix (text features + DOM features)."""
    rendered = render_lines(html) if rendered is None else rendered
    texts = [r.text for r in rendered]
    page = PageLines(texts, blank_before=[1] * len(texts), tags=[r.tag for r in rendered])
    traf_keys = {_key(p) for p in traf_text.split("\n") if p.strip()}
    features = np.hstack([page_features(page), dom_features(rendered, traf_keys)]) if texts else np.zeros((0, 0))
    page.features = features
    return page, features


METADATA_READ = ("title", "author", "date", "sitename", "url")  # trafilatura's metadata fields cleaning reads


def page_metadata(tree: lxml_html.HtmlElement, url: str | None) -> dict:
    """The :data:`METADATA_READ` fields of trafilatura's ``extract_metadata``, by its own steps in its order,
    without the categories, tags and licence it reads last (nothing here uses them: ~3 ms a page)."""
    meta = traf_metadata.examine_meta(tree)
    if meta.author and " " not in meta.author:  # trafilatura's rule: a one-word meta author is no name
        meta.author = None
    with contextlib.suppress(Exception):  # trafilatura's own guard: bugs in its JSON-LD reading
        meta = traf_metadata.extract_meta_json(tree, meta)
    meta.title = meta.title or traf_metadata.extract_title(tree)
    meta.author = meta.author or traf_metadata.extract_author(tree)
    meta.url = meta.url or traf_metadata.extract_url(tree, url)
    if meta.url:
        meta.hostname = traf_metadata.extract_domain(meta.url, fast=True)
    meta.date = traf_metadata.find_date(tree, **{**traf_metadata.set_date_params(True), "url": meta.url})
    meta.sitename = meta.sitename or traf_metadata.extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (found := traf_metadata.META_URL.match(meta.url)):
        meta.sitename = found[1]
    meta.clean_and_trim()
    return {name: getattr(meta, name) for name in METADATA_READ}


def trafilatura_document(html: str | lxml_html.HtmlElement, url: str | None) -> dict:
    """trafilatura's text and metadata (:func:`page_metadata`) of the page (its text or its :func:`parse_html`
    tree, which is left as it was), with its fallback extractors (readability, jusText): trafilatura asks
    them when its own extraction looks short or wrong, which is where its own keeps the first sentence of
    a brief and loses the rest."""
    tree = parse_html(html) if isinstance(html, str) else html
    if tree is None:
        return {}
    info = page_metadata(tree, url)
    doc = trafilatura.bare_extraction(
        tree,  # trafilatura works on a copy
        url=url,
        fast=False,
        favor_precision=True,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
    )
    if doc is None:
        return {}
    return {**(doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)), **info}


def clean_html(
    html: str,
    url: str | None = None,
    model: LineModel | TwoPassLineModel | None = None,
    tree: lxml_html.HtmlElement | None = None,
) -> Extraction:
    """Extract the article from an HTML page, then remove in-article boilerplate.

    The body is the rendered lines the line model accepts, less those in another <article>;
    without a model, or when it accepts nothing, the lines trafilatura kept. The removal rules
    run over the body as a page of its own; every rendered line then has its verdict. ``tree``: the page
    as :func:`presslens.pages.parse_html` gave it, when the caller has parsed it.
    """
    tree = parse_html(html) if tree is None else tree
    rendered = render_lines(html if tree is None else tree)  # before trafilatura's metadata reads the tree
    info = trafilatura_document(tree, url) if tree is not None else {}
    traf_text = info.get("text") or ""
    title = info.get("title") or None
    model = model or load_line_predictor("html", HTML_FEATURE_NAMES)
    page, features = html_page(html, traf_text, rendered)
    reasons: dict[int, Reason] = {}
    keep: list[int] = []
    if model is not None and len(page):
        keep = choose_body(page, as_two_pass(model).predict_page(page, features))
        other = in_other_articles(rendered, keep)
        reasons = {i: Reason.RELATED for i in other}
        keep = [i for i in keep if i not in other]
    model_kept_nothing = model is not None and not keep
    if len(page) and rejects_trafilaturas_body(page, keep, traf_text):
        keep = trafilatura_rows(page, features, traf_text)
        reasons = {i: r for i, r in reasons.items() if i not in set(keep)}
    if keep:
        body = page.subset(with_related_headings(page, keep))
    else:  # trafilatura found text in no rendered line (or the page rendered to nothing)
        body = PageLines.from_text(traf_text)
        body.numbers = [-1] * len(body)
    if model_kept_nothing and not is_article_stand_in(body):
        body = PageLines.from_text("")  # a menu or a shell's labels: no article text, not its furniture
    cleaned = clean_lines(body, list(range(len(body))), title_hint=title, body_only=True)
    if not cleaned.text and len(page):
        body, cleaned = last_resort(html, url, title) or (body, cleaned)
    cleaned.title = title or cleaned.title
    byline = read_byline(info.get("author"))  # trafilatura's author: persons only, a wire is the source
    cleaned.author = byline.author or cleaned.author
    cleaned.original_source = cleaned.original_source or byline.agency
    cleaned.published = info.get("date") or cleaned.published
    cleaned.sitename = info.get("sitename") or None
    cleaned.url = info.get("url") or url
    cleaned.blocks = page_verdicts(page, body, cleaned, reasons)
    return cleaned


def with_related_headings(page: PageLines, keep: list[int]) -> list[int]:
    """The body's lines and the 'Related' headings between its first and last line: the body's own
    cleaning then sees where a related box starts, and removes as teasers the box's items the body
    took in between two paragraphs (:attr:`presslens.clean.cleaner.PageView.teasers`)."""
    if not keep:
        return keep
    kept = set(keep)
    headings = [i for i in range(min(kept) + 1, max(kept)) if i not in kept and related_heading(page, i)]
    return sorted(kept.union(headings))


def last_resort(html: str, url: str | None, title: str | None) -> tuple[PageLines, Extraction] | None:
    """When nothing of the page is kept, trafilatura's default extraction (its recall-leaning
    choice, not the precision one the line model reads): an article a script template or a
    <noscript> holds, which the rendered lines do not show. Asked only for pages that would
    otherwise have no text, so it costs nothing on the others."""
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
    if not text.strip():
        return None
    body = PageLines.from_text(text)
    body.numbers = [-1] * len(body)
    if not is_article_stand_in(body):
        return None
    cleaned = clean_lines(body, list(range(len(body))), title_hint=title, body_only=True)
    return (body, cleaned) if cleaned.text else None


def is_article_stand_in(body: PageLines) -> bool:
    """Whether trafilatura's lines may stand in for a body the line model did not find: prose or a
    brief, or at least TRAF_MIN_WORDS words (a list article). Its fallback extractors return a
    menu's labels ("Home", "News") from a page that has no article."""
    return holds_prose(body) or sum(body.n_words(i) for i in range(len(body))) >= TRAF_MIN_WORDS


MODEL_MIN_SHARE = 0.1  # the line model's body under this share of trafilatura's words: the model missed it
TRAF_MIN_WORDS = 50  # ... when trafilatura found at least this many words


def rejects_trafilaturas_body(page: PageLines, keep: list[int], traf_text: str) -> bool:
    """The line model accepted nothing, or a sliver of what trafilatura found on a page of some
    length: a layout it has not learned (a table of records, a page of short items), where
    trafilatura's text is a better answer than none."""
    if not keep:
        return True
    traf_words = len(SCRIPT_TOKEN.findall(traf_text))
    return traf_words >= TRAF_MIN_WORDS and sum(page.n_words(i) for i in keep) < MODEL_MIN_SHARE * traf_words


TRAF_COVER = 0.5  # rendered lines standing for trafilatura's text must hold this share of its words
CONTAINED_MIN_WORDS = 3  # a line found inside trafilatura's text (not equal to one of its lines): this long


def trafilatura_rows(page: PageLines, features: np.ndarray, traf_text: str) -> list[int]:
    """The rendered lines that make up trafilatura's text: those equal to one of its lines; else
    those that spell it end to end; else those found inside it (a layout table trafilatura
    flattened into one line of cells). [] when none of these hold most of its words: the body
    is then trafilatura's text itself."""
    traf_words = max(1, len(SCRIPT_TOKEN.findall(traf_text)))

    def covers(rows: list[int]) -> bool:
        return sum(page.n_words(i) for i in rows) >= TRAF_COVER * traf_words

    exact = [i for i in range(len(page)) if features[i, TRAF_KEPT] > 0]
    if exact and covers(exact):
        return exact
    spelled = lines_spelling(page.texts, traf_text)
    if spelled:
        return spelled
    whole = f" {_key(traf_text)} "
    inside = [
        i
        for i in range(len(page))
        if features[i, TRAF_KEPT] > 0
        or (page.n_words(i) >= CONTAINED_MIN_WORDS and f" {_key(page.texts[i])} " in whole)
    ]
    return inside if covers(inside) else []


def lines_spelling(texts: list[str], text: str) -> list[int]:
    """The lines that, in page order and end to end, spell ``text`` (whitespace aside); [] if none do.

    trafilatura joins inline and list elements without a space ("<li>the</li><li>the</li>" is
    "thethe"), so its text may match no rendered line; its lines are found again this way.
    """
    target = re.sub(r"\s+", "", text)
    rows, at = [], 0
    for i, line in enumerate(texts):
        piece = re.sub(r"\s+", "", line)
        if piece and target.startswith(piece, at):
            rows.append(i)
            at += len(piece)
    return rows if target and at == len(target) else []


def page_verdicts(page: PageLines, body: PageLines, cleaned: Extraction, reasons: dict[int, Reason]) -> list[Block]:
    """Every rendered line of the page in order, kept or with its reason, read off the tables by
    line number: the body's verdicts from its own cleaning, the other lines' from the outside
    rules (``reasons``: lines removed before the body was cleaned)."""
    reasons = dict(reasons)
    kept: set[int] = set()
    for row, block in zip(body.numbers, cleaned.blocks, strict=True):
        if row < 0:
            continue
        if block.kept:
            kept.add(row)
        else:
            reasons[row] = block.reason or Reason.BOILERPLATE
    in_body = kept | set(reasons)
    reasons.update(outside_reasons(page, in_body, reasons, cleaned.title))
    blocks = audit_trail(page, kept, reasons)
    # a body that is not page lines (trafilatura's own text): its kept lines close the trail
    blocks += [b for row, b in zip(body.numbers, cleaned.blocks, strict=True) if row < 0 and b.kept]
    return blocks
