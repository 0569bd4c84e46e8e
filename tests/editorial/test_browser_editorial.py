"""The editor's day in a real browser, against a web server and a task worker running as
processes of their own on one database: an editor builds a module (two lessons, a recording
from the library, a quiz) and submits it; a reviewer asks for a change; the editor fixes it
and resubmits; the reviewer approves; the worker puts it in the catalogue and in search
within 5 s; the French translation is a draft, flagged out of date after an Arabic change.

With ``TAKWIN_SHOTS=<folder>`` it also saves the dashboard, the module edit screen and the
review screen in Arabic and French at 1280 px.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PASSWORD = "editorial-test-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("TAKWIN_EDITORIAL_PORT", "8161"))
BASE = f"http://127.0.0.1:{PORT}"
SHOTS = os.environ.get("TAKWIN_SHOTS", "")


def _manage(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "manage.py", *args], env=env, cwd=ROOT, **kwargs)


@pytest.fixture
def stack(tmp_path, migrated_db_file):
    """The seeded database, the web server and db_worker; yields the seed's ids and a
    ``shell(code)`` helper that runs Python against the same database."""
    db = tmp_path / "stack.sqlite3"
    shutil.copyfile(migrated_db_file, db)
    for name in ("media", "search"):
        (tmp_path / name).mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.editorial.stack_settings",
        "DATABASE_URL": f"sqlite:///{db}",
        "TAKWIN_TEST_MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search"),
        "TAKWIN_TEST_BASE_URL": BASE,
        "PYTHONPATH": str(ROOT),
        "TAKWIN_TEST_PASSWORD": PASSWORD,
    }

    def shell(code: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    # The server and the worker start while the seed runs (each process takes seconds to import
    # Django); the worker runs the seed's queued index writes as they come.
    server = _manage(env, "runserver", f"127.0.0.1:{PORT}", "--noreload", stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    worker = _manage(env, "db_worker", "--no-startup-delay", "--interval", "0.2", "-v", "0")
    try:
        seed = json.loads(shell((ROOT / "tests/editorial/stack_seed.py").read_text()).strip().splitlines()[-1])
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(BASE + "/admin/login/", timeout=2)  # noqa: S310 (loopback)
                break
            except OSError:
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.3)
        def live(page_id: int) -> bool:
            with sqlite3.connect(db) as conn:
                return bool(conn.execute("SELECT live FROM wagtailcore_page WHERE id = ?", (page_id,)).fetchone()[0])

        yield {**seed, "shell": shell, "live": live}
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=20)


def login(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(BASE + "/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(BASE + "/admin/")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def footer_action(page, name: str, selector: str = "") -> None:
    """Press one of the edit screen's action-menu buttons (some sit in its dropdown)."""
    button = page.locator(f"footer button[name='{name}']" if name else f"footer button{selector}").first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    button.click()


def fill_title(page, title: str, slug: str) -> None:
    page.locator("#id_title").fill(title)
    # The slug sits on the hidden "Promote" tab; Latin slugs keep the addresses readable.
    page.locator("#id_slug").evaluate("(field, value) => { field.value = value; }", slug)


def save_draft(page) -> None:
    page.locator("footer button[type=submit]:not([name])").first.click()
    page.wait_for_url("**/edit/")


def workflow_action(page, name: str, comment: str = "") -> None:
    """A reviewer's action from the edit screen's menu; "reject" asks for a comment in a modal."""
    footer_action(page, "", selector=f"[data-workflow-action-name='{name}']")
    if comment:
        page.locator(".modal textarea").fill(comment)
        page.locator(".modal button[type=submit]").click()
    page.wait_for_url("**/admin/pages/*/")


def wait_until(page, path: str, text: str, *, since: float, within: float = 5.0) -> None:
    """``text`` shows at ``path`` less than ``within`` seconds after ``since``."""
    while True:
        page.goto(BASE + path)
        if text in page.content():
            print(f"{path}: after {time.monotonic() - since:.1f} s")
            return
        assert time.monotonic() - since < within, f"{text!r} not at {path} within {within} s"
        time.sleep(0.3)


def add_lesson(page, module_edit: str, title: str, slug: str) -> None:
    page.goto(module_edit)
    page.get_by_role("link", name="أضف درساً").click()
    fill_title(page, title, slug)
    save_draft(page)


