"""Read queries for the archive: lists, filters, facets and statistics.

Facets and figures are ORM aggregations on the live, locale-filtered activity
queryset, one query per facet or figure whatever the number of activities.
"""

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from params.converters import parse_int
from vocabulary.models import Theme
from vocabulary.regions import Province

from .models import ActivityDocument, ActivityPage, ActivityType

SORTS = {
    "date": ("-start_date", "-pk"),
    "date-asc": ("start_date", "pk"),
    "title": ("title", "pk"),
}


def activity_list(*, locale) -> QuerySet[ActivityPage]:
    """Live, public activities in one locale, newest first."""
    return ActivityPage.objects.live().public().filter(locale=locale, listed=True).order_by("-start_date", "-pk")


def latest_activities(*, locale, limit: int = 4) -> QuerySet[ActivityPage]:
    """The newest activities, for the home page."""
    return activity_list(locale=locale).select_related("locale")[:limit]


@dataclass
class ArchiveFilters:
    """What a visitor asked for in the browse form; unknown values are dropped, never an error."""

    years: list[int] = field(default_factory=list)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    types: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    trainers: list[int] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    has_video: bool = False
    has_documents: bool = False
    sort: str = "date"

    @classmethod
    def from_querydict(cls, data) -> "ArchiveFilters":
        def ints(name, **bounds):
            return [n for n in (parse_int(v, **bounds) for v in data.getlist(name)) if n is not None][:50]

        def date(name):
            try:
                return datetime.date.fromisoformat(data.get(name, "").strip())
            except ValueError:
                return None

        def year_bound(name, last):
            year = parse_int(data.get(name, ""), minimum=1901, maximum=2199)
            if year is None:
                return None
            return datetime.date(year, 12, 31) if last else datetime.date(year, 1, 1)

        valid_types = set(ActivityType.values)
        valid_provinces = set(Province.values)
        sort = data.get("sort", "date")
        return cls(
            years=ints("year", minimum=1, maximum=9999),
            date_from=date("from") or year_bound("year_from", last=False),
            date_to=date("to") or year_bound("year_to", last=True),
            types=[v for v in data.getlist("type") if v in valid_types],
            themes=[v for v in data.getlist("theme") if v][:50],
            provinces=[v for v in data.getlist("province") if v in valid_provinces],
            trainers=ints("trainer"),
            partners=[v for v in data.getlist("partner") if v][:50],
            has_video=data.get("has_video") == "1",
            has_documents=data.get("has_documents") == "1",
            sort=sort if sort in SORTS else "date",
        )

    @property
    def active(self) -> bool:
        return any([self.years, self.date_from, self.date_to, self.types, self.themes, self.provinces,
                    self.trainers, self.partners, self.has_video, self.has_documents])


def _with_flags(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        has_docs=Exists(ActivityDocument.objects.filter(page_id=OuterRef("pk"))),
        year=ExtractYear("start_date"),
    )


def apply_filters(qs: QuerySet, filters: ArchiveFilters, *, skip: str | None = None) -> QuerySet:
    """``qs`` narrowed by every filter except ``skip`` (a facet counts without its own filter)."""
    if filters.years and skip != "year":
        qs = qs.filter(start_date__year__in=filters.years)
    if filters.date_from:
        qs = qs.filter(Q(end_date__gte=filters.date_from) | Q(end_date__isnull=True, start_date__gte=filters.date_from))
    if filters.date_to:
        qs = qs.filter(start_date__lte=filters.date_to)
    if filters.types and skip != "type":
        qs = qs.filter(activity_type__in=filters.types)
    if filters.provinces and skip != "province":
        qs = qs.filter(province__in=filters.provinces)
    # Each multi-valued relation filters through a subquery, so rows never multiply.
    if filters.themes and skip != "theme":
        qs = qs.filter(pk__in=ActivityPage.themes.through.objects.filter(theme__slug__in=filters.themes).values("activitypage_id"))
    if filters.trainers and skip != "trainer":
        qs = qs.filter(pk__in=ActivityPage.trainers.through.objects.filter(person_id__in=filters.trainers).values("activitypage_id"))
    if filters.partners and skip != "partner":
        qs = qs.filter(pk__in=ActivityPage.partners.through.objects.filter(partner__slug__in=filters.partners).values("activitypage_id"))
    if filters.has_video and skip != "media":
        qs = qs.filter(has_video=True)
    if filters.has_documents and skip != "media":
        qs = qs.filter(Exists(ActivityDocument.objects.filter(page_id=OuterRef("pk"))))
    return qs


