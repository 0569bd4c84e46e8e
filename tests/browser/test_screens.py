"""Every public, learner and role landing page in Arabic and French, at 375 and 1280 px, in
Debian's chromium: no sideways scroll on a phone, arrows by direction, no Latin run on an Arabic
page outside what is marked as another language, and no serious or critical axe-core violation
(axe vendored from npm under static/vendor/axe-core, loaded from the site's own origin so the
Content-Security-Policy allows it). Screenshots go to $TAKWIN_SHOTS when it is set, for people
to look at; the assertions hold either way."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "takwin-demo-2026"
WIDTHS = (375, 1280)
AXE = "/static/vendor/axe-core/axe.min.js"
# Capitals and digits (PDF, QR, CSV, a certificate's code, a reference code such as MDE-2018-G022)
# format names (WebVTT, Atom, Excel), the site's and the CMS's names (Takwin in the admin's site
# name, Wagtail) and e-mail addresses are written in Latin letters in Arabic too; anything else in
# Latin letters must say which language it is. Search snippets quote a record's indexed text as it
# is (its venue and people as the record spells them): they are left out here.
LATIN_RUNS = r"""() => {
  const allowed = /^(?:[A-Z0-9]{1,12}|WebVTT|Atom|Excel|Wagtail|Takwin|[A-Z]{2,6}(?:[-.][A-Z0-9]{2,12})+)$/;
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, [hidden], [aria-hidden=true], .wagtail-userbar, code, kbd, .result__snippet")) continue;
    const marked = parent.closest("[lang]");
    if (marked && !marked.getAttribute("lang").startsWith("ar")) continue;
    if (parent.closest("[translate=no]")) continue;
    const text = node.textContent.replace(/\S+@\S+/g, "");  // e-mail addresses are no language
    for (const match of text.matchAll(/[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9'’.\-]*(?:\s+[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9'’.\-]*)*/g)) {
      const words = match[0].split(/\s+/).filter((w) => !allowed.test(w.replace(/[.]$/, "")));
      if (words.length) runs.push(match[0]);
    }
  }
  return [...new Set(runs)].slice(0, 20);
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""


@pytest.fixture
def demo(transactional_db):
    """The demo as `make run` shows it (the test settings keep it small: no ffmpeg video)."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from archive.models import ActivityPage
    from courses.models import Certificate, CoursePage

    module = CoursePage.objects.live().filter(locale__language_code="ar").order_by("path").first()
    activity = ActivityPage.objects.live().filter(locale__language_code="ar").order_by("path").first()
    certificate = Certificate.objects.first()
    lesson = module.get_children().live().first()
    return {"module": module, "activity": activity, "certificate": certificate, "lesson": lesson}


def _french(page) -> str:
    from wagtail.models import Locale

    return page.get_translation(Locale.objects.get(language_code="fr")).url


def _paths(demo) -> dict[str, list[tuple[str, str]]]:
    """(name, Arabic path, French path) of each role's pages; the first of a role is its landing page."""
    m, a, lesson = demo["module"], demo["activity"], demo["lesson"]
    code = demo["certificate"].code if demo["certificate"] else "NOPE234567"
    return {
        "visitor": [
            ("home", "/", "/fr/"), ("catalogue", "/courses/", "/fr/courses/"), ("module", m.url, _french(m)),
            ("archive", "/archive/", "/fr/archive/"), ("activity", a.url, _french(a)),
            ("statistics", "/archive/statistics/", "/fr/archive/statistics/"),
            ("search", "/search/?q=%D8%A7%D9%84%D8%AC%D9%85%D8%A7%D8%B9%D8%A9", "/fr/search/?q=commune"),
            ("login", "/accounts/login/", "/fr/accounts/login/"), ("signup", "/accounts/signup/", "/fr/accounts/signup/"),
            ("verify", f"/certificates/verify/{code}/", f"/fr/certificates/verify/{code}/"),
            ("verify-form", "/certificates/verify/", "/fr/certificates/verify/"),
        ],
        "learner": [("dashboard", "/my/", "/fr/my/"), ("lesson", lesson.url, _french(lesson)),
                    ("profile", "/accounts/profile/", "/fr/accounts/profile/")],
        "trainer": [("recordings", "/media-pipeline/recordings/", "/fr/media-pipeline/recordings/"),
                    ("reports", "/reports/", "/fr/reports/"),
                    ("report", f"/reports/{m.pk}/", f"/fr/reports/{m.pk}/")],
        "editor": [("admin", "/admin/", "/admin/")],
    }


def _login(page, base: str, role: str) -> str:
    page.context.clear_cookies()
    if role == "visitor":
        return ""
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", f"{role}@takwin.test")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    return page.url.removeprefix(base)


def _check(page, *, name: str, lang: str, width: int, shots: Path | None) -> list[str]:
    problems = []
    if shots:
        page.screenshot(path=str(shots / f"{name}-{lang}-{width}.png"), full_page=True)
    where = f"{name} {lang} {width}px"
    if width == 375:
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if sizes[0] > sizes[1]:
            problems.append(f"{where}: scrolls sideways ({sizes[0]} > {sizes[1]} px)")
    if lang == "ar":
        runs = page.evaluate(LATIN_RUNS)
        if runs:
            problems.append(f"{where}: Latin text not marked as another language: {runs}")
    page.add_script_tag(url=page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + AXE)
    violations = page.evaluate(AXE_RUN)
    if violations:
        problems.append(f"{where}: axe: {violations}")
    return problems


def test_every_screen_for_every_role_in_both_languages(page, live_server, demo):
    """Each page of each role, in Arabic and French at 375 and 1280 px, passes the checks above;
    each role lands on its work after login; lesson arrows point the way the language reads."""
    shots = Path(os.environ["TAKWIN_SHOTS"]) if os.environ.get("TAKWIN_SHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    problems: list[str] = []
    landings = {}
    for role, pages in _paths(demo).items():
        landings[role] = _login(page, base, role)
        for name, arabic, french in pages:
            for lang, path in (("ar", arabic), ("fr", french)):
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    response = page.goto(base + path)
                    if response.status >= 400 and name != "verify":
                        problems.append(f"{name} {lang}: HTTP {response.status} at {path}")
                        continue
                    problems += _check(page, name=f"{role}-{name}", lang=lang, width=width, shots=shots)
                    if name == "lesson" and width == 375:
                        problems += _arrows(page, lang)
    assert landings == {"visitor": "", "learner": "/my/", "trainer": "/media-pipeline/recordings/", "editor": "/admin/"}
    assert problems == [], "\n".join(problems)


def _arrows(page, lang: str) -> list[str]:
    """Next points to the left in Arabic (→ in French), previous the other way."""
    expected = {"ar": ("→", "←"), "fr": ("←", "→")}[lang]
    found = page.evaluate("""() => [".lesson__prev span", ".lesson__next span"].map(
        (s) => { const e = document.querySelector(s); return e ? e.textContent.trim() : null; })""")
    wrong = [f"lesson {lang}: {which} arrow is {arrow}" for which, arrow, want in zip(("previous", "next"), found, expected, strict=True)
             if arrow is not None and arrow != want]
    return wrong
