"""lessons.services.quiz_create: a quiz and its ordered questions, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from lessons.models import Question, Quiz
from lessons.services import quiz_create

pytestmark = pytest.mark.django_db


def test_quiz_create_saves_the_questions_in_order():
    """Questions get sort_order 1, 2, … in the given order."""
    quiz = quiz_create(
        title="Quiz",
        pass_mark=60,
        questions=[
            {"kind": "true_false", "text": "Vrai ?", "correct_true": True},
            {"kind": "numeric", "text": "Combien ?", "numeric_answer": 12, "tolerance": 0},
        ],
    )
    assert list(quiz.questions.order_by("sort_order").values_list("sort_order", "text")) == [
        (1, "Vrai ?"),
        (2, "Combien ?"),
    ]


def test_quiz_create_with_an_invalid_question_saves_nothing():
    """A question that fails validation leaves neither the quiz nor the earlier questions behind."""
    with pytest.raises(ValidationError):
        quiz_create(
            title="Quiz",
            questions=[
                {"kind": "true_false", "text": "Vrai ?", "correct_true": True},
                {"kind": "no-such-kind", "text": ""},
            ],
        )
    assert (Quiz.objects.count(), Question.objects.count()) == (0, 0)