def filtered_activities(*, locale, filters: ArchiveFilters, activities: QuerySet | None = None) -> QuerySet[ActivityPage]:
    """The activities matching ``filters``, sorted, ready to list (locale, themes prefetched).

    ``activities`` is ``activity_list(locale=locale)`` when the caller has built it already
    (building it reads the view restrictions: one query).
    """
    qs = apply_filters(activity_list(locale=locale) if activities is None else activities, filters)
    return _with_flags(qs).select_related("locale").prefetch_related("themes").order_by(*SORTS[filters.sort])


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    options: list[FacetOption]


#: Facet counts are kept this long at most; publishing, unpublishing, moving or deleting any page
#: (an activity among them) drops them at once (``pagecache``).
FACETS_SECONDS = 3600


def facets(*, locale, filters: ArchiveFilters, activities: QuerySet | None = None) -> dict[str, Facet]:
    """Counts per year, type, theme, province, trainer, partner and media, for the browse sidebar.

    Cached per locale, language and filter set (the sort aside) in the content generation: no
    query on a hit, eight (nine without ``activities``, see ``filtered_activities``) otherwise,
    whatever the size of the archive.
    """
    from django.core.cache import cache

    from pagecache import versioned_key

    language = get_language() or "ar"
    wanted = repr(dataclasses.astuple(dataclasses.replace(filters, sort="date")))
    key = versioned_key("archive:facets", locale.pk, language, hashlib.sha256(wanted.encode()).hexdigest())
    result = cache.get(key)
    if result is None:
        base = activity_list(locale=locale) if activities is None else activities
        result = _facet_counts(base.order_by(), filters, language)
        cache.set(key, result, FACETS_SECONDS)
    return result


def _facet_counts(base: QuerySet, filters: ArchiveFilters, language: str) -> dict[str, Facet]:
    """The facets of ``facets``, counted (eight queries)."""

    def grouped(skip, *fields, count_field="pk"):
        return (
            apply_filters(base, filters, skip=skip).values(*fields)
            .annotate(n=Count(count_field, distinct=True)).order_by()
        )

    result: dict[str, Facet] = {}
    years = grouped("year", "start_date__year")
    result["year"] = Facet("year", sorted(
        (FacetOption(str(r["start_date__year"]), str(r["start_date__year"]), r["n"], r["start_date__year"] in filters.years)
         for r in years), key=lambda o: o.value, reverse=True))

    type_labels = dict(ActivityType.choices)
    types = {r["activity_type"]: r["n"] for r in grouped("type", "activity_type")}
    result["type"] = Facet("type", [
        FacetOption(v, str(type_labels[v]), types[v], v in filters.types) for v in ActivityType.values if v in types
    ])

    theme_counts = {r["themes__slug"]: r["n"] for r in grouped("theme", "themes__slug") if r["themes__slug"]}
    theme_names = {}
    for theme in Theme.objects.filter(slug__in=theme_counts).select_related("locale").order_by("sort_order", "name"):
        if theme.slug not in theme_names or theme.locale.language_code == language:
            theme_names[theme.slug] = (theme.sort_order, theme.name)
    result["theme"] = Facet("theme", [
        FacetOption(slug, theme_names.get(slug, (0, slug))[1], n, slug in filters.themes)
        for slug, n in sorted(theme_counts.items(), key=lambda kv: (theme_names.get(kv[0], (999, kv[0])), kv[0]))
    ])

    province_labels = dict(Province.choices)
    provinces = {r["province"]: r["n"] for r in grouped("province", "province") if r["province"]}
    result["province"] = Facet("province", [
        FacetOption(v, str(province_labels[v]), provinces[v], v in filters.provinces) for v in Province.values if v in provinces
    ])

    first, second = ("trainers__name_ar", "trainers__name_fr")[:: 1 if language == "ar" else -1]
    trainers = [
        {**r, "name": r[first] or r[second]} for r in grouped("trainer", "trainers__id", first, second) if r["trainers__id"]
    ]
    trainers.sort(key=lambda r: (-r["n"], r["name"]))
    result["trainer"] = Facet("trainer", [
        FacetOption(str(r["trainers__id"]), r["name"], r["n"], r["trainers__id"] in filters.trainers) for r in trainers
    ])

    name_field = "partners__name_ar" if language == "ar" else "partners__name_fr"
    partners = [r for r in grouped("partner", "partners__slug", name_field) if r["partners__slug"]]
    partners.sort(key=lambda r: (-r["n"], r[name_field]))
    result["partner"] = Facet("partner", [
        FacetOption(r["partners__slug"], r[name_field], r["n"], r["partners__slug"] in filters.partners) for r in partners
    ])

    media = apply_filters(base, filters, skip="media").aggregate(
        video=Count("pk", filter=Q(has_video=True)),
        documents=Count("pk", filter=Q(Exists(ActivityDocument.objects.filter(page_id=OuterRef("pk"))))),
    )
    result["media"] = Facet("media", [
        FacetOption("has_video", "", media["video"], filters.has_video),
        FacetOption("has_documents", "", media["documents"], filters.has_documents),
    ])
    return result


