"""Lessons (pages under a module), the learner's progress in each, and quizzes."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, Page, RevisionMixin, WorkflowMixin
from wagtail.search import index

from search.attachments import ATTACHMENT_BOOST, ATTACHMENT_FIELD, attachment_parts, join_parts

from .blocks import LessonBodyBlock, OptionBlock


class LessonPage(Page):
    """One lesson of a module: video, text, images, documents, callouts and quizzes."""

    class CompletionRule(models.TextChoices):
        VIEW = "view", _("Opening the lesson")
        VIDEO = "video", _("Watching the video (distinct seconds)")
        QUIZ = "quiz", _("Passing the lesson's quiz")

    summary = models.TextField(_("summary"), blank=True, max_length=600)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated duration (minutes)"), default=10)
    completion_rule = models.CharField(
        _("completion rule"), max_length=8, choices=CompletionRule.choices, default=CompletionRule.VIDEO
    )
    required = models.BooleanField(_("required for module completion"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("completion_rule"), FieldPanel("required")],
            heading=_("Completion"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        # Last on purpose: the search page splits the stored body at the attachments.
        index.SearchField(ATTACHMENT_FIELD, boost=ATTACHMENT_BOOST),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def quiz_slot(self, quiz_id: int) -> int | None:
        """The place of a quiz among the lesson's quizzes (0 for the first), None if not embedded.

        Translations embed their own quizzes (one per language) in the same places: the slot,
        with the lesson's ``translation_key``, is what attempts are counted against."""
        ids = self.quiz_ids()
        return ids.index(quiz_id) if quiz_id in ids else None

    def quiz_ids(self) -> list[int]:
        """Ids of the quizzes embedded in the body (read from the raw data: no query)."""
        ids = []
        for block in self.body.raw_data:
            if block["type"] == "quiz" and block["value"].get("quiz"):
                ids.append(int(block["value"]["quiz"]))
        return ids

    def attachment_text(self) -> str:
        """The text of the lesson's documents and of its recordings' captions, for search
        (read from the body's raw data: no query for the blocks themselves)."""
        document_ids, recording_ids = [], []
        for block in self.body.raw_data:
            value = block["value"] if isinstance(block["value"], dict) else {}
            if block["type"] == "document" and value.get("document"):
                document_ids.append(value["document"])
            elif block["type"] == "video" and value.get("recording"):
                recording_ids.append(value["recording"])
        language = self.locale.language_code
        return join_parts(attachment_parts(document_ids=document_ids, recording_ids=recording_ids, language=language))

    def has_video(self) -> bool:
        return any(block["type"] == "video" for block in self.body.raw_data)

    def effective_rule(self) -> str:
        """The completion rule that can actually be met with this body."""
        if self.completion_rule == self.CompletionRule.VIDEO and not self.has_video():
            return self.CompletionRule.VIEW
        if self.completion_rule == self.CompletionRule.QUIZ and not self.quiz_ids():
            return self.CompletionRule.VIEW
        return self.completion_rule

    def serve(self, request, *args, **kwargs):
        from .views import serve_lesson

        return serve_lesson(self, request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_access, lesson_context

        context = super().get_context(request, *args, **kwargs)
        # serve() has already worked out access (and recorded the visit); reuse it.
        access = getattr(request, "_lesson_access", None)
        if access is None and getattr(request, "is_preview", False):
            # Previews are only reachable from the admin: editors see the whole body.
            access = {**lesson_access(lesson=self, user=request.user), "access": "manage"}
        context.update(lesson_context(lesson=self, user=request.user, access=access))
        return context


class LessonProgress(models.Model):
    """One learner's progress in one lesson.

    ``watched`` holds the merged intervals of video actually played, so completion counts
    distinct seconds: seeking to the end adds nothing, watching a part twice counts once.
    One row per learner and lesson across the lesson's translations: ``lesson_key`` and
    ``course_key`` are the pages' Wagtail ``translation_key`` and are what lookups use;
    ``lesson`` and ``course`` are the translation where the learner started.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    # Denormalised so that dashboards and reports read a module's progress in one query.
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="lesson_progress")
    lesson_key = models.UUIDField(_("lesson (all its translations)"), editable=False)
    course_key = models.UUIDField(_("module (all its translations)"), editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    position = models.FloatField(_("last position (s)"), default=0)
    duration = models.FloatField(_("video duration (s)"), default=0)
    watched = models.JSONField(_("watched intervals"), default=list, blank=True)
    seconds_watched = models.FloatField(_("distinct seconds watched"), default=0)
    time_spent = models.PositiveIntegerField(_("time spent (s)"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_beat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson_key"], name="one_progress_per_lesson")]
        indexes = [
            models.Index(fields=["user", "course_key"], name="lessons_prog_user_course"),
            models.Index(fields=["course_key", "status"], name="lessons_prog_course_status"),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.percent}%"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def resume_position(self) -> float:
        """Where the video should start: the last position, or 0 when it was watched to the end."""
        # Within the last few seconds (5 %, at most 2 s) the video counts as finished: start over.
        if self.duration and self.position >= self.duration - min(2.0, self.duration * 0.05):
            return 0
        return round(self.position, 1)


class Quiz(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A quiz with its questions, embedded in lessons. Graded on the server only.

    Quizzes go through review as pages do: an edit is a revision (the row and its questions
    stay as published until the revision is), so learners only ever get the live quiz, and
    one never published (``live`` false) is not offered to them at all.
    """

    class Reveal(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_PASS = "after_pass", _("After passing")
        AFTER_LAST = "after_last", _("After passing or after the last attempt")

    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3, help_text=_("0 means unlimited."))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=0, help_text=_("0 means none."))
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn from the pool"), default=0, help_text=_("0 means every question.")
    )
    reveal_policy = models.CharField(
        _("show correct answers"), max_length=12, choices=Reveal.choices, default=Reveal.AFTER_LAST
    )
    feedback_pass = models.TextField(_("feedback when passed"), blank=True)
    feedback_fail = models.TextField(_("feedback when failed"), blank=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState", content_type_field="base_content_type", object_id_field="object_id",
        related_query_name="quiz", for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("draw_count"),
                FieldPanel("reveal_policy"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("feedback_pass"),
        FieldPanel("feedback_fail"),
        InlinePanel("questions", heading=_("Questions"), label=_("Question"), min_num=1),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        """The quiz's revisions (Wagtail's RevisionMixin reads them through this name)."""
        return self._revisions


class Question(Orderable):
    """A quiz question. Options are StreamField blocks so each keeps a stable id."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        SHORT_TEXT = "short_text", _("Short text")
        NUMERIC = "numeric", _("Number")
        ORDERING = "ordering", _("Ordering")

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"))
    points = models.PositiveSmallIntegerField(_("points"), default=1, validators=[MinValueValidator(1)])
    options = StreamField([("option", OptionBlock())], verbose_name=_("options"), blank=True)
    correct_true = models.BooleanField(_("the statement is true"), default=True)
    accepted_answers = models.TextField(
        _("accepted answers"), blank=True, help_text=_("One per line; compared ignoring case, accents and Arabic diacritics.")
    )
    numeric_answer = models.DecimalField(_("numeric answer"), max_digits=14, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(_("tolerance"), max_digits=14, decimal_places=4, default=0)
    explanation = models.TextField(_("explanation"), blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("points"),
        FieldPanel("options"),
        FieldPanel("correct_true"),
        FieldPanel("accepted_answers"),
        FieldPanel("numeric_answer"),
        FieldPanel("tolerance"),
        FieldPanel("explanation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        super().clean()
        options = [child.value for child in self.options]
        correct = sum(1 for option in options if option.get("correct"))
        if self.kind == self.Kind.SINGLE and (len(options) < 2 or correct != 1):
            raise ValidationError({"options": _("A single-choice question needs two options or more, exactly one correct.")})
        if self.kind == self.Kind.MULTIPLE and (len(options) < 2 or correct < 1):
            raise ValidationError({"options": _("A multiple-choice question needs two options or more, one correct at least.")})
        if self.kind == self.Kind.ORDERING and len(options) < 2:
            raise ValidationError({"options": _("An ordering question needs two options or more, in the correct order.")})
        if self.kind == self.Kind.SHORT_TEXT and not self.accepted_answers.strip():
            raise ValidationError({"accepted_answers": _("Give at least one accepted answer.")})
        if self.kind == self.Kind.NUMERIC and self.numeric_answer is None:
            raise ValidationError({"numeric_answer": _("Give the expected number.")})


class QuizAttempt(models.Model):
    """One attempt at a quiz: the questions drawn, their option order, the answers and the grade.

    Attempts are numbered per learner, lesson and quiz place across the lesson's translations
    (``lesson_key``, ``slot``): passing the Arabic quiz passes the French one, and the attempts
    allowed are counted once. ``quiz`` and ``lesson`` are the translation actually taken.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Time ran out")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="quiz_attempts")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson_key = models.UUIDField(_("lesson (all its translations)"), editable=False)
    course_key = models.UUIDField(_("module (all its translations)"), editable=False)
    slot = models.PositiveSmallIntegerField(_("place of the quiz in the lesson"), default=0)
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # [{"id": question id, "options": [option ids in the order shown]}]: fixed at start so that a
    # reload shows the same draw and a submission can be checked against it.
    layout = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, default=0)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=0)
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key", "slot", "number"], name="one_attempt_number_per_quiz")
        ]
        indexes = [
            models.Index(fields=["user", "lesson_key"], name="lessons_att_user_lesson"),
            models.Index(fields=["course_key", "passed"], name="lessons_att_course_passed"),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"


class VideoDocumentProbe(models.Model):
    """The duration of an MP4 document (a lesson video made before the media pipeline),
    probed on the server when the file was stored.

    Heartbeats measure progress against this duration, never against the one the
    player sends: until the file is probed a video lesson cannot be completed by watching.
    """

    document = models.OneToOneField(
        get_document_model_string(), on_delete=models.CASCADE, related_name="video_probe", verbose_name=_("document")
    )
    # The stored file this duration belongs to: a document whose file is replaced is probed again.
    file_name = models.CharField(_("file name"), max_length=500)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True, help_text=_("Empty when unreadable."))
    probed_at = models.DateTimeField(_("probed at"))

    class Meta:
        verbose_name = _("video document probe")
        verbose_name_plural = _("video document probes")

    def __str__(self):
        return f"{self.document_id} · {self.duration}"


# Kept in its own module (offline lessons); imported here so that Django registers it.
from .offline_models import ReplayReceipt  # noqa: E402, F401
