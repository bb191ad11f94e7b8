"""Stage 1 — pages: find captured pages in raw/, read their bytes and sidecars, decode them.

Everything downstream works on :class:`Page` (decoded text plus what the user told us in
the sidecar; an HTML page also parsed, once, for cleaning). Nothing here writes to raw/: raw/ is
the user's evidence.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import itertools
import json
import os
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from presslens.urls import url_problem
from presslens.userfile import UserFileError, read_user_file

SIDECAR_SUFFIX = ".meta.json"
# feed_*: what the feed that listed the page said of it (presslens collect); used when the page gives none
FEED_FIELDS = ("feed_title", "feed_published", "feed_author")
SIDECAR_FIELDS = ("outlet", "url", "published", "story", "added_at", "sha256", *FEED_FIELDS)
UNSORTED_FOLDER = "unsorted"  # raw/unsorted/** is grouped by the run, like pages directly in raw/


class PageError(Exception):
    """A page that cannot be read; ``reason`` is meant for the errors table."""

    def __init__(self, path: str | Path, stage: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.stage = stage
        self.reason = reason


@dataclass(frozen=True)
class RawFile:
    """One captured page in raw/ before it is read: where it is, and the story its folder pins it to."""

    path: Path
    relpath: str
    story: str | None  # raw/<story>/…; None for a page the run groups (raw/ itself, raw/unsorted/)
    root: Path | None = None  # the raw/ folder it was found in: a link out of it is not read
    problem: str | None = None  # why the entry cannot be a page whatever it holds (a name not UTF-8)

    @property
    def sidecar_path(self) -> Path:
        return self.path.with_name(self.path.name + SIDECAR_SUFFIX)

    @property
    def article_id(self) -> str:
        return article_id_for(self.relpath)


@dataclass
class Page:
    """A decoded page: its text, whether it is HTML, and the user's sidecar metadata."""

    raw: RawFile
    text: str
    is_html: bool
    encoding: str
    sha256: str
    sidecar: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # about the sidecar
    bounds: list[str] = field(default_factory=list)  # how a bound degraded the page (cut, unwrapped)
    tree: object = field(default=None, repr=False, compare=False)  # the HTML as parsed (parse_html): parsed once

    @property
    def story(self) -> str | None:
        """The story the user pinned this page to (sidecar, else folder); None: the run groups it."""
        pinned = self.sidecar.get("story") or self.raw.story
        return str(pinned) if pinned else None


def slugify(text: str, max_len: int = 80, whole_words: bool = True) -> str:
    """ASCII slug for ids and folder names ("N. Korea & Russia" -> "n-korea-russia"), at most ``max_len``
    characters, cut after a whole word (unless that keeps less than half of them: then mid-word).
    ``whole_words=False`` cuts at ``max_len`` wherever it falls: the article ids and story folders made
    that way must not change."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    if not slug:  # a name in a non-Latin script: keep it unique with a hash
        slug = "x" + hashlib.sha1(text.encode()).hexdigest()[:10]
    if len(slug) <= max_len:
        return slug
    head = slug[: max_len + 1]  # a hyphen just past max_len still ends a whole word
    at_word = head[: head.rfind("-")].strip("-") if "-" in head else ""
    return at_word if whole_words and len(at_word) >= max_len // 2 else slug[:max_len].strip("-")


MAX_ID_CHARS = 150  # an id names two files (processed/state/, processed/articles/): under the 255-byte limit


def article_id_for(relpath: str) -> str:
    """Stable, readable id of the page at ``relpath`` (relative to raw/): its folders' and name's slugs,
    cut to MAX_ID_CHARS for a page many folders deep, and a hash of the whole path."""
    parts = Path(relpath).parts
    digest = hashlib.sha1(relpath.encode()).hexdigest()[:6]
    return "--".join(slugify(p, 40, whole_words=False) for p in parts)[:MAX_ID_CHARS].rstrip("-") + "-" + digest


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def discover(raw_dir: str | Path) -> list[RawFile]:
    """List every page under ``raw_dir``: every entry but folders, sidecars and hidden or README files.

    A page's folder pins its story (raw/<story>/…); pages directly in raw/ or anywhere under
    raw/unsorted/ have none and are grouped into stories by the run. Entries that cannot be pages
    (a FIFO, a device, a name that is not UTF-8) are listed too, so that each gets its error row.
    """
    root = Path(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"raw folder not found: {root}")
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_dir() or is_sidecar(path) or path.name.lower().startswith("readme"):
            continue
        relpath, problem = rel.as_posix(), None
        try:
            relpath.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as lone surrogates
            relpath = os.fsencode(relpath).decode("utf-8", "backslashreplace")
            problem = "the file name is not UTF-8 text: rename the file to process it"
        parts = relpath.split("/")
        story = parts[0] if len(parts) > 1 and parts[0] != UNSORTED_FOLDER else None
        found.append(RawFile(path=path, relpath=relpath, story=story, root=root, problem=problem))
    return found


def page_bytes(raw: RawFile) -> bytes:
    """The page file's bytes, read by the safe path (:func:`presslens.userfile.read_user_file`):
    :class:`PageError` before a byte is read for a link out of raw/, an entry that is not a regular
    file, a file over MAX_PAGE_BYTES or a name that cannot be a page's."""
    if raw.problem:
        raise PageError(raw.relpath, "read", raw.problem)
    try:
        return read_user_file(raw.path, MAX_PAGE_BYTES, raw.root, limit_for="one page")
    except UserFileError as exc:
        raise PageError(raw.relpath, "read", exc.reason) from exc