def _beneficiary_sums():
    return {
        "activities": Count("pk", distinct=True),
        "beneficiaries": Coalesce(Sum("beneficiaries_total"), Value(0), output_field=IntegerField()),
    }


def archive_statistics(*, locale) -> dict:
    """Headline totals and the series for the statistics page: by year, theme, province and gender.

    Cached per locale and language in the content generation (any publish drops it): no query
    on a hit, six otherwise. Gender figures only count activities whose breakdown is known.
    """
    from django.core.cache import cache

    from pagecache import versioned_key

    key = versioned_key("archive:statistics", locale.pk, get_language() or "ar")
    stats = cache.get(key)
    if stats is None:
        stats = _statistics(locale)
        cache.set(key, stats, FACETS_SECONDS)
    return stats


def _statistics(locale) -> dict:
    qs = activity_list(locale=locale).order_by()
    totals = qs.aggregate(
        activities=Count("pk"),
        beneficiaries=Coalesce(Sum("beneficiaries_total"), 0),
        elected_women=Coalesce(Sum("elected_women"), 0), elected_men=Coalesce(Sum("elected_men"), 0),
        staff_women=Coalesce(Sum("staff_women"), 0), staff_men=Coalesce(Sum("staff_men"), 0),
        other_women=Coalesce(Sum("other_women"), 0), other_men=Coalesce(Sum("other_men"), 0),
        communes=Coalesce(Sum("communes_count"), 0),
    )
    totals["women"] = totals["elected_women"] + totals["staff_women"] + totals["other_women"]
    totals["men"] = totals["elected_men"] + totals["staff_men"] + totals["other_men"]

    by_year = list(qs.values(year=ExtractYear("start_date")).annotate(**_beneficiary_sums()).order_by("year"))
    language = get_language() or "ar"
    theme_rows = list(
        qs.filter(themes__isnull=False).values("themes__slug").annotate(**_beneficiary_sums()).order_by("themes__slug")
    )
    names = {}
    for theme in Theme.objects.filter(slug__in=[r["themes__slug"] for r in theme_rows]).select_related("locale"):
        if theme.slug not in names or theme.locale.language_code == language:
            names[theme.slug] = (theme.sort_order, theme.name)
    by_theme = sorted(
        ({"slug": r["themes__slug"], "label": names.get(r["themes__slug"], (999, r["themes__slug"]))[1],
          "order": names.get(r["themes__slug"], (999, ""))[0], "activities": r["activities"],
          "beneficiaries": r["beneficiaries"]} for r in theme_rows),
        key=lambda r: (r["order"], r["label"]),
    )
    province_counts = {r["province"]: r for r in qs.exclude(province="").values("province").annotate(**_beneficiary_sums())}
    by_province = [
        {"slug": value, "label": str(label), "activities": province_counts.get(value, {}).get("activities", 0),
         "beneficiaries": province_counts.get(value, {}).get("beneficiaries", 0)}
        for value, label in Province.choices
    ]
    return {"totals": totals, "by_year": by_year, "by_theme": by_theme, "by_province": by_province}


