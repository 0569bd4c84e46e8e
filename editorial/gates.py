"""Quality gates: what must be true before a page goes live. Each check returns messages
in the active language (the editor's), saying what to fix; an empty list lets it through."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from lessons.models import LessonPage, Question, Quiz
from media_pipeline import get_media_model
from media_pipeline.models import MediaStatus

CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


def _raw_ids(page: LessonPage, block_type: str, key: str) -> list[int]:
    ids = []
    for block in page.body.raw_data:
        value = block["value"] if isinstance(block["value"], dict) else {}
        if block["type"] == block_type and value.get(key):
            ids.append(int(value[key]))
    return ids


def quiz_problems(*, quiz: Quiz, questions: list[Question] | None = None) -> list[str]:
    """A quiz that cannot be passed fairly: no question, a choice question without a correct
    option, or more questions drawn than it holds. ``questions`` are the ones being saved
    (the quiz form's), else the stored ones."""
    questions = list(quiz.questions.all()) if questions is None else questions
    if not questions:
        return [_("The quiz “%(quiz)s” has no question.") % {"quiz": quiz}]
    problems = []
    for question in questions:
        correct = [child.value for child in question.options if child.value.get("correct")]
        if question.kind in CHOICE_KINDS and not correct:
            problems.append(
                _("The quiz “%(quiz)s” has no correct answer to “%(question)s”: tick the correct option.")
                % {"quiz": quiz, "question": question.text[:80]}
            )
    if quiz.draw_count > len(questions):
        problems.append(
            ngettext(
                "The quiz “%(quiz)s” draws %(draw)s questions but has only %(count)s: lower the number drawn.",
                "The quiz “%(quiz)s” draws %(draw)s questions but has only %(count)s: lower the number drawn.",
                len(questions),
            )
            % {"quiz": quiz, "draw": quiz.draw_count, "count": len(questions)}
        )
    return problems


def lesson_problems(*, lesson: LessonPage) -> list[str]:
    """A failed recording in a video block, a quiz that cannot be passed, an image without
    alternative text (Wagtail's image description)."""
    from wagtail.images import get_image_model

    problems = []
    for asset in get_media_model().objects.filter(pk__in=_raw_ids(lesson, "video", "recording"), status=MediaStatus.FAILED):
        problems.append(
            _("The recording “%(title)s” failed to encode: choose another recording or retry its processing.")
            % {"title": asset.title}
        )
    # The stored rows are the published quizzes (an edit under review is a revision): what learners would get.
    for quiz in Quiz.objects.filter(pk__in=lesson.quiz_ids()).prefetch_related("questions"):
        if not quiz.live:
            problems.append(
                _("The quiz “%(quiz)s” is not published yet: have it reviewed and published first.") % {"quiz": quiz}
            )
        problems += quiz_problems(quiz=quiz)
    for image in get_image_model().objects.filter(pk__in=_raw_ids(lesson, "image", "image"), description=""):
        problems.append(
            _("The image “%(title)s” has no alternative text: describe it in the image library (Description).")
            % {"title": image.title}
        )
    return problems


def parent_problems(*, page) -> list[str]:
    """A page cannot go live under an unpublished page (nobody could reach it)."""
    parent = page.get_parent(update=True) if page.pk else None
    if parent is not None and parent.depth > 1 and not parent.live:
        return [_("Publish “%(parent)s” first: this page would be unreachable under an unpublished page.")
                % {"parent": parent.title}]
    return []


def content_problems(*, obj) -> list[str]:
    """The checks of the object's own content (before it is submitted or published): a lesson
    page's body, or a quiz (with the questions it holds, saved or in a revision)."""
    if isinstance(obj, Quiz):
        return quiz_problems(quiz=obj)
    return lesson_problems(lesson=obj) if isinstance(obj, LessonPage) else []


def publication_problems(*, obj) -> list[str]:
    """Everything that stops a page or a quiz from going live now."""
    problems = content_problems(obj=obj)
    return problems + parent_problems(page=obj) if isinstance(obj, Page) else problems


def revision_problems(*, revision) -> list[str]:
    """What stops the revision under review from going live (the reviewer's approval)."""
    return publication_problems(obj=revision.as_object())