MAX_SIDECAR_BYTES = 2**20  # a sidecar holds a few short fields; parsing 1 MiB of JSON takes milliseconds
# The longest text each sidecar field may hold: an outlet name is written into every row of a story's
# coverage and into every chart, so a 1 MiB name would cost a 75 MB report.
SIDECAR_FIELD_CHARS = {
    "outlet": 200,
    "url": 8192,
    "published": 100,
    "story": 200,
    "added_at": 100,
    "sha256": 128,
    "feed_title": 300,
    "feed_published": 100,
    "feed_author": 300,
}
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def sidecar_bytes(raw: RawFile) -> tuple[bytes | None, str | None]:
    """(the sidecar's bytes or None, a warning when it exists but cannot be read), by the safe path."""
    path = raw.sidecar_path
    try:
        return read_user_file(path, MAX_SIDECAR_BYTES, raw.root), None
    except UserFileError as exc:
        if exc.missing and len(os.fsencode(path.name)) > NAME_MAX:
            return None, (
                f"the page's name is too long for a sidecar beside it ({path.name[:40]}…{SIDECAR_SUFFIX} would "
                f"pass the file system's {NAME_MAX}-byte limit): page read without one; shorten its name to give it one"
            )
        if exc.missing:
            return None, None
        return None, f"sidecar {path.name} ignored: {exc.reason}"


NAME_MAX = 255  # bytes of one file name on Linux and macOS file systems


def sidecar_field_problem(key: str, value) -> str | None:
    """Why a sidecar field's value is not used (None when it is): not text, too long, control
    characters or lone surrogates, or a URL that does not parse."""
    if not isinstance(value, str):
        return f"{key} ({type(value).__name__}, not text)"
    limit = SIDECAR_FIELD_CHARS[key]
    if len(value) > limit:
        return f"{key} ({len(value):,} characters, over the {limit:,}-character limit)"
    if UNPRINTABLE.search(value):
        return f"{key} (control characters or unpaired surrogates)"
    if key == "url" and (problem := url_problem(value)):
        return f"url ({problem})"
    return None


def read_sidecar(raw: RawFile) -> tuple[dict, str | None]:
    """The sidecar's usable fields, and a warning when it, or some of its fields, cannot be used."""
    data, warning = sidecar_bytes(raw)
    if data is None:
        return {}, warning
    name = raw.sidecar_path.name
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, f"sidecar {name} ignored: invalid JSON ({exc})"
    except RecursionError:
        return {}, f"sidecar {name} ignored: invalid JSON (nested too deeply)"
    if not isinstance(parsed, dict):
        return {}, f"sidecar {name} ignored: expected a JSON object, got {type(parsed).__name__}"
    fields, wrong = {}, []
    for key in SIDECAR_FIELDS:
        value = parsed.get(key)
        if value in (None, ""):
            continue
        problem = sidecar_field_problem(key, value)
        if problem:
            wrong.append(problem)
            continue
        fields[key] = value
    warning = f"sidecar {name}: fields ignored: {', '.join(wrong)}" if wrong else None
    return fields, warning


