"""OAI-PMH 2.0 at /oai/: a full harvest with Sickle against the running server, and every error code."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from sickle import Sickle

from archive.oai import OAI_NS, oai_identifier

NS = {"o": OAI_NS, "dc": "http://purl.org/dc/elements/1.1/", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}


def _make_many(make_activity, n):
    for i in range(n):
        make_activity(f"OAI-{2011 + i % 5}-{i:02d}", start_date=datetime.date(2011 + i % 5, 3, 1 + i), end_date=None,
                      activity_type="workshop" if i % 2 else "seminar", theme_slugs=["gis"] if i % 3 == 0 else ["governance"])


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_every_record_across_resumption_tokens(live_server, make_activity, settings):
    """Sickle harvests all 7 records in pages of 3 (two resumption tokens), with bilingual oai_dc."""
    settings.ARCHIVE_OAI_PAGE_SIZE = 3
    _make_many(make_activity, 7)
    sickle = Sickle(live_server.url + "/oai/")
    identify = sickle.Identify()
    assert identify.protocolVersion == "2.0" and identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == 7
    assert len({r.header.identifier for r in records}) == 7
    first = next(r for r in records if r.header.identifier == oai_identifier("OAI-2011-00"))
    assert "Event" in first.metadata["type"]
    assert {"ورشة حول الحكامة", "Atelier sur la gouvernance"} <= set(first.metadata["title"])
    assert "year:2011" in first.header.setSpecs and "theme:gis" in first.header.setSpecs
    identifiers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="theme:gis"))
    assert len(identifiers) == 3
    assert len(list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="year:2012"))) == 2
    assert len(list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="type:workshop"))) == 3
    record = sickle.GetRecord(identifier=oai_identifier("OAI-2013-02"), metadataPrefix="oai_dc")
    assert record.metadata["date"] == ["2013-03-03"]
    specs = {s.setSpec for s in sickle.ListSets()}
    assert {"type", "theme", "year", "type:workshop", "theme:gis", "year:2015"} <= specs
    formats = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    assert formats == ["oai_dc"]


def _error(client, query):
    response = client.get("/oai/?" + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    error = root.find("o:error", NS)
    return (error.get("code") if error is not None else None), root.find("o:request", NS)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "code"), [
    ("", "badVerb"),
    ("verb=Dance", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&extra=1", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2017-13-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2017-01-01&until=2017-01-01T00:00:00Z", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2018-01-01&until=2017-01-01", "badArgument"),
    ("verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=GetRecord&identifier=x", "badArgument"),
    ("verb=ListRecords&resumptionToken=forged", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=abc", "badResumptionToken"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:takwin.maisondelelu.ma:MDE-2017-001&metadataPrefix=mods", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:takwin.maisondelelu.ma:NOPE&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=oai:elsewhere:1", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=year:1999", "noRecordsMatch"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2090-01-01", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=nonsense", "noRecordsMatch"),
])
def test_error_codes(client, make_activity, query, code):
    """Each bad request gets its OAI-PMH error code; badVerb/badArgument echo a bare request element."""
    make_activity()
    found, request_el = _error(client, query)
    assert found == code
    if code in ("badVerb", "badArgument"):
        assert request_el.attrib == {}


@pytest.mark.django_db
def test_post_is_accepted_and_good_requests_have_no_error(client, make_activity):
    """POST works like GET; a GetRecord for a known identifier answers the record with its sets."""
    make_activity()
    response = client.post("/oai/", {"verb": "GetRecord", "identifier": oai_identifier("MDE-2017-001"), "metadataPrefix": "oai_dc"})
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.find("o:error", NS) is None
    assert root.find("o:request", NS).get("verb") == "GetRecord"
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert [s.text for s in header.findall("o:setSpec", NS)] == ["type:workshop", "year:2017", "theme:governance"]
