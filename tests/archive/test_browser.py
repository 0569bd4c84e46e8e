"""A visitor narrows the archive, opens an activity, plays its video and downloads a document (Arabic and French)."""

import datetime
import subprocess

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def archive_with_media(make_activity, tmp_path):
    """Activities in several provinces and years; the 2017 Marrakech one on GIS has a programme and a video."""
    video = tmp_path / "session.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-t", "3",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(video)],
        check=True, timeout=120,
    )
    make_activity("OTHER-2012", start_date=datetime.date(2012, 3, 1), end_date=None, province="marrakech", theme_slugs=["gis"])
    make_activity("OTHER-2017", start_date=datetime.date(2017, 3, 1), end_date=None, province="safi", theme_slugs=["gis"])
    page = make_activity(
        "GIS-2017", start_date=datetime.date(2017, 10, 2), end_date=None, province="marrakech", theme_slugs=["gis"],
        titles={"ar": "ورشة نظم المعلومات الجغرافية", "fr": "Atelier SIG à Marrakech"},
        attachments={"programme-sig.pdf": b"%PDF-1.4 programme"},
    )
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document(title="session.mp4")
    document.file.save("session.mp4", ContentFile(video.read_bytes()), save=False)
    document.save()
    for translated in [page, *[p.specific for p in page.get_translations()]]:
        translated.videos = [("video", {"video": document, "caption": ""})]
        translated.full_clean()
        translated.save_revision().publish()
    return page


@pytest.mark.parametrize(("prefix", "lang", "title"), [("", "ar", "ورشة نظم المعلومات الجغرافية"), ("/fr", "fr", "Atelier SIG à Marrakech")])
def test_visitor_narrows_opens_plays_and_downloads(page, live_server, archive_with_media, prefix, lang, title):
    """Theme + province + year range leave one activity; its video plays and its programme downloads."""
    page.goto(f"{live_server.url}{prefix}/archive/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".activity-item").count() == 3
    page.check("input[name=theme][value=gis]")
    page.check("input[name=province][value=marrakech]")
    page.fill("[data-testid=year-from]", "2015")
    page.fill("[data-testid=year-to]", "2018")
    page.locator(".facets button[type=submit]").click()
    page.wait_for_url("**year_to=2018**")
    assert page.locator(".activity-item").count() == 1
    page.get_by_role("link", name=title).click()
    page.wait_for_url(f"**{prefix}/archive/2017/GIS-2017/")
    assert page.locator("h1").inner_text() == title

    video = page.locator("[data-testid=activity-video]")
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('[data-testid=activity-video]').currentTime > 0.5")
    assert video.evaluate("v => v.error") is None

    with page.expect_download() as download_info:
        page.locator("[data-testid=document-link]").click()
    download = download_info.value
    # the storage may add a suffix when an earlier test stored a file with the same name
    assert download.suggested_filename.startswith("programme-sig") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    # stop streaming the video so the live server has no open response when the test ends
    video.evaluate("v => { v.pause(); v.removeAttribute('src'); v.load(); }")
    page.goto("about:blank")
