"""Tiny server-rendered SVG charts: accessible (role="img", <title>, <desc>) with the values as a table too.

No JavaScript and no library: a bar chart (vertical, for days), a ranked horizontal bar chart with targets
(for provinces) and a line chart. Labels are escaped; sizes come from the viewBox so charts fit a 360 px phone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from math import ceil, log10

from flask_babel import gettext as _
from markupsafe import Markup, escape

_ids = itertools.count(1)
#: viewBox width and font size: a 360 px phone shows the chart at about 0.8×, so text stays readable
WIDTH, FONT = 400, 13
Fmt = Callable[[float], str]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 × a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** int(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _open(title: str, desc: str, width: int, height: int) -> tuple[str, list[str]]:
    n = next(_ids)
    tid, did = f"chart-{n}-title", f"chart-{n}-desc"
    head = [
        f'<svg class="chart" role="img" aria-labelledby="{tid} {did}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
    ]
    return f"chart-{n}", head


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Markup:
    """The chart's numbers as a plain table (for screen readers, and for anyone who prefers figures)."""
    hint = escape(_("← Slide the table sideways to see all of it →"))
    out = [f'<p class="scroll-hint" aria-hidden="true">{hint}</p>'
           f'<div class="table-scroll" tabindex="0"><table class="data"><caption>{escape(caption)}</caption><thead><tr>']
    out += [f'<th scope="col">{escape(h)}</th>' for h in headers]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>'] + [f"<td>{escape(c)}</td>" for c in row[1:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return Markup("".join(out))


def _figure(svg: list[str], data_table: Markup, summary: str) -> Markup:
    return Markup(
        '<figure class="chart-figure">' + "".join(svg) + "</svg>"
        f"<details><summary>{escape(summary)}</summary>{data_table}</details></figure>"
    )


def _value_axis(svg: list[str], left: float, right: float, top: float, plot_h: float, top_value: float, fmt) -> None:
    """Open the axis group and draw grid lines with their values at 0, half and the maximum. A half-way value that
    its format cannot show (0.5 of a count of 1 reads "0") gets its line but no number: the axis never reads
    "1, 0, 0"."""
    svg.append(f'<g class="axis" font-size="{FONT}" fill="currentColor">')
    labels = {frac: fmt(top_value * frac) for frac in (0, 0.5, 1)}
    if labels[0.5] in (labels[0], labels[1]) or (top_value * 0.5 != int(top_value * 0.5) and "." not in labels[0.5]
                                                   and "," not in labels[0.5]):
        labels[0.5] = ""
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        svg.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        if labels[frac]:
            svg.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(labels[frac])}</text>')


def bar_chart(
    title: str,
    desc: str,
    points: Sequence[tuple[str, float]],
    *,
    fmt: Fmt = lambda v: f"{v:g}",
    axis_fmt: Fmt | None = None,
    headers: Sequence[str] = ("", ""),
    summary: str = "Table",
) -> Markup:
    """Vertical bars, one per point (label, value), with a value axis at 0, half and the maximum."""
    width, height, left, bottom, top = WIDTH, 220, 64, 30, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    top_value = _nice_max(max((v for _, v in points), default=0))
    _, svg = _open(title, desc, width, height)
    _value_axis(svg, left, width - 8, top, plot_h, top_value, axis_fmt or fmt)
    n = max(len(points), 1)
    slot = plot_w / n
    every = max(1, ceil(n / 5))
    for i, (label, value) in enumerate(points):
        h = plot_h * (value / top_value) if top_value else 0
        x = left + i * slot
        svg.append(
            f'<rect class="bar" x="{x + slot * 0.1:.1f}" y="{top + plot_h - h:.1f}" width="{max(slot * 0.8, 1):.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        if i % every == 0:
            svg.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle">{escape(label)}</text>'
            )
    svg.append("</g>")
    rows = [(label, fmt(value)) for label, value in points]
    return _figure(svg, table(title, headers, rows), summary)


def line_chart(
    title: str,
    desc: str,
    points: Sequence[tuple[str, float]],
    *,
    fmt: Fmt = lambda v: f"{v:g}",
    axis_fmt: Fmt | None = None,
    headers: Sequence[str] = ("", ""),
    summary: str = "Table",
) -> Markup:
    """A line through the points (label, value) with dots, a value axis and every few labels on the time axis."""
    width, height, left, bottom, top = WIDTH, 220, 64, 30, 12
    plot_w, plot_h = width - left - 16, height - bottom - top
    top_value = _nice_max(max((v for _, v in points), default=0))
    _, svg = _open(title, desc, width, height)
    _value_axis(svg, left, width - 16, top, plot_h, top_value, axis_fmt or fmt)
    n = len(points)
    step = plot_w / max(n - 1, 1)
    coords = [
        (left + i * step, top + plot_h * (1 - (v / top_value if top_value else 0))) for i, (_, v) in enumerate(points)
    ]
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        svg.append(f'<polyline class="line" fill="none" stroke="currentColor" stroke-width="2" points="{path}"/>')
    every = max(1, ceil(n / 5))
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        svg.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{escape(label)}: {escape(fmt(value))}</title></circle>'
        )
        if i % every == 0:
            svg.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle">{escape(label)}</text>')
    svg.append("</g>")
    rows = [(label, fmt(value)) for label, value in points]
    return _figure(svg, table(title, headers, rows), summary)


def ranked_bars(
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, float | None]],
    *,
    fmt: Fmt = lambda v: f"{v:g}",
    headers: Sequence[str] = ("", "", ""),
    summary: str = "Table",
    target_label: str = "target",
) -> Markup:
    """Horizontal bars (label, value, target or None), in the given order, with a tick at each row's target."""
    row_h, left, width, top = 24, 112, WIDTH, 8
    height = top + row_h * max(len(rows), 1) + 8
    plot_w = width - left - 48
    top_value = _nice_max(max([v for _, v, _ in rows] + [t or 0 for _, _, t in rows], default=0))
    _, svg = _open(title, desc, width, height)
    svg.append(f'<g font-size="{FONT}" fill="currentColor">')
    for i, (label, value, target) in enumerate(rows):
        y = top + i * row_h
        w = plot_w * value / top_value if top_value else 0
        svg.append(f'<text x="{left - 6}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        svg.append(
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></rect>"
        )
        svg.append(f'<text x="{left + w + 4:.1f}" y="{y + 17}">{escape(fmt(value))}</text>')
        if target:
            tx = left + plot_w * target / top_value
            svg.append(
                f'<line class="target" x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 1}" y2="{y + row_h - 1}" '
                f'stroke="#b00020" stroke-width="2"><title>{escape(target_label)}: {escape(fmt(target))}</title></line>'
            )
    svg.append("</g>")
    data = [(label, fmt(value), "" if target is None else fmt(target)) for label, value, target in rows]
    return _figure(svg, table(title, headers, data), summary)
