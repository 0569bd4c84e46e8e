"""Charts and the province map as inline SVG drawn on the server (no JavaScript, no tiles).

Each chart is a picture for sighted readers under a visible title; the templates put an accessible
table beside it. Bars run from the start side (right in Arabic); the map keeps geography's orientation.
Every SVG is drawn with ``direction="ltr"`` and places its labels itself: an SVG inherits the page's
``rtl`` direction, which would swap what ``text-anchor: end`` means and push labels out of view.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_bidi

PALETTE = ["#eef5f3", "#bfe0d8", "#7fc1b2", "#3c9a86", "#0b5d52", "#07443c"]
BAR = "#0b5d52"
ACCENT = "#b5541c"


def _join(parts) -> str:
    return format_html_join("", "{}", ((part,) for part in parts))


def _r(value: float) -> float:
    return round(value, 1)


def _number(value) -> str:
    """``value`` with its thousands grouped by a narrow no-break space ("4 820"), in both languages:
    the tables beside the charts print their figures the same way (the ``grouped`` filter)."""
    return f"{value:,}".replace(",", "\u202f")


# Every chart is drawn 360 units wide, about a phone's width in CSS pixels, and shown no wider than
# 28rem: its 13-unit labels stay between 12 and 16 px on any screen, and nothing scrolls sideways.
WIDTH = 360
VALUE_ROOM = 48  # room after the longest bar for its value ("12 345")


def _figure(svg: str, *, title: str, chart_id: str) -> str:
    """The chart under a visible title (its figcaption), which also names the SVG for screen readers."""
    return format_html(
        '<figure class="chart-figure"><figcaption class="chart-title" id="{id}-title">{title}</figcaption>{svg}</figure>',
        id=chart_id, title=title, svg=svg,
    )


def _svg(*, chart_id: str, height: float, body: str) -> str:
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title" direction="ltr">{body}</svg>',
        id=chart_id, w=WIDTH, h=_r(height), body=body,
    )


def _isolated(label: str, rtl: bool) -> str:
    """The label inside a right-to-left (or left-to-right) isolate: the SVG itself is ``ltr``."""
    return ("\u2067" if rtl else "\u2066") + label + "\u2069"


LINE = 16  # height of a label's line
LINE_CHARS = 44  # characters of a 13-unit label that fit in the chart's width


def _lines(label: str) -> list[str]:
    """The label broken at spaces into lines that fit the chart's width (a word longer than a line stays whole)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _label_text(label: str, *, x: float, y: float, anchor: str, rtl: bool, stacked: bool) -> str:
    """The label as one ``<text>``, one ``<tspan>`` per line when it sits above its bar."""
    lines = _lines(label) if stacked else [label]
    spans = format_html_join("", '<tspan x="{}" dy="{}">{}</tspan>', (
        (_r(x), 0 if i == 0 else LINE, _isolated(line, rtl)) for i, line in enumerate(lines)))
    return format_html('<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="13">{spans}</text>',
                       x=_r(x), y=_r(y), anchor=anchor, spans=spans)


def _row_height(label: str, stacked: bool) -> float:
    return LINE * len(_lines(label)) + 24 if stacked else 22


def _bar_row(*, label: str, value: int, peak: int, y: float, rtl: bool, label_room: float, stacked: bool) -> str:
    """One row: the label at the start side (above the bar when ``stacked``), the bar, its value after it."""
    bar_start = 0 if stacked else label_room
    usable = WIDTH - bar_start - VALUE_ROOM
    length = max(usable * value / peak, 1 if value else 0)
    bar_y = y + LINE * len(_lines(label)) + 2 if stacked else y + 3
    text_y = y + 13
    value_y = bar_y + 11
    if rtl:
        label_x, label_anchor = WIDTH - 2, "end"
        bar_x = WIDTH - bar_start - length
        value_x, value_anchor = bar_x - 4, "end"
    else:
        label_x, label_anchor = 2, "start"
        bar_x = bar_start
        value_x, value_anchor = bar_start + length + 4, "start"
    return format_html(
        '<g class="chart-bar" data-label="{label}" data-value="{raw}"><title>{label}: {value}</title>{text}'
        '<rect x="{bx}" y="{by}" width="{bw}" height="14" rx="2" fill="{fill}"/>'
        '<text class="chart-value" x="{vx}" y="{vy}" text-anchor="{va}" font-size="12" font-weight="700">{value}</text></g>',
        label=label, raw=value, value=_number(value),
        text=_label_text(label, x=label_x, y=text_y, anchor=label_anchor, rtl=rtl, stacked=stacked),
        bx=_r(bar_x), by=_r(bar_y), bw=_r(length), fill=BAR, vx=_r(value_x), vy=_r(value_y), va=value_anchor,
    )