# --- decoding -------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)""", re.I)
# WHATWG: browsers decode these labels as windows-1252, and so must we.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
}
MAX_PAGE_BYTES = 16 * 1024 * 1024  # a news page is rarely over 5 MB; bigger ones are archives or dumps


def maybe_gunzip(data: bytes, path: str | Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The page's bytes, gunzipped when they are gzip: decompressed a piece at a time and stopped at
    ``limit`` bytes, so a small file that inflates to gigabytes (a gzip bomb) costs ``limit``, not gigabytes."""
    if data[:2] != b"\x1f\x8b":
        return data
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest[:2] == b"\x1f\x8b":  # one gzip member after another, as gzip.decompress reads them
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending = rest
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, limit + 1 - size)
                size += len(piece)
                if size > limit:
                    raise PageError(
                        path,
                        "read",
                        f"gzip data inflates to over {limit // 2**20} MiB, the limit for one page (a gzip bomb?)",
                    )
                out.append(piece)
                pending = inflater.unconsumed_tail
            if not inflater.eof:
                raise PageError(path, "read", "truncated or corrupt gzip data (the stream ends early)")
            rest = inflater.unused_data
    except zlib.error as exc:
        raise PageError(path, "read", f"truncated or corrupt gzip data ({exc})") from exc
    return b"".join(out)


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode page bytes: BOM, then strict UTF-8, then the declared charset, then detection.

    Strict UTF-8 comes before the declaration because a page whose bytes are valid UTF-8 is
    almost never in another encoding, while declarations are often wrong (a windows-1256
    page declared as UTF-8, a UTF-8 page declared as Latin-1).
    """
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), enc
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacements)"


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return bad / len(sample) > 0.02


