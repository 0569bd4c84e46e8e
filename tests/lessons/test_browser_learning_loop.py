"""In a real browser: sign up, enrol, watch (the lesson's progress line following each heartbeat's
answer), leave, resume at the saved position, pass the quiz, download the certificate and open its
verification page."""

import re
import subprocess

import pytest

from courses.models import Certificate
from lessons.models import LessonProgress, QuizAttempt
from tests.courses.factories import correct_answers, lessons_of, make_course, make_quiz, make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "amizmiz-2026-secret"


@pytest.fixture
def module(transactional_db, tmp_path):
    from demo import home as home_demo

    home_demo.load()
    video = make_video(tmp_path, seconds=6, title="loop")
    quiz = make_quiz(max_attempts=2)
    return make_course(slug="loop", title="وحدة الحلقة الكاملة", lessons=2, rule="video", video=video, quiz=quiz)


def video_state(page) -> dict:
    return page.evaluate("() => { const v = document.querySelector('video'); return {t: v.currentTime, d: v.duration, "
                         "paused: v.paused, resume: parseFloat(v.dataset.resumeAt)} }")


def play_until(page, seconds: float):
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    page.wait_for_function(f"() => document.querySelector('video').currentTime >= {seconds}", timeout=20_000)


def test_learning_loop(page, live_server, module, tmp_path):
    """The whole loop works in chromium, and the video resumes where the learner left it."""
    url = live_server.url
    first, second = lessons_of(module)

    # Sign up (Arabic), then enrol from the module page.
    page.goto(url + "/accounts/signup/")
    page.locator("#id_email").fill("fatima@example.ma")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_full_name").fill("فاطمة الزهراء أيت علي")
    page.locator("#id_province").select_option("al-haouz")
    page.locator("#id_category").select_option("elected")
    page.locator("#id_gender").select_option("female")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/my/$"))
    page.goto(url + module.url)
    page.get_by_role("button", name="سجل في هذه الوحدة").click()
    page.wait_for_url(re.compile(r"/courses/loop/$"))

    # Watch about three seconds of the first lesson, then pause: the pause sends a heartbeat.
    page.get_by_role("link", name=re.compile("ابدأ الوحدة")).click()
    page.wait_for_url(re.compile(r"/lesson-1/$"))
    play_until(page, 3)
    with page.expect_response(lambda r: "/api/progress/" in r.url and r.request.method == "POST") as beat:
        page.evaluate("document.querySelector('video').pause()")
    assert beat.value.status == 200
    saved = LessonProgress.objects.get(lesson=first)
    assert 3 <= saved.position < 6 and saved.status == LessonProgress.Status.IN_PROGRESS
    # The MP4's tracker shows the server's answer in the progress line at once, without a reload.
    status = page.locator("[data-lesson-status]")
    watched = status.get_attribute("data-label-watched").replace("__P__", str(saved.percent))
    page.wait_for_function("(text) => document.querySelector('[data-lesson-status]').textContent === text", arg=watched)
    assert status.is_visible()

    # Leave for the dashboard, come back through "continue where you left off": the video resumes there.
    page.goto(url + "/my/")
    page.locator(".resume a.button").click()
    page.wait_for_url(re.compile(r"/lesson-1/$"))
    # Nothing of the video is fetched before Play (a paid-by-the-megabyte connection): the page
    # only knows the resume point; Play then starts there, not at 0:00.
    state = video_state(page)
    assert state["resume"] == pytest.approx(saved.position, abs=0.11)
    assert page.evaluate("() => document.querySelector('video').readyState") == 0
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; "
                  "return v.play().then(() => v.pause()); }")
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    page.wait_for_function("() => Math.abs(document.querySelector('video').currentTime - "
                           "parseFloat(document.querySelector('video').dataset.resumeAt)) < 0.5")
    assert video_state(page)["t"] == pytest.approx(saved.position, abs=0.5)

    # Watch to the end: the distinct seconds now pass 90 % and the lesson completes.
    with page.expect_response(lambda r: "/api/progress/" in r.url and r.json().get("completed")):
        play_until(page, 5.9)
        page.wait_for_function("() => document.querySelector('video').ended", timeout=10_000)
    assert LessonProgress.objects.get(lesson=first).is_completed
    page.wait_for_function("(text) => document.querySelector('[data-lesson-status]').textContent === text",
                           arg=status.get_attribute("data-label-completed"))

    # Pass the quiz in the second lesson, answering through the form.
    page.goto(url + second.url)
    page.get_by_role("button", name="ابدأ الاختبار").click()
    page.wait_for_url(re.compile(r"/learn/attempt/\d+/$"))
    attempt = QuizAttempt.objects.get()
    for name, values in correct_answers(attempt).items():
        field = page.locator(f"[name='{name}']")
        kind = field.first.evaluate("e => e.tagName + ':' + (e.type || '')")
        if kind.startswith("SELECT"):
            field.select_option(values[0])
        elif kind.endswith(("radio", "checkbox")):
            for value in values:
                page.locator(f"[name='{name}'][value='{value}']").check()
        else:
            field.fill(values[0])
    page.get_by_role("button", name="إرسال أجوبتي").click()
    page.wait_for_url(re.compile(r"/result/$"))
    assert "100%" in page.locator(".score").inner_text()

    # The module is complete: download the certificate and open its verification page.
    page.goto(url + module.url)
    with page.expect_download() as download:
        page.get_by_role("link", name="حمّل شهادتك").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "فاطمة الزهراء أيت علي" in text and "وحدة الحلقة الكاملة" in text
    certificate = Certificate.objects.get()
    page.goto(url + f"/certificates/verify/{certificate.code}/")
    assert page.locator(".verdict--valid").is_visible()
    assert "فاطمة الزهراء أيت علي" in page.content()
