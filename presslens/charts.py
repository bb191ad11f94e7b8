"""The report's charts as hand-written SVG: stacked frame bars, tone bars, coverage heat map.

Written directly rather than through a plotting library: a chart costs microseconds, so a
1,000-story corpus' reports take seconds, and the core needs no plotting library. Every label
goes through :func:`xml_escape` (characters XML cannot hold dropped, then escaped: one control
character in an outlet name would make the whole SVG unreadable); the SVG holds no script and no
external reference, so it is safe inside an ``<img>`` data URI.
"""

from __future__ import annotations

import base64
import re
from html import escape

import pandas as pd

from presslens.metrics.frames import FRAMES

FRAME_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#d37295",
    "#a0cbe8",
    "#8cd17d",
    "#cccccc",
]
MAX_HEATMAP_POINTS = 60
# viridis at 0, .25, .5, .75, 1 (matplotlib's values): perceptually even, readable in greyscale
_VIRIDIS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
FONT = "font-family='system-ui, sans-serif'"


# What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return, unpaired surrogates, U+FFFE/FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def markup_text(value: object) -> str:
    """``value`` as text an XML or HTML document can hold: the characters XML forbids dropped."""
    return _NOT_XML.sub("", str(value))


def xml_escape(value: object) -> str:
    """``value`` as the text of an SVG element or attribute."""
    return escape(markup_text(value), quote=True)