def activities_by_year(*, locale) -> list[tuple[int, list[ActivityPage]]]:
    """The timeline: every activity grouped by year, oldest year first (one query plus locale)."""
    groups: dict[int, list[ActivityPage]] = {}
    for activity in activity_list(locale=locale).select_related("locale").order_by("start_date", "pk"):
        groups.setdefault(activity.start_date.year, []).append(activity)
    return sorted(groups.items())


def province_counts(*, locale) -> dict[str, int]:
    """Activities per province key."""
    rows = activity_list(locale=locale).order_by().exclude(province="").values("province").annotate(n=Count("pk"))
    return {r["province"]: r["n"] for r in rows}


def related_activities(activity: ActivityPage, *, limit: int = 4, theme_ids: list[int] | None = None) -> list[ActivityPage]:
    """Activities sharing a theme with ``activity`` (then the same province), closest in time first
    (``theme_ids``: the activity's themes, when the caller has read them)."""
    if theme_ids is None:
        theme_ids = [t.pk for t in activity.themes.all()]
    qs = activity_list(locale=activity.locale).exclude(pk=activity.pk).select_related("locale")
    qs = qs.filter(Q(themes__in=theme_ids) | Q(province=activity.province) if activity.province else Q(themes__in=theme_ids))
    return list(qs.distinct().order_by("-start_date")[:limit])


def _document_facts(item):
    try:
        item.size = item.document.file.size
    except (OSError, ValueError):
        item.size = None
    item.extension = item.document.file_extension or ""
    return item


def activity_json_ld(activity: ActivityPage, *, themes, trainers, partners) -> str:
    """schema.org ``Event`` for the activity, safe to place inside a ``<script>`` element."""
    from vocabulary.regions import Province

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "description": activity.summary,
        "identifier": activity.reference_code,
        "url": activity.full_url,
        "inLanguage": activity.locale.language_code,
        "startDate": activity.start_date.isoformat(),
        "endDate": (activity.end_date or activity.start_date).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": activity.venue or activity.commune or str(dict(Province.choices).get(activity.province, "")),
            "address": {
                "@type": "PostalAddress", "addressLocality": activity.commune,
                "addressRegion": str(dict(Province.choices).get(activity.province, "")), "addressCountry": "MA",
            },
        },
        "organizer": {"@type": "Organization", "name": "Dar Al-Muntakhab (Maison de l'Élu)"},
        "about": [t.name for t in themes],
        "performer": [{"@type": "Person", "name": p.name, "affiliation": p.affiliation} for p in trainers],
        "sponsor": [{"@type": "Organization", "name": name} for _p, name in partners],
    }
    if activity.beneficiaries_total:
        data["maximumAttendeeCapacity"] = activity.beneficiaries_total
    # "<" escaped so that no string in the record can close the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def activity_detail_context(activity: ActivityPage, *, cached: bool = True) -> dict:
    """What the activity page shows beyond its own fields (public photos only: consent noted).

    The same for every visitor, so all but the photos is cached per activity in the content
    generation (a save or publish of any page, snippet or document drops it): two queries on a
    hit (the photos and their renditions, whose rows rendering may add), ten otherwise.
    ``cached=False`` for a preview: a draft's relations must never reach the cache.
    """
    from django.core.cache import cache

    from pagecache import versioned_key

    key = versioned_key("archive:activity", activity.pk, get_language() or "ar")
    context = cache.get(key) if cached else None
    if context is None:
        context = _activity_facts(activity)
        if cached:
            cache.set(key, context, FACETS_SECONDS)
    images = activity.gallery_images.select_related("image").prefetch_related("image__renditions")
    return {**context, "public_images": [i for i in images if i.consent]}


def _activity_facts(activity: ActivityPage) -> dict:
    language = activity.locale.language_code if activity.locale_id else (get_language() or "ar")
    themes = list(activity.themes.all())
    trainers = list(activity.trainers.all())
    partners = [(p, p.name_for(language)) for p in activity.partners.all()]
    return {
        "parent": activity.get_parent(),
        "themes": themes,
        "trainers": trainers,
        "partners": partners,
        "activity_documents": [_document_facts(d) for d in activity.documents.select_related("document").all()],
        "related": related_activities(activity, theme_ids=[t.pk for t in themes]),
        "json_ld": mark_safe(activity_json_ld(activity, themes=themes, trainers=trainers, partners=partners)),  # noqa: S308
    }
