"""The statistics charts fit a phone and say what they show: each chart has a visible title, each
bar its value written beside it, the year charts every year of the table, and chart and table
print each figure the same way in both languages."""

import datetime
import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

YEARS = range(2011, 2027)


class _Charts(HTMLParser):
    """The charts of a page: for each SVG its id, width, title (the figcaption naming it) and bars."""

    def __init__(self):
        super().__init__()
        self.captions: dict[str, str] = {}
        self.charts: list[dict] = []
        self._caption = self._bar = self._value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figcaption":
            self._caption = attrs.get("id", "")
            self.captions[self._caption] = ""
        elif tag == "svg" and "chart" in attrs.get("class", ""):
            self.charts.append({"id": attrs["id"], "viewbox": attrs["viewbox"], "labelledby": attrs.get("aria-labelledby"), "bars": []})
        elif tag == "g" and attrs.get("class") == "chart-bar":
            self._bar = {"label": attrs["data-label"], "value": int(attrs["data-value"]), "shown": ""}
            self.charts[-1]["bars"].append(self._bar)
        elif tag == "text" and attrs.get("class") == "chart-value" and self._bar is not None:
            self._value = self._bar

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._caption = None
        elif tag == "text":
            self._value = None
        elif tag == "g":
            self._bar = None

    def handle_data(self, data):
        if self._caption is not None:
            self.captions[self._caption] += data
        if self._value is not None:
            self._value["shown"] += data


@pytest.fixture
def years(make_activity):
    """One activity a year from 2011 to 2026, the 2014 one with 4 820 beneficiaries, women and men counted."""
    for year in YEARS:
        women, men = (1000, 3820) if year == 2014 else (4, 8)
        make_activity(f"MDE-{year}-X01", start_date=datetime.date(year, 3, 1), end_date=None, province="safi",
                      theme_slugs=["governance"], counts={"elected_women": women, "elected_men": men},
                      beneficiaries_total=women + men)


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_every_chart_fits_a_phone_with_a_title_and_every_bar_its_value(client, settings, years, prefix):
    """Five charts, each drawn 360 units wide with a visible title naming it; every bar writes its
    value ("4 820", grouped as in the table); the year charts show all sixteen years; nothing
    scrolls sideways inside a box."""
    settings.PAGECACHE_SECONDS = 0
    html = client.get(f"{prefix}/archive/statistics/").content.decode()
    parser = _Charts()
    parser.feed(html)
    assert len(parser.charts) == 5
    for chart in parser.charts:
        width = float(chart["viewbox"].split()[2])
        assert width <= 360, chart["id"]
        title = parser.captions.get(chart["labelledby"], "").strip()
        assert title, chart["id"]
        assert chart["bars"], chart["id"]
        for bar in chart["bars"]:
            figure = f"{bar['value']:,}".replace(",", "\u202f")
            assert figure in bar["shown"], (chart["id"], bar)
    by_id = {chart["id"]: chart for chart in parser.charts}
    for chart_id in ("chart-year", "chart-year-b"):
        assert [bar["label"] for bar in by_id[chart_id]["bars"]] == [str(year) for year in YEARS]
    assert "4\u202f820</text>" in html and "<td>4\u202f820</td>" in html
    assert "chart-scroll" not in html and not re.search(r"min-inline-size:\s*34rem", html)
