"""What the quiz pages say: a countdown in minutes and seconds, a verdict worded apart from the
answers (a true/false answer "خطأ" is not the verdict "wrong"), answers joined as a list or an
order, and "Try again" while attempts remain."""

import re

import pytest
from django.test import Client

from courses.services import enrolment_create
from lessons.models import Quiz
from lessons.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import lessons_of, make_course, make_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_setup(homes):
    quiz = make_quiz(time_limit_minutes=15, max_attempts=2)
    course = make_course(slug="quiz-screens", lessons=1, quiz=quiz, revisions=False)
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    return {"quiz": quiz, "course": course, "lesson": lessons_of(course)[0], "learner": learner, "client": client}


def start(s):
    return quiz_attempt_start(user=s["learner"], quiz=s["quiz"], lesson=s["lesson"], course_id=s["course"].pk)


def wrong_answers(attempt) -> dict:
    """Every question answered, the true/false one with "false" (its Arabic label is خطأ) and the
    multiple choice with two options."""
    from lessons.models import Question

    data = {}
    for item in attempt.layout:
        question = Question.objects.get(pk=item["id"])
        ids = [o.id for o in question.options]
        if question.kind == "true_false":
            data[f"q-{question.pk}"] = ["false"]
        elif question.kind == "multiple":
            data[f"q-{question.pk}"] = ids[1:]
        elif question.kind == "single":
            data[f"q-{question.pk}"] = ids[1:2]
        elif question.kind == "ordering":
            for position, oid in enumerate(reversed(ids), start=1):
                data[f"q-{question.pk}-{oid}"] = [str(position)]
        else:
            data[f"q-{question.pk}"] = ["0"]
    return data


def test_the_time_limit_is_a_clock_the_script_counts_down(quiz_setup):
    """A 15-minute quiz shows "15:00" (minutes and seconds, isolated) and loads the countdown,
    which sends the form at zero; a quiz without a limit loads no script."""
    attempt = start(quiz_setup)
    html = quiz_setup["client"].get(f"/learn/attempt/{attempt.pk}/").content.decode()
    assert 'data-quiz-timer="' in html and "data-quiz-form" in html
    # 15:00 when the page is served within the second, a little less on a busy machine
    assert re.search(r'<bdi class="quiz__clock" data-quiz-clock>1[45]:[0-5][0-9]</bdi>', html)
    assert "quiz-timer.js" in html and "ثانية" not in html
    quiz_attempt_submit(attempt=attempt, user=quiz_setup["learner"], data=wrong_answers(attempt))
    Quiz.objects.filter(pk=quiz_setup["quiz"].pk).update(time_limit_minutes=0)
    quiz_setup["quiz"].refresh_from_db()
    untimed = start(quiz_setup)
    html = quiz_setup["client"].get(f"/learn/attempt/{untimed.pk}/").content.decode()
    assert "quiz-timer.js" not in html and "data-quiz-timer" not in html


@pytest.mark.parametrize(("prefix", "wrong", "separator", "order"), [("", "إجابة خاطئة", "، ", " ثم "),
                                                                      ("/fr", "Mauvaise réponse", ", ", " → ")])
def test_the_review_words_the_verdict_apart_from_the_answers(quiz_setup, prefix, wrong, separator, order):
    """The verdict reads "wrong answer", never the word of an option; multiple answers are a list
    (a comma), orderings an order ("ثم" in Arabic, which no direction can turn round; an arrow in French)."""
    attempt = start(quiz_setup)
    quiz_attempt_submit(attempt=attempt, user=quiz_setup["learner"], data=wrong_answers(attempt))
    html = quiz_setup["client"].get(f"{prefix}/learn/attempt/{attempt.pk}/result/").content.decode()
    verdicts = [part.split("</p>")[0] for part in html.split('class="result-item__verdict">')[1:]]
    assert len(verdicts) == 6 and sum(wrong in v for v in verdicts) >= 4
    assert not any("خطأ" in v for v in verdicts)
    answers = [part.split("</q>")[0] for part in html.split('class="result-item__answer">')[1:]]
    assert any(separator in a for a in answers) and any(order in a for a in answers)


def test_try_again_while_attempts_remain(quiz_setup):
    """A failed attempt with attempts left offers "Try again" (starting a new attempt); the last one does not."""
    client = quiz_setup["client"]
    first = start(quiz_setup)
    quiz_attempt_submit(attempt=first, user=quiz_setup["learner"], data=wrong_answers(first))
    html = client.get(f"/learn/attempt/{first.pk}/result/").content.decode()
    start_url = f"/learn/quiz/{quiz_setup['quiz'].pk}/lesson/{quiz_setup['lesson'].pk}/start/"
    assert f'action="{start_url}"' in html and "أعد المحاولة" in html
    response = client.post(start_url)
    assert response.status_code == 302 and response["Location"] != f"/learn/attempt/{first.pk}/"
    second = quiz_setup["quiz"].attempts.exclude(pk=first.pk).get()
    quiz_attempt_submit(attempt=second, user=quiz_setup["learner"], data=wrong_answers(second))
    html = client.get(f"/learn/attempt/{second.pk}/result/").content.decode()
    assert f'action="{start_url}"' not in html