def hbar_chart_svg(data: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """Horizontal bars from the start side (right in Arabic, left in French), each with its value.

    Short labels (years) sit beside their bars; longer ones (themes, provinces) on a line of their
    own above the bar, whole, so that the chart keeps a phone's width.
    """
    if not data:
        return ""
    rtl = get_language_bidi()
    stacked = max(len(label) for label, _ in data) > 6
    peak = max(v for _, v in data) or 1
    rows, y = [], 4.0
    for label, value in data:
        rows.append(_bar_row(label=label, value=value, peak=peak, y=y, rtl=rtl, label_room=44, stacked=stacked))
        y += _row_height(label, stacked)
    return _figure(_svg(chart_id=chart_id, height=y + 4, body=_join(rows)), title=title, chart_id=chart_id)


def bar_chart_svg(data: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """One bar per year, earliest first, each with its value: the rows of :func:`hbar_chart_svg`,
    which fit a phone where sixteen columns side by side did not."""
    return hbar_chart_svg(data, title=title, chart_id=chart_id)


def split_bar_svg(data: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """One bar split in proportions (e.g. women and men), a legend with each share and figure under it."""
    total = sum(v for _, v in data)
    if not total:
        return ""
    rtl = get_language_bidi()
    colours = [ACCENT, BAR, "#7fc1b2"]
    parts, offset = [], 0.0
    for i, (label, value) in enumerate(data):
        length = WIDTH * value / total
        x = WIDTH - offset - length if rtl else offset
        share = round(100 * value / total)
        legend_y = 52 + i * 22
        parts.append(format_html(
            '<g class="chart-bar" data-label="{label}" data-value="{raw}"><title>{label}: \u2068{value} ({share}%)\u2069</title>'
            '<rect x="{x}" y="4" width="{w}" height="28" fill="{fill}"/>'
            '<rect x="{kx}" y="{ky}" width="12" height="12" fill="{fill}"/>'
            '<text class="chart-value" x="{tx}" y="{ty}" text-anchor="{anchor}" font-size="13">{legend}</text></g>',
            label=label, raw=value, value=_number(value), share=share, x=_r(x), w=_r(length), fill=colours[i % len(colours)],
            kx=WIDTH - 14 if rtl else 2, ky=legend_y - 11, tx=WIDTH - 20 if rtl else 20, ty=legend_y,
            anchor="end" if rtl else "start",
            # U+2068…U+2069 isolate the figures so "33%" stays after its label in Arabic.
            legend=_isolated(f"{label}: \u2068{share}%\u2069 (\u2068{_number(value)}\u2069)", rtl),
        ))
        offset += length
    height = 44 + 22 * len(data)
    return _figure(_svg(chart_id=chart_id, height=height, body=_join(parts)), title=title, chart_id=chart_id)


# A schematic of the region drawn by the project (not survey boundaries): each province keeps
# its place relative to the others, north up, the Atlantic to the west.
PROVINCE_SHAPES = {
    "safi": [(40, 40), (130, 30), (140, 110), (70, 140), (30, 110)],
    "youssoufia": [(130, 30), (210, 40), (215, 110), (140, 110)],
    "rehamna": [(210, 40), (300, 30), (310, 120), (215, 110)],
    "el-kelaa-des-sraghna": [(300, 30), (390, 60), (380, 170), (310, 160), (310, 120)],
    "essaouira": [(30, 110), (70, 140), (100, 230), (40, 300), (12, 200)],
    "chichaoua": [(70, 140), (140, 110), (190, 150), (180, 260), (100, 230)],
    "marrakech": [(140, 110), (215, 110), (310, 120), (310, 160), (260, 190), (190, 150)],
    "al-haouz": [(190, 150), (260, 190), (310, 160), (380, 170), (350, 300), (180, 260)],
}


def shade(count: int, low: int, high: int) -> str:
    """The palette colour for ``count`` between the smallest and largest non-zero counts (0 gets the palest).

    Scaling between the extremes keeps differences visible when every province has some activity.
    """
    if count <= 0 or high <= 0:
        return PALETTE[0]
    steps = len(PALETTE) - 1  # colours left for non-zero counts
    if high == low:
        return PALETTE[steps]
    return PALETTE[1 + int((steps - 1) * (count - low) / (high - low))]


def province_map_svg(counts: dict[str, int], *, labels: dict[str, str], browse_url: str, title: str) -> str:
    """The eight provinces shaded by activity count; each links to the archive filtered on it."""
    non_zero = [c for c in counts.values() if c > 0]
    low, high = min(non_zero, default=0), max(non_zero, default=0)
    parts = []
    for key, points in PROVINCE_SHAPES.items():
        count = counts.get(key, 0)
        cx = sum(x for x, _ in points) / len(points)
        cy = sum(y for _, y in points) / len(points)
        fill = shade(count, low, high)
        text_fill = "#fff" if fill in PALETTE[3:] else "#1d2730"
        parts.append(format_html(
            '<a href="{url}?province={key}" data-province="{key}" data-count="{count}">'
            '<title>{label}: {count}</title>'
            '<polygon points="{points}" fill="{fill}" stroke="#fff" stroke-width="2"/>'
            '<text x="{cx}" y="{cy}" text-anchor="middle" font-size="11" fill="{tf}">{label}</text>'
            '<text x="{cx}" y="{cy2}" text-anchor="middle" font-size="13" font-weight="700" fill="{tf}">{count}</text></a>',
            url=browse_url, key=key, count=count, label=labels.get(key, key),
            points=" ".join(f"{x},{y}" for x, y in points), fill=fill, cx=round(cx), cy=round(cy), cy2=round(cy + 16), tf=text_fill,
        ))
    return format_html(
        '<svg class="province-map" viewBox="0 0 400 310" role="img" aria-labelledby="province-map-title" direction="ltr">'
        '<title id="province-map-title">{title}</title>{shapes}</svg>',
        title=title, shapes=_join(parts),
    )