def viridis(value: float) -> str:
    value = min(1.0, max(0.0, value)) * (len(_VIRIDIS) - 1)
    i = min(int(value), len(_VIRIDIS) - 2)
    t = value - i
    rgb = [round(a + (b - a) * t) for a, b in zip(_VIRIDIS[i], _VIRIDIS[i + 1], strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _text(x: float, y: float, label: str, size: int = 12, anchor: str = "start", extra: str = "") -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' {FONT} {extra}>"
        f"{xml_escape(label)}</text>"
    )


def _document(width: float, height: float, parts: list[str]) -> str:
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height:.0f}' "
        f"viewBox='0 0 {width:.0f} {height:.0f}'><rect width='100%' height='100%' fill='#ffffff'/>"
        + "".join(parts)
        + "</svg>"
    )
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _short(label: str, width: int) -> str:
    """``label`` on one line, cut at a word boundary to ``width`` characters with "…" (cheap: a heat map
    has hundreds of labels)."""
    text = " ".join(str(label).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:") + "…"


def frame_chart(
    shares: dict[str, dict[str, float]], counts: dict[str, tuple[int, int]] | None = None
) -> str | None:
    """Stacked horizontal bars: each outlet's share of framed sentences per frame (base64 SVG).

    ``shares``: outlet -> frame -> share of that outlet's framed sentences; ``counts``: outlet -> (framed
    sentences, body sentences), shown after its name ("2/15"), so a full bar read off one sentence says so.
    """
    if not shares:
        return None
    outlets = sorted(shares)
    left_margin, bar_width, row, top = 190, 480, 26, 10
    used = {frame for by_frame in shares.values() for frame in by_frame}
    frames = [(f, c) for f, c in zip(FRAMES, FRAME_COLOURS, strict=True) if f in used]
    height = max(top + row * len(outlets) + 40, top + 16 * len(frames) + 10)
    parts = []
    for i, outlet in enumerate(outlets):
        y = top + i * row
        count = (counts or {}).get(outlet)
        label = f"{_short(outlet, 20)} ({count[0]}/{count[1]})" if count else _short(outlet, 28)
        parts.append(_text(left_margin - 6, y + 15, label, anchor="end"))
        x = float(left_margin)
        for frame, colour in frames:
            value = float(shares[outlet].get(frame, 0.0))
            if value <= 0:
                continue
            w = value * bar_width
            parts.append(
                f"<rect x='{x:.1f}' y='{y + 2}' width='{w:.1f}' height='{row - 6}' fill='{colour}'>"
                f"<title>{xml_escape(outlet)}: {xml_escape(frame)} {value:.0%}</title></rect>"
            )
            x += w
    axis_y = top + row * len(outlets) + 4
    parts.append(f"<line x1='{left_margin}' x2='{left_margin + bar_width}' y1='{axis_y}' y2='{axis_y}' stroke='#555'/>")
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = left_margin + tick * bar_width
        parts.append(_text(x, axis_y + 14, f"{tick:g}", size=10, anchor="middle"))
    axis_label = "share of framed sentences" + (" (framed / body sentences beside each outlet)" if counts else "")
    parts.append(_text(left_margin + bar_width / 2, axis_y + 30, axis_label, size=11, anchor="middle"))
    legend_x = left_margin + bar_width + 20
    for k, (frame, colour) in enumerate(frames):
        y = top + 16 * k
        parts.append(f"<rect x='{legend_x}' y='{y}' width='11' height='11' fill='{colour}'/>")
        parts.append(_text(legend_x + 16, y + 10, frame, size=10))
    return _document(legend_x + 260, height, parts)


def tone_chart(articles: pd.DataFrame) -> str | None:
    """One bar per article: mean sentence tone from -1 to +1, green above zero, red below (base64 SVG)."""
    data = [
        (outlet, tone)
        for outlet, tone in zip(articles["outlet"].tolist(), articles["tone_mean"].tolist(), strict=True)
        if pd.notna(tone)
    ]
    if not data:
        return None
    left_margin, half, row, top = 190, 240, 24, 10
    zero = left_margin + half
    parts = []
    for i, (outlet, tone) in enumerate(data):
        y = top + i * row
        tone = max(-1.0, min(1.0, float(tone)))
        colour = "#59a14f" if tone >= 0 else "#e15759"
        x, w = (zero, tone * half) if tone >= 0 else (zero + tone * half, -tone * half)
        parts.append(_text(left_margin - 6, y + 15, _short(str(outlet), 28), anchor="end"))
        parts.append(
            f"<rect x='{x:.1f}' y='{y + 3}' width='{max(w, 1):.1f}' height='{row - 6}' fill='{colour}'>"
            f"<title>{xml_escape(outlet)}: {tone:+.3f}</title></rect>"
        )
    axis_y = top + row * len(data) + 4
    parts.append(f"<line x1='{zero}' x2='{zero}' y1='{top}' y2='{axis_y}' stroke='#555'/>")
    parts.append(f"<line x1='{left_margin}' x2='{zero + half}' y1='{axis_y}' y2='{axis_y}' stroke='#555'/>")
    for tick in (-1, -0.5, 0, 0.5, 1):
        parts.append(_text(zero + tick * half, axis_y + 14, f"{tick:g}", size=10, anchor="middle"))
    parts.append(_text(zero, axis_y + 30, "mean sentence tone (VADER compound)", size=11, anchor="middle"))
    return _document(zero + half + 30, axis_y + 40, parts)


def coverage_heatmap(coverage: pd.DataFrame) -> str | None:
    """Key points (rows) x outlets (columns); colour = how early the outlet first reports the point."""
    if coverage.empty:
        return None
    rows = list(
        zip(
            coverage["key_point"].astype(str).tolist(),
            coverage["label"].tolist(),
            coverage["outlet"].astype(str).tolist(),
            coverage["covered"].astype(bool).tolist(),
            coverage["first_position"].tolist(),
            strict=True,
        )
    )
    outlets = sorted({outlet for _kp, _label, outlet, _c, _p in rows})
    if len(outlets) < 2:
        return None
    labels: dict[str, str] = {}
    n_covering: dict[str, int] = {}
    cells = {}
    for kp, label, outlet, covered, position in rows:
        labels.setdefault(kp, label)
        n_covering[kp] = n_covering.get(kp, 0) + covered
        cells[(kp, outlet)] = (covered, position)
    order = sorted(labels, key=lambda kp: (-n_covering[kp], kp))[:MAX_HEATMAP_POINTS]
    points = [(kp, labels[kp]) for kp in order]
    label_width, cell_w, cell_h, top = 470, 90, 18, 90
    parts = []
    for j, outlet in enumerate(outlets):
        x = label_width + j * cell_w + cell_w / 2
        parts.append(_text(x, top - 8, _short(outlet, 22), size=10, extra=f"transform='rotate(-30 {x:.1f} {top - 8})'"))
    for i, (kp, label) in enumerate(points):
        y = top + i * cell_h
        parts.append(_text(label_width - 6, y + 13, f"{kp}  {_short(label, 72)}", size=10, anchor="end"))
        for j, outlet in enumerate(outlets):
            covered, position = cells.get((kp, outlet), (False, None))
            if covered:
                prominence = 1 - float(position or 0) if pd.notna(position) else 1.0
                fill, note = viridis(prominence), f"first at {float(position or 0):.0%} of the article"
            else:
                fill, note = "#eeeeee", "not covered"
            parts.append(
                f"<rect x='{label_width + j * cell_w + 1}' y='{y + 1}' width='{cell_w - 2}' height='{cell_h - 2}' "
                f"fill='{fill}'><title>{xml_escape(outlet)} · {xml_escape(kp)}: {note}</title></rect>"
            )
    legend_y = top + len(points) * cell_h + 14
    for k in range(11):
        parts.append(
            f"<rect x='{label_width + k * 14}' y='{legend_y}' width='14' height='10' fill='{viridis(k / 10)}'/>"
        )
    parts.append(
        _text(
            label_width + 11 * 14 + 8,
            legend_y + 9,
            "prominence: 0 = end of article … 1 = top; grey = not covered",
            size=10,
        )
    )
    width = max(label_width + len(outlets) * cell_w + 20, label_width + 520)
    return _document(width, legend_y + 24, parts)


MAX_ATTENTION_DAYS = 60  # days shown (the latest); the attention table has them all
MAX_ATTENTION_SERIES = 8  # outlets (or stories) drawn, the busiest; the rest are summed as "others"


def attention_chart(attention: pd.DataFrame, by: str = "outlet") -> str | None:
    """Articles per day, one stacked colour per ``by`` (outlet in a story, story for the corpus)."""
    if attention.empty:
        return None
    counts: dict[tuple[str, str], int] = {}
    for key, day, n in zip(attention[by].astype(str), attention["day"].astype(str), attention["articles"], strict=True):
        counts[(key, day)] = counts.get((key, day), 0) + int(n)
    days = sorted({d for _k, d in counts})[-MAX_ATTENTION_DAYS:]
    totals: dict[str, int] = {}
    for (key, day), n in counts.items():
        if day in days:
            totals[key] = totals.get(key, 0) + n
    series = sorted(totals, key=lambda k: (-totals[k], k))
    shown, others = series[:MAX_ATTENTION_SERIES], set(series[MAX_ATTENTION_SERIES:])
    if others:
        shown.append("others")
    height_of = {d: sum(n for (k, day), n in counts.items() if day == d) for d in days}
    top = max(height_of.values() or [1])
    left, bar_w, plot_h, base = 40, max(8, min(40, 700 // max(1, len(days)))), 120, 150
    parts = [
        _text(left - 6, base - plot_h + 4, str(top), size=10, anchor="end"),
        _text(left - 6, base, "0", size=10, anchor="end"),
    ]
    for i, day in enumerate(days):
        x, y = left + i * bar_w, base
        for j, key in enumerate(shown):
            n = sum(counts.get((k, day), 0) for k in others) if key == "others" else counts.get((key, day), 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            colour = FRAME_COLOURS[j % len(FRAME_COLOURS)]
            parts.append(
                f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar_w - 2}' height='{h:.1f}' fill='{colour}'>"
                f"<title>{xml_escape(f'{key}, {day}: {n} article(s)')}</title></rect>"
            )
        if i == 0 or i == len(days) - 1 or len(days) <= 8:
            parts.append(_text(x + bar_w / 2, base + 14, day[5:], size=9, anchor="middle"))
    legend_x = left + len(days) * bar_w + 16
    for j, key in enumerate(shown):
        y = base - plot_h + 12 + j * 16
        parts.append(
            f"<rect x='{legend_x}' y='{y - 9}' width='10' height='10' fill='{FRAME_COLOURS[j % len(FRAME_COLOURS)]}'/>"
        )
        parts.append(_text(legend_x + 14, y, _short(key, 40), size=10))
    return _document(legend_x + 300, base + 24, parts)