def test_module_written_reviewed_translated_and_published(tab, stack):
    """The issue's "Done means", end to end."""
    page = tab  # a tab without the suite's live server: this test brings its own
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "salma@example.ma")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"{BASE}/admin/pages/add/courses/coursepage/{stack['catalogue']}/")
    fill_title(page, "الميزانية التشاركية للجماعة", "participatory-budget")
    page.locator("#id_summary").fill("كيف تشرك الجماعة ساكنتها في إعداد الميزانية.")
    save_draft(page)
    module_edit = page.url
    module_id = int(module_edit.rstrip("/").split("/")[-2])
    for n, title in enumerate(("الدرس الأول: المبادئ", "الدرس الثاني: المراحل"), start=1):
        add_lesson(page, module_edit, title, f"lesson-{n}")

    page.goto(module_edit)
    lessons = page.locator("[data-lesson-id]")
    assert lessons.count() == 2
    lessons.nth(0).get_by_role("link", name="اختر تسجيلاً").click()
    row = page.locator(f"[data-recording-row='{stack['recording']}']")
    row.locator("button[type=submit]").click()
    page.wait_for_url(module_edit)
    assert "ورشة الميزانية التشاركية" in page.locator("[data-lesson-recording]").inner_text()
    page.locator("[data-lesson-id]").nth(1).get_by_role("link", name="أرفق اختباراً").click()
    page.locator(f"[data-quiz-row='{stack['quiz']}'] button").click()
    page.wait_for_url(module_edit)
    assert "اختبار الميزانية" in page.locator("[data-lesson-quiz]").inner_text()

    # Drag the second lesson above the first: the order is saved at once.
    second = page.locator("[data-lesson-id]").nth(1)
    second_id = second.get_attribute("data-lesson-id")
    second.drag_to(page.locator("[data-lesson-id]").nth(0), target_position={"x": 20, "y": 2})
    page.locator("[data-editorial-lessons][data-saved=true]").wait_for()
    page.reload()
    assert page.locator("[data-lesson-id]").nth(0).get_attribute("data-lesson-id") == second_id
    shot(page, "module-edit-ar")

    footer_action(page, "action-submit")
    page.wait_for_url(f"{BASE}/admin/pages/{stack['catalogue']}/")
    page.goto(BASE + "/admin/")
    shot(page, "dashboard-ar")

    # The review screen as a reviewer reads it in Arabic (Youssef), then in French (Nadia).
    login(page, "youssef@example.ma")
    page.goto(module_edit)
    shot(page, "review-ar")
    page.goto(module_edit)
    # The reviewer (French admin) asks for a change, with a comment.
    login(page, "nadia@example.ma")
    assert page.locator("html").get_attribute("lang") == "fr"
    shot(page, "dashboard-fr")
    page.goto(module_edit)
    shot(page, "review-fr")
    shot(page, "module-edit-fr")
    workflow_action(page, "reject", comment="Ajoutez les objectifs du module, s'il vous plaît.")
    assert not stack["live"](module_id)

    # The editor fixes it and resubmits.
    login(page, "salma@example.ma")
    page.goto(module_edit)
    page.locator("#id_audience").fill("المستشارون الجماعيون وأطر الجماعات")
    footer_action(page, "action-submit")
    page.wait_for_url(f"{BASE}/admin/pages/{stack['catalogue']}/")

    # The reviewer approves: in the catalogue and in search within 5 s (the worker indexes it).
    login(page, "nadia@example.ma")
    page.goto(module_edit)
    workflow_action(page, "approve")
    approved = time.monotonic()
    assert stack["live"](module_id)
    wait_until(page, "/courses/", "الميزانية التشاركية للجماعة", since=approved)
    # Search results highlight the words found in the title: look for the summary instead.
    wait_until(page, "/search/?q=" + urllib.parse.quote("التشاركية"), "كيف تشرك الجماعة ساكنتها", since=approved)

    # Translate in one click: a French draft; a later Arabic change flags it out of date.
    login(page, "salma@example.ma")
    page.goto(module_edit)
    page.locator("[data-language=fr] button").click()
    page.wait_for_url("**/edit/")
    french_id = int(page.url.rstrip("/").split("/")[-2])
    assert french_id != module_id and not stack["live"](french_id)
    page.goto(module_edit)
    assert page.locator("[data-language=fr]").get_attribute("data-translation-state") == "up_to_date"
    page.locator("#id_audience").fill("المستشارون الجماعيون")
    save_draft(page)
    assert page.locator("[data-language=fr]").get_attribute("data-translation-state") == "out_of_date"
    page.goto(BASE + "/admin/")
    assert f"/admin/pages/{french_id}/edit/" in page.locator("[id^=editorial-translations]").first.inner_html()
