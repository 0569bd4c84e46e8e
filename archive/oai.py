"""OAI-PMH 2.0 repository at ``/oai/``: the archive's activities as Dublin Core records (``oai_dc``).

One record per activity (all its translations together), identified by its reference code.
Sets: ``type``, ``theme`` and ``year``, each with children (``type:workshop``, ``theme:gis``,
``year:2017``). Resumption tokens are signed and stateless: they carry the request's arguments
and the position, so any server process can continue a harvest.
"""

import datetime
import re
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core import signing
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from vocabulary.models import Theme
from vocabulary.regions import Province

from .models import ActivityPage, ActivityType

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ET.register_namespace("", OAI_NS)
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)

VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
TOKEN_SALT = "archive.oai.resumption"  # noqa: S105 (a signing salt, not a secret)


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def page_size() -> int:
    return getattr(settings, "ARCHIVE_OAI_PAGE_SIZE", 50)


def repository_identifier() -> str:
    return getattr(settings, "ARCHIVE_OAI_REPOSITORY_IDENTIFIER", "takwin.maisondelelu.ma")


def oai_identifier(reference_code: str) -> str:
    return f"oai:{repository_identifier()}:{reference_code}"


def _stamp(value: datetime.datetime | None) -> str:
    value = value or timezone.now()
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_stamp(value: str, *, end: bool) -> tuple[datetime.datetime, str]:
    """A from/until argument as an aware datetime and its granularity; badArgument if malformed."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise OAIError("badArgument", f"{value} is not a valid date") from exc
        moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min, tzinfo=datetime.UTC)
        return moment, "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
        try:
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
        except ValueError as exc:
            raise OAIError("badArgument", f"{value} is not a valid datetime") from exc
        return moment, "seconds"
    raise OAIError("badArgument", f"{value} is not a UTC datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")


def _source_locale() -> Locale:
    return Locale.get_default()


def _records_queryset():
    """Every live public activity of the source language, with the newest datestamp of its translations."""
    latest = (
        ActivityPage.objects.filter(translation_key=OuterRef("translation_key"), live=True).order_by()
        .values("translation_key").annotate(m=Max("last_published_at")).values("m")
    )
    return (
        ActivityPage.objects.live().public().filter(locale=_source_locale(), listed=True)
        .annotate(datestamp=Subquery(latest)).order_by("pk")
    )


def _apply_set(qs, set_spec: str):
    if set_spec in ("type", "theme", "year"):
        return qs
    kind, _sep, value = set_spec.partition(":")
    if kind == "type" and value in ActivityType.values:
        return qs.filter(activity_type=value)
    if kind == "theme" and value:
        return qs.filter(themes__slug=value).distinct()
    if kind == "year" and re.fullmatch(r"\d{4}", value):
        return qs.filter(start_date__year=int(value))
    return qs.none()


def _set_specs(activity, theme_slugs) -> list[str]:
    return [f"type:{activity.activity_type}", f"year:{activity.start_date.year}", *(f"theme:{s}" for s in theme_slugs)]


def _el(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def _dc(parent, name, text, lang=None):
    if text in (None, ""):
        return
    attrs = {f"{{{XML_NS}}}lang": lang} if lang else {}
    _el(parent, f"{{{DC_NS}}}{name}", text, **attrs)


class Repository:
    """Answers one OAI-PMH request; each verb method fills ``self.root``."""

    def __init__(self, request):
        self.request = request
        self.base_url = request.build_absolute_uri(request.path)
        self.root = ET.Element(f"{{{OAI_NS}}}OAI-PMH", {
            f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
        })
        _el(self.root, f"{{{OAI_NS}}}responseDate", _stamp(timezone.now()))

    def respond(self) -> HttpResponse:
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        args = {key: data.getlist(key) for key in data}
        request_el = _el(self.root, f"{{{OAI_NS}}}request", self.base_url)
        try:
            verb = args.pop("verb", [None])
            if len(verb) != 1 or verb[0] not in VERBS:
                raise OAIError("badVerb", "Missing, repeated or illegal verb")
            verb = verb[0]
            required, optional = VERBS[verb]
            for key, values in args.items():
                if key not in required | optional:
                    raise OAIError("badArgument", f"Illegal argument {key}")
                if len(values) != 1:
                    raise OAIError("badArgument", f"Repeated argument {key}")
            flat = {key: values[0] for key, values in args.items()}
            if "resumptionToken" in flat:
                if len(flat) != 1:
                    raise OAIError("badArgument", "resumptionToken is an exclusive argument")
            else:
                missing = required - flat.keys()
                if missing:
                    raise OAIError("badArgument", f"Missing argument {', '.join(sorted(missing))}")
            for key, value in flat.items():
                request_el.set(key, value)
            request_el.set("verb", verb)
            getattr(self, verb)(flat)
        except OAIError as error:
            # For badVerb and badArgument the request element must carry no attributes.
            if error.code in ("badVerb", "badArgument"):
                request_el.attrib.clear()
            _el(self.root, f"{{{OAI_NS}}}error", error.message, code=error.code)
        body = ET.tostring(self.root, encoding="unicode", xml_declaration=False)
        return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type="text/xml; charset=utf-8")

    # -- verbs -------------------------------------------------------------------------------
    def Identify(self, args):
        node = _el(self.root, f"{{{OAI_NS}}}Identify")
        earliest = ActivityPage.objects.live().order_by("first_published_at").values_list("first_published_at", flat=True).first()
        _el(node, f"{{{OAI_NS}}}repositoryName", getattr(settings, "ARCHIVE_OAI_REPOSITORY_NAME", "Takwin: archive of Dar Al-Muntakhab"))
        _el(node, f"{{{OAI_NS}}}baseURL", self.base_url)
        _el(node, f"{{{OAI_NS}}}protocolVersion", "2.0")
        _el(node, f"{{{OAI_NS}}}adminEmail", getattr(settings, "ARCHIVE_OAI_ADMIN_EMAIL", getattr(settings, "DEFAULT_FROM_EMAIL", "archive@example.org")))
        _el(node, f"{{{OAI_NS}}}earliestDatestamp", _stamp(earliest) if earliest else "2011-01-01T00:00:00Z")
        _el(node, f"{{{OAI_NS}}}deletedRecord", "no")
        _el(node, f"{{{OAI_NS}}}granularity", "YYYY-MM-DDThh:mm:ssZ")

    def ListMetadataFormats(self, args):
        if "identifier" in args:
            self._get_activity(args["identifier"])
        node = _el(self.root, f"{{{OAI_NS}}}ListMetadataFormats")
        fmt = _el(node, f"{{{OAI_NS}}}metadataFormat")
        _el(fmt, f"{{{OAI_NS}}}metadataPrefix", "oai_dc")
        _el(fmt, f"{{{OAI_NS}}}schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
        _el(fmt, f"{{{OAI_NS}}}metadataNamespace", OAI_DC_NS)

    def ListSets(self, args):
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "This repository gives every set in one response")
        node = _el(self.root, f"{{{OAI_NS}}}ListSets")
        with translation.override("fr"):
            sets = [("type", "Type d'activité"), ("theme", "Thème"), ("year", "Année")]
            sets += [(f"type:{value}", str(label)) for value, label in ActivityType.choices]
        fr = Locale.objects.filter(language_code="fr").first()
        themes = Theme.objects.filter(locale=fr or _source_locale()).order_by("sort_order", "name")
        sets += [(f"theme:{t.slug}", t.name) for t in themes]
        years = ActivityPage.objects.live().filter(locale=_source_locale(), listed=True).dates("start_date", "year")
        sets += [(f"year:{d.year}", str(d.year)) for d in years]
        for spec, name in sets:
            item = _el(node, f"{{{OAI_NS}}}set")
            _el(item, f"{{{OAI_NS}}}setSpec", spec)
            _el(item, f"{{{OAI_NS}}}setName", name)

    def ListIdentifiers(self, args):
        self._list(args, records=False)

    def ListRecords(self, args):
        self._list(args, records=True)

    def GetRecord(self, args):
        self._check_prefix(args["metadataPrefix"])
        activity = self._get_activity(args["identifier"])
        node = _el(self.root, f"{{{OAI_NS}}}GetRecord")
        self._write_records(node, [activity], records=True)

    # -- helpers ------------------------------------------------------------------------------
    def _check_prefix(self, prefix):
        if prefix != "oai_dc":
            raise OAIError("cannotDisseminateFormat", f"{prefix} is not supported; use oai_dc")

    def _get_activity(self, identifier):
        prefix = f"oai:{repository_identifier()}:"
        reference = identifier[len(prefix):] if identifier.startswith(prefix) else None
        activity = _records_queryset().filter(reference_code=reference).first() if reference else None
        if activity is None:
            raise OAIError("idDoesNotExist", f"{identifier} is unknown in this repository")
        return activity

    def _list(self, args, *, records: bool):
        if "resumptionToken" in args:
            try:
                state = signing.loads(args["resumptionToken"], salt=TOKEN_SALT)
                params, cursor = state["params"], int(state["cursor"])
            except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
                raise OAIError("badResumptionToken", "The resumption token is invalid or expired") from exc
        else:
            params, cursor = {k: v for k, v in args.items() if k in ("metadataPrefix", "from", "until", "set")}, 0
        self._check_prefix(params.get("metadataPrefix", ""))
        qs = _records_queryset()
        granularities = set()
        if "from" in params:
            moment, granularity = _parse_stamp(params["from"], end=False)
            granularities.add(granularity)
            qs = qs.filter(datestamp__gte=moment)
        if "until" in params:
            moment, granularity = _parse_stamp(params["until"], end=True)
            granularities.add(granularity)
            qs = qs.filter(datestamp__lte=moment)
        if len(granularities) > 1:
            raise OAIError("badArgument", "from and until must have the same granularity")
        if "from" in params and "until" in params and params["from"] > params["until"]:
            raise OAIError("badArgument", "from is later than until")
        if "set" in params:
            qs = _apply_set(qs, params["set"])
        total = qs.count()
        if total == 0:
            raise OAIError("noRecordsMatch", "No record matches these arguments")
        size = page_size()
        batch = list(qs[cursor: cursor + size])
        node = _el(self.root, f"{{{OAI_NS}}}{'ListRecords' if records else 'ListIdentifiers'}")
        self._write_records(node, batch, records=records)
        if cursor + size < total or cursor:
            token = signing.dumps({"params": params, "cursor": cursor + size}, salt=TOKEN_SALT) if cursor + size < total else None
            _el(node, f"{{{OAI_NS}}}resumptionToken", token, completeListSize=total, cursor=cursor)

    def _write_records(self, parent, activities, *, records: bool):
        pks = [a.pk for a in activities]
        keys = [a.translation_key for a in activities]
        themes = {}
        for link in ActivityPage.themes.through.objects.filter(activitypage_id__in=pks).select_related("theme"):
            themes.setdefault(link.activitypage_id, []).append(link.theme)
        theme_names = {}
        for theme in Theme.objects.filter(slug__in={t.slug for ts in themes.values() for t in ts}).select_related("locale"):
            theme_names.setdefault(theme.slug, {})[theme.locale.language_code] = theme.name
        translations = {}
        for page in ActivityPage.objects.live().filter(translation_key__in=keys).select_related("locale"):
            translations.setdefault(page.translation_key, {})[page.locale.language_code] = page
        people, partners = {}, {}
        if records:
            for link in ActivityPage.trainers.through.objects.filter(activitypage_id__in=pks).select_related("person"):
                people.setdefault(link.activitypage_id, []).append(link.person)
            for link in ActivityPage.partners.through.objects.filter(activitypage_id__in=pks).select_related("partner"):
                partners.setdefault(link.activitypage_id, []).append(link.partner)
        for activity in activities:
            slugs = [t.slug for t in themes.get(activity.pk, [])]
            record = _el(parent, f"{{{OAI_NS}}}record") if records else parent
            header = _el(record, f"{{{OAI_NS}}}header")
            _el(header, f"{{{OAI_NS}}}identifier", oai_identifier(activity.reference_code))
            _el(header, f"{{{OAI_NS}}}datestamp", _stamp(getattr(activity, "datestamp", None) or activity.last_published_at))
            for spec in _set_specs(activity, slugs):
                _el(header, f"{{{OAI_NS}}}setSpec", spec)
            if records:
                metadata = _el(record, f"{{{OAI_NS}}}metadata")
                self._write_dc(metadata, activity, translations.get(activity.translation_key, {}), slugs, theme_names,
                               people.get(activity.pk, []), partners.get(activity.pk, []))

    def _write_dc(self, parent, activity, pages, slugs, theme_names, people, partners):
        dc = ET.SubElement(parent, f"{{{OAI_DC_NS}}}dc", {
            f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        })
        pages = pages or {activity.locale.language_code: activity}
        for code, page in sorted(pages.items()):
            _dc(dc, "title", page.title, code)
        _dc(dc, "creator", "Dar Al-Muntakhab (Maison de l'Élu), Marrakech-Safi")
        for slug in slugs:
            for code, name in sorted(theme_names.get(slug, {}).items()):
                _dc(dc, "subject", name, code)
        for code, page in sorted(pages.items()):
            _dc(dc, "description", page.summary, code)
        _dc(dc, "publisher", "Dar Al-Muntakhab (Maison de l'Élu)")
        for person in people:
            _dc(dc, "contributor", f"{person.name} ({person.affiliation})" if person.affiliation else person.name)
        for partner in partners:
            _dc(dc, "contributor", partner.name_fr, "fr")
            _dc(dc, "contributor", partner.name_ar, "ar")
        end = activity.end_date or activity.start_date
        _dc(dc, "date", activity.start_date.isoformat() if end == activity.start_date else f"{activity.start_date.isoformat()}/{end.isoformat()}")
        _dc(dc, "type", "Event")
        _dc(dc, "type", "http://purl.org/dc/dcmitype/Event")
        with translation.override("fr"):
            _dc(dc, "type", str(dict(ActivityType.choices).get(activity.activity_type, activity.activity_type)), "fr")
            province = str(dict(Province.choices).get(activity.province, ""))
        _dc(dc, "identifier", activity.reference_code)
        for code, page in sorted(pages.items()):
            _dc(dc, "identifier", page.full_url)
            _dc(dc, "language", code)
        _dc(dc, "coverage", ", ".join(part for part in [activity.commune, province, "Marrakech-Safi, Maroc"] if part))
        _dc(dc, "source", activity.source_note)
        _dc(dc, "rights", activity.rights_notes or "Public record; beneficiaries are published as totals only.")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request):
    """The OAI-PMH 2.0 base URL."""
    return Repository(request).respond()