_HTML_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_HTML_TAGS = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|table|td|tr|h[1-6]|article|section|script|meta|link|img|nav|header|footer)\b[^>]*>",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """Decide HTML vs plain text from content: an HTML skeleton, or a real density of tags."""
    head = text[:20000]
    if _HTML_MARKERS.search(head[:3000]):
        return True
    tags = _HTML_TAGS.findall(head)
    return len(tags) >= 8 and sum(map(len, tags)) > 0.02 * len(head)


MAX_NESTING = 200  # elements open inside one another: libxml2 (lxml, trafilatura) drops all that follows level 255
MAX_LINES = 20_000  # lines of a text page, or block elements of an HTML page (the Zyte pages: at most 608 / 866)
_BLOCK_TAG = re.compile(r"<(?:p|div|li|tr|h[1-6]|br|dd|dt|blockquote|pre|section|article|td|th)\b", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_COMMENT_END = re.compile(r"-->")
_RAW_TEXT_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style")}
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK_NAMES = frozenset("p div li tr h1 h2 h3 h4 h5 h6 dd dt blockquote pre section article td th".split())
# How libxml2's HTML parser (lxml's, trafilatura's) nests, as far as it matters for depth: a start tag closes
# the open element on top when the top is one it ends (read off lxml 6.0 / libxml2 2.14, a <div> around
# each pair); an end tag closes the elements above its own only when none of them ranks higher.
_CLOSED_BY: dict[str, frozenset[str]] = {
    top: frozenset(closers.split())
    for top, closers in {
        "p": "p li dt dd td th tr tbody tfoot div h1 h2 h3 h4 h5 h6 ul ol table form blockquote pre center dl address",
        "li": "li",
        "dt": "dd dl",
        "dd": "dt",
        "option": "option",
        "td": "td th tr tbody tfoot",
        "th": "td th tr tbody tfoot",
        "tr": "tr tbody tfoot",
        "thead": "tbody tfoot",
        "tbody": "tbody tfoot",
        "tfoot": "tbody",
    }.items()
}
_END_RANK = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180, "table": 190}
_END_RANK |= {"head": 200, "body": 200, "html": 220}
END_TAG_WALK = 64  # ranked elements an end tag looks past for one that stops it; past that it is taken as stopped
NEAR_CAP = MAX_NESTING - 20  # a parsed page this deep is read tag by tag (the parser adds implied html, body, p)


@dataclass
class Nesting:
    """What one pass over a page's tags found: how deep the parser would nest it, and the page
    re-nested at a cap (elements deeper than the cap unwrapped, their block tags kept as line breaks)."""

    html: str
    deepest: int
    unwrapped: int


def parse_html(html: str):
    """The page parsed as trafilatura parses it (libxml2, with trafilatura's repairs of a faulty doctype,
    ``<html/>`` and characters XML forbids; a text declaring its encoding read as bytes); None when trafilatura
    takes it for no HTML. A page is parsed once: its depth is checked on this tree, cleaning renders its lines
    from it and trafilatura reads a copy of it (a parse costs ~2 ms a news page, a copy ~0.7 ms)."""
    from trafilatura.utils import load_html

    return load_html(html)


def parses_near_cap(html: str, tree=None) -> bool:
    """Whether the HTML parser (libxml2, as lxml and trafilatura run it) nests an element of the page
    NEAR_CAP levels deep, read off ``tree`` (the page as :func:`parse_html` gave it) when there is one. Asking
    the parser costs ~1.7 ms on a news page, reading the tags as it nests them (:func:`renest`) ~4.4 ms: only
    a page the parser nests that deep, or cannot parse, is read tag by tag. A page nested past the parser's
    limit is near the cap here too (it keeps 255 levels)."""
    from lxml import etree

    if tree is None:
        try:
            tree = etree.HTML(html)
        except (ValueError, etree.LxmlError):  # an encoding declaration in a decoded text, a parser failure
            return True
    return tree is None or bool(_near_cap_path()(tree.getroottree()))


@functools.cache
def _near_cap_path():
    from lxml import etree

    return etree.XPath("/" + "/".join(["*"] * NEAR_CAP))  # the elements NEAR_CAP deep: linear in the page


def renest(html: str, cap: int | None = MAX_NESTING) -> Nesting:
    """Read the page's tags once as libxml2 nests them (implied closes included) and, with a ``cap``, unwrap
    every element that would open below it; ``html`` is the page itself when nothing was unwrapped. Linear
    in the page: tags are read up to the last ``>`` (a page of "<a" without one cost seconds per 10,000)."""
    stack: list[str] = []  # open elements, outermost first; the first ``kept`` are in the output
    kept = deepest = unwrapped = 0
    where: dict[str, list[int]] = {}  # element name -> its places in the stack
    ranked: list[int] = []  # places in the stack of elements an end tag may not close past
    out: list[str] = []
    copied = 0  # html[:copied] is in out (when unwrapping)
    end = html.rfind(">") + 1
    pos = 0

    def pop_to(depth: int) -> None:
        nonlocal kept
        while len(stack) > depth:
            where[stack.pop()].pop()
            if ranked and ranked[-1] >= len(stack):
                ranked.pop()
        kept = min(kept, depth)

    def drop(start: int, stop: int, replacement: str = "") -> None:
        nonlocal copied
        out.append(html[copied:start])
        out.append(replacement)
        copied = stop

    while pos < end:
        lt = html.find("<", pos, end)
        if lt < 0:
            break
        if html.startswith("<!--", lt):
            close = _COMMENT_END.search(html, lt + 4)
            if not close:
                break
            pos = close.end()
            continue
        match = _TAG.match(html, lt, end)
        if not match:
            pos = lt + 1
            continue
        pos = match.end()
        closing, name, self_closing = match.groups()
        name = name.lower()
        if closing:
            places = where.get(name)
            if not places:
                continue  # nothing of that name is open: the parser ignores it
            place = places[-1]
            rank = _END_RANK.get(name, 100)
            stopped = False
            for looked, above in enumerate(reversed(ranked)):
                if above <= place:
                    break
                if looked >= END_TAG_WALK or _END_RANK[stack[above]] > rank:
                    stopped = True
                    break
            if stopped:
                continue
            if place >= kept and cap is not None:
                drop(lt, pos)  # the end of an unwrapped element
            pop_to(place)
            continue
        if self_closing or name in _VOID:
            continue
        closed_by_me = _CLOSED_BY
        while stack and name in closed_by_me.get(stack[-1], ()):
            pop_to(len(stack) - 1)
        where.setdefault(name, []).append(len(stack))
        if name in _END_RANK:
            ranked.append(len(stack))
        stack.append(name)
        deepest = max(deepest, len(stack))
        if cap is None or kept < cap:
            kept += 1
        else:
            unwrapped += 1
            drop(lt, pos, "<br>" if name in _BLOCK_NAMES else "")
        if name in _RAW_TEXT_END:  # script, style: their text is not markup
            close = _RAW_TEXT_END[name].search(html, pos)
            stop = close.start() if close else len(html)
            if len(stack) > kept:
                drop(pos, stop)  # an unwrapped script's code is not the page's text
            pos = stop
    if not unwrapped:
        return Nesting(html, deepest, 0)
    out.append(html[copied:])
    return Nesting("".join(out), deepest, unwrapped)


def cut_to_lines(text: str, is_html: bool) -> tuple[str, str | None]:
    """The page cut after its first MAX_LINES lines (text) or block elements (HTML), and what was cut (None:
    nothing). Extraction costs ~0.6 ms of CPU and ~20 kB a line (docs/internals.md "Bounds"), so a feed or a dump of
    100,000 paragraphs is read as its first 20,000."""
    if is_html:
        blocks = _BLOCK_TAG.finditer(text)
        first_cut = next(itertools.islice(blocks, MAX_LINES, None), None)
        if first_cut is None:
            return text, None
        total = MAX_LINES + 1 + sum(1 for _ in blocks)
        return text[: first_cut.start()], (
            f"{total:,} block elements: cut after the first {MAX_LINES:,} (bound pages.MAX_LINES; a feed or a dump?)"
        )
    lines = text.split("\n", MAX_LINES)
    if len(lines) <= MAX_LINES or not lines[-1].strip():  # blank lines after the last are no lines
        return text, None
    total = MAX_LINES + lines[-1].rstrip().count("\n") + 1
    return "\n".join(lines[:MAX_LINES]), (
        f"{total:,} lines: cut after the first {MAX_LINES:,} (bound pages.MAX_LINES; a feed or a dump?)"
    )


# files people save instead of a page, by their first bytes: (magic, what the file is)
DOCUMENT_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx, OpenDocument or EPUB file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
SAVE_AS_PAGE = "save the article from the browser as a web page (.html), or copy its text into a .txt file"


def other_document_format(data: bytes) -> str | None:
    """What a file that is no web page or text dump is, read off its first bytes (a PDF, a Word file, an image);
    None for anything else."""
    head = data.lstrip()[:16]
    return next((what for magic, what in DOCUMENT_MAGIC if head.startswith(magic)), None)


def read_page(raw: RawFile) -> Page:
    """Read and decode one raw file; raises :class:`PageError` with a reason a person can act on."""
    data = page_bytes(raw)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise PageError(raw.relpath, "read", "empty file (no bytes, or only whitespace)")
    data = maybe_gunzip(data, raw.relpath)
    if not data.strip():
        raise PageError(raw.relpath, "read", "empty page after decompression")
    document = other_document_format(data)
    if document:
        raise PageError(raw.relpath, "read", f"{document}, not a web page: {SAVE_AS_PAGE}")
    if data.count(b"\x00") > len(data) // 100 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PageError(raw.relpath, "read", "binary content (NUL bytes): not an HTML or text page")
    text, encoding = decode_bytes(data, raw.relpath)
    if looks_binary(text):
        raise PageError(raw.relpath, "read", f"binary content: not an HTML or text page (decoded as {encoding})")
    is_html = looks_like_html(text)
    bounds: list[str] = []  # how a bound degraded the page, for the errors table
    text, cut = cut_to_lines(text, is_html)
    if cut:
        bounds.append(cut)
    tree = parse_html(text) if is_html else None
    if is_html and parses_near_cap(text, tree):
        nesting = renest(text)
        if nesting.unwrapped:
            text, tree = nesting.html, None  # parsed again by cleaning, as it now reads
            bounds.append(
                f"HTML nested {nesting.deepest:,} elements deep: the {nesting.unwrapped:,} elements opened below level "
                f"{MAX_NESTING} unwrapped, their text kept (bound pages.MAX_NESTING; the HTML parser drops all "
                "that follows level 255)"
            )
    sidecar, warning = read_sidecar(raw)
    page = Page(raw, text, is_html, encoding, digest, sidecar=sidecar, bounds=bounds, tree=tree)
    if warning:
        page.warnings.append(warning)
    return page
