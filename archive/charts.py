"""Charts and the province map as inline SVG drawn on the server (no JavaScript, no tiles).

Each chart is a picture for sighted readers; the templates put an accessible table beside it.
Horizontal charts mirror in right-to-left languages; the map keeps geography's orientation.
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
    return f"{value:,}".replace(",", "\u202f")


def bar_chart_svg(data: list[tuple[str, int]], *, title: str, chart_id: str, height: int = 220) -> str:
    """Vertical bars, one per label (years read left to right in both languages, like a time axis)."""
    if not data:
        return ""
    width = max(320, 34 * len(data) + 40)
    top, bottom = 24, 36
    peak = max(v for _, v in data) or 1
    step = (width - 20) / len(data)
    parts = []
    for i, (label, value) in enumerate(data):
        bar_height = (height - top - bottom) * value / peak
        x = 10 + i * step
        y = height - bottom - bar_height
        parts.append(format_html(
            '<g><title>{label}: {value}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>'
            '<text x="{cx}" y="{ty}" text-anchor="middle" font-size="10">{value}</text>'
            '<text x="{cx}" y="{ly}" text-anchor="middle" font-size="11">{label}</text></g>',
            label=label, value=_number(value), x=_r(x + step * 0.12), y=_r(y), w=_r(step * 0.76), h=_r(bar_height), fill=BAR,
            cx=_r(x + step / 2), ty=_r(max(y - 4, 10)), ly=height - bottom + 16,
        ))
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" direction="ltr">'
        '<title id="{id}-title">{title}</title>'
        '<line x1="8" x2="{x2}" y1="{base}" y2="{base}" stroke="#4a5863"/>{bars}</svg>',
        id=chart_id, w=width, h=height, title=title, x2=width - 8, base=height - bottom, bars=_join(parts),
    )


def hbar_chart_svg(data: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """Horizontal bars with labels at the start side (right in Arabic, left in French)."""
    if not data:
        return ""
    rtl = get_language_bidi()
    width, row, label_width = 640, 28, 300
    height = row * len(data) + 10
    peak = max(v for _, v in data) or 1
    usable = width - label_width - 60
    parts = []
    for i, (label, value) in enumerate(data):
        y = 5 + i * row
        length = usable * value / peak
        if rtl:
            label_x, anchor = width - 6, "end"
            bar_x = width - label_width - length
            value_x, value_anchor = bar_x - 4, "end"
        else:
            label_x, anchor = 6, "start"
            bar_x = label_width
            value_x, value_anchor = label_width + length + 4, "start"
        short = label if len(label) <= 44 else label[:42] + "…"
        parts.append(format_html(
            '<g><title>{label}: {value}</title>'
            '<text x="{lx}" y="{ty}" text-anchor="{anchor}" font-size="12">{short}</text>'
            '<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" fill="{fill}"/>'
            '<text x="{vx}" y="{ty}" text-anchor="{vanchor}" font-size="11">{value}</text></g>',
            label=label, short=short, value=_number(value), lx=label_x, ty=y + 17, anchor=anchor, bx=_r(bar_x), by=y + 4,
            bw=_r(length), bh=row - 10, fill=BAR, vx=_r(value_x), vanchor=value_anchor,
        ))
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" direction="ltr">'
        '<title id="{id}-title">{title}</title>{bars}</svg>',
        id=chart_id, w=width, h=height, title=title, bars=_join(parts),
    )


def split_bar_svg(data: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """One bar split in proportions (e.g. women and men), with the shares written on it."""
    total = sum(v for _, v in data)
    if not total:
        return ""
    rtl = get_language_bidi()
    width, height = 640, 70
    colours = [ACCENT, BAR, "#7fc1b2"]
    parts, offset = [], 0.0
    for i, (label, value) in enumerate(data):
        length = width * value / total
        x = width - offset - length if rtl else offset
        share = round(100 * value / total)
        parts.append(format_html(
            # U+2068…U+2069 isolate the figure so "33%" stays after its label in Arabic.
            '<g><title>{label}: \u2068{value} ({share}%)\u2069</title><rect x="{x}" y="10" width="{w}" height="36" fill="{fill}"/>'
            '<text x="{cx}" y="33" text-anchor="middle" font-size="13" fill="#fff" direction="{dir}">{label} \u2068{share}%\u2069</text></g>',
            dir="rtl" if rtl else "ltr", label=label, value=_number(value), share=share, x=_r(x), w=_r(length), fill=colours[i % len(colours)], cx=_r(x + length / 2),
        ))
        offset += length
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" direction="ltr">'
        '<title id="{id}-title">{title}</title>{bars}</svg>',
        id=chart_id, w=width, h=height, title=title, bars=_join(parts),
    )


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

