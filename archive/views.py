"""Public views of the archive index's sub-routes (browse, timeline, map, statistics, exports)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail import hooks

import exports
from vocabulary.regions import Province

from . import charts, exporter
from .models import ActivityType
from .selectors import (
    ArchiveFilters,
    activities_by_year,
    activity_list,
    archive_statistics,
    facets,
    filtered_activities,
    province_counts,
)

PAGE_SIZE = 20
FACET_PARAMS = {"year": "year", "type": "type", "theme": "theme", "province": "province", "trainer": "trainer", "partner": "partner"}


def _query_params(query) -> list[tuple[str, str]]:
    """The browse query's parameters, in order, without the page number."""
    return [(k, v) for k in query for v in query.getlist(k) if k != "page"]


def _toggle_url(query, name: str, value: str, *, params: list | None = None) -> str:
    """The browse query with ``name=value`` added, or removed if present; back to page 1
    (``params``: ``_query_params(query)``, when the caller has it for many links)."""
    params = list(_query_params(query) if params is None else params)
    if (name, value) in params:
        params.remove((name, value))
    else:
        params.append((name, value))
    return "?" + urlencode(params) if params else "?"


def browse_context(request, *, index_page) -> dict:
    """Filters, facets with counts and toggle links, and the current page of results."""
    filters = ArchiveFilters.from_querydict(request.GET)
    listed = activity_list(locale=index_page.locale)  # built once: building it reads the restrictions
    activities = filtered_activities(locale=index_page.locale, filters=filters, activities=listed)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    facet_data = facets(locale=index_page.locale, filters=filters, activities=listed)
    params = _query_params(request.GET)
    for key, facet in facet_data.items():
        for option in facet.options:
            param = FACET_PARAMS.get(key, option.value)
            value = option.value if key in FACET_PARAMS else "1"
            option.url = _toggle_url(request.GET, param, value, params=params)
    facet_data["media"].options[0].label = _("With a video")
    facet_data["media"].options[1].label = _("With documents")
    query_without_page = urlencode(params)
    return {
        "filters": filters,
        "activities_page": page,
        "facets": facet_data,
        "facet_groups": [
            (key, title, facet_data[key]) for key, title in [
                ("year", _("Year")), ("type", _("Type")), ("theme", _("Theme")), ("province", _("Province")),
                ("trainer", _("Trainer or speaker")), ("partner", _("Partner")), ("media", _("Media")),
            ]
        ],
        "query_string": query_without_page,
        "sorts": [("date", _("Newest first")), ("date-asc", _("Oldest first")), ("title", _("Title"))],
        "year_from": request.GET.get("year_from", ""),
        "year_to": request.GET.get("year_to", ""),
    }


def _render(request, index_page, template, context):
    context = {"page": index_page, "self": index_page, "index_page": index_page, **context}
    return TemplateResponse(request, template, context)


def timeline(request, *, index_page):
    return _render(request, index_page, "archive/timeline.html", {"years": activities_by_year(locale=index_page.locale)})


def province_map(request, *, index_page):
    counts = province_counts(locale=index_page.locale)
    labels = dict(Province.choices)
    return _render(request, index_page, "archive/map.html", {
        "map_svg": charts.province_map_svg(counts, labels=labels, browse_url=index_page.url, title=_("Activities by province")),
        "rows": [(labels[key], key, counts.get(key, 0)) for key in Province.values],
    })


#: The Wagtail hook through which other apps add sections to the statistics page (the programme adds its
#: figures: distinct beneficiaries of the plan's sessions). Each function receives ``request`` and
#: ``locale`` and returns None or a section: ``{"id", "heading", "note", "columns": [...],
#: "rows": [[label, value, ...], ...], "link": (url, text) or None}``. The archive imports none of them.
STATISTICS_HOOK = "archive_statistics_figures"


def statistics_sections(request, *, locale) -> list[dict]:
    """The sections that apps registered under :data:`STATISTICS_HOOK`, in registration order."""
    sections = [fn(request=request, locale=locale) for fn in hooks.get_hooks(STATISTICS_HOOK)]
    return [section for section in sections if section]


def statistics(request, *, index_page):
    stats = archive_statistics(locale=index_page.locale)
    totals = stats["totals"]
    categories = [
        (_("Elected members"), totals["elected_women"], totals["elected_men"]),
        (_("Staff"), totals["staff_women"], totals["staff_men"]),
        (_("Others"), totals["other_women"], totals["other_men"]),
    ]
    return _render(request, index_page, "archive/statistics.html", {
        "stats": stats,
        "sections": statistics_sections(request, locale=index_page.locale),
        "totals": totals,
        "categories": categories,
        "year_chart": charts.bar_chart_svg(
            [(str(r["year"]), r["activities"]) for r in stats["by_year"]], title=_("Activities per year"), chart_id="chart-year"),
        "year_beneficiaries_chart": charts.bar_chart_svg(
            [(str(r["year"]), r["beneficiaries"]) for r in stats["by_year"]], title=_("Beneficiaries per year"), chart_id="chart-year-b"),
        "theme_chart": charts.hbar_chart_svg(
            [(r["label"], r["activities"]) for r in stats["by_theme"]], title=_("Activities per theme"), chart_id="chart-theme"),
        "province_chart": charts.hbar_chart_svg(
            [(r["label"], r["activities"]) for r in stats["by_province"]], title=_("Activities per province"), chart_id="chart-province"),
        "gender_chart": charts.split_bar_svg(
            [(_("Women"), totals["women"]), (_("Men"), totals["men"])], title=_("Beneficiaries by gender"), chart_id="chart-gender"),
    })


def export(request, *, index_page, fmt: str):
    """The browse view's current selection (or the whole archive) as a file."""
    filters = ArchiveFilters.from_querydict(request.GET)
    language = index_page.locale.language_code
    rows = exporter.export_rows(filtered_activities(locale=index_page.locale, filters=filters), language=language)
    if fmt != "json":
        return exports.export_response(fmt=fmt, columns=exporter.EXPORT_COLUMNS, rows=rows, filename="takwin-archive",
                                       language=language, sheet_title=exporter.SHEET_TITLE)
    response = HttpResponse(exporter.to_json(rows), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="takwin-archive.json"'
    return response


def type_label(value: str) -> str:
    return str(dict(ActivityType.choices).get(value, value))
