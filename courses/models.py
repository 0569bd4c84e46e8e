"""The course catalogue: the catalogue page, one page per module, enrolments and certificates.

Themes and trainers are the shared vocabulary's (``vocabulary.Theme``, ``vocabulary.Person``)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from vocabulary.models import Person, Theme

#: Wagtail hook adding to a module page's context: ``fn(*, course, user) -> dict``.
COURSE_PAGE_CONTEXT_HOOK = "course_page_context"
#: Functions ``(courses=[...]) -> {course id: {"minutes": …, "lessons": …}}`` giving the length
#: (the estimate unless an editor sets one) and the lesson count of modules from their lessons
#: (the lessons app registers one; courses reads no lesson itself).
COURSE_LESSON_FACTS_HOOK = "course_lesson_facts"


class CourseIndexPage(Page):
    """The catalogue of modules (``/courses/``)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue

        context = super().get_context(request, *args, **kwargs)
        params = request.GET
        context.update(
            catalogue(index=self, theme=params.get("theme", ""), level=params.get("level", ""), query=params.get("q", ""))
        )
        return context


class CoursePage(Page):
    """One training module: what it covers and for whom; its lessons are child pages."""

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class CompletionRule(models.TextChoices):
        LESSONS = "lessons", _("All required lessons completed")
        LESSONS_AND_QUIZZES = "lessons_quizzes", _("All required lessons completed and every quiz passed")

    class EnrolmentMode(models.TextChoices):
        OPEN = "open", _("Open: any signed-in learner may enrol")
        COHORT = "cohort", _("Restricted to the chosen groups (cohorts)")

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=600)
    body = RichTextField(_("description"), blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INTRODUCTORY)
    objectives = RichTextField(_("objectives"), blank=True)
    audience = models.TextField(_("audience"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=4, decimal_places=1, null=True, blank=True,
        help_text=_("Leave empty to use the sum of the lessons' durations."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    trainers = ParentalManyToManyField(Person, verbose_name=_("trainers"), blank=True, related_name="courses")
    completion_rule = models.CharField(
        _("completion rule"), max_length=20, choices=CompletionRule.choices, default=CompletionRule.LESSONS_AND_QUIZZES
    )
    certificate_enabled = models.BooleanField(_("issue a certificate on completion"), default=True)
    sequential = models.BooleanField(
        _("sequential lessons"), default=False, help_text=_("A lesson opens only once the previous ones are completed.")
    )
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=10, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    cohorts = ParentalManyToManyField(
        "auth.Group", verbose_name=_("cohorts"), blank=True, related_name="+",
        help_text=_("With restricted enrolment, only members of these groups may enrol."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
        FieldPanel("prerequisites"),
        FieldPanel("level"),
        FieldPanel("estimated_hours"),
        FieldPanel("trainers"),
        MultiFieldPanel(
            [
                FieldPanel("enrolment_mode"),
                FieldPanel("cohorts"),
                FieldPanel("completion_rule"),
                FieldPanel("sequential"),
                FieldPanel("certificate_enabled"),
            ],
            heading=_("Enrolment and completion"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("featured")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("theme"),
        index.FilterField("locale"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    # ``subpage_types`` (lessons only) is set by the lessons app, which sits above this one.

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_enrolment_data, course_minutes

        context = super().get_context(request, *args, **kwargs)
        context.update(course_enrolment_data(course=self, user=request.user))
        context["course_minutes"] = course_minutes([self])[self.pk]
        # The lesson outline with the visitor's progress comes from the lessons app, which
        # sits above this one: it registers a function under this hook (lessons/wagtail_hooks.py).
        for provide in hooks.get_hooks(COURSE_PAGE_CONTEXT_HOOK):
            context.update(provide(course=self, user=request.user))
        return context


class Enrolment(models.Model):
    """A learner's enrolment in a module. Unenrolling keeps the row (and all progress) as history.

    One row per learner and module across the module's translations: ``course_key`` is the
    module's Wagtail ``translation_key`` (the same in Arabic and French) and is what lookups use;
    ``course`` is the translation the learner enrolled in.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Enrolled")
        UNENROLLED = "unenrolled", _("Unenrolled")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    course_key = models.UUIDField(_("module (all its translations)"), editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    unenrolled_at = models.DateTimeField(_("unenrolled at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_module")]
        indexes = [models.Index(fields=["course_key", "status"], name="courses_enrol_key_status")]

    def __str__(self):
        return f"{self.user} · {self.course}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


def _certificate_code() -> str:
    # 10 characters from an alphabet without look-alikes (0/O, 1/I): easy to read aloud or type.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class CertificateKind(models.TextChoices):
    """What a certificate certifies. Every kind shares the code, the PDF and the verification page;
    apps above this one (the programme) issue the other kinds with ``certificate_issue_for``."""

    MODULE = "module", _("Module completed")
    ATTENDANCE = "attendance", _("Session attended")
    CYCLE = "cycle", _("Training cycle completed")


class Certificate(models.Model):
    """A certificate, issued once per learner and subject, publicly verifiable by code: a module's
    completion (``course``), or another kind (``kind``) named by ``subject`` (a session's code, a cohort).

    The learner's name and the title of what is certified are copied at issue time: the certificate
    states what was true that day even if the profile or the page changes later. One valid module
    certificate per learner and module across its translations (``course_key``, as for enrolments);
    ``course`` and ``language`` are the translation the learner completed.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=12, choices=CertificateKind.choices, default=CertificateKind.MODULE)
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="certificates", null=True, blank=True)
    course_key = models.UUIDField(_("module (all its translations)"), editable=False, null=True, blank=True)
    #: For kinds other than a module: a stable name of what is certified (one certificate per user and subject).
    subject = models.CharField(_("subject"), max_length=64, blank=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=_certificate_code)
    learner_name = models.CharField(_("learner's name"), max_length=150)
    course_title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=2, default="ar")
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    panels = [
        FieldPanel("code", read_only=True),
        FieldPanel("learner_name", read_only=True),
        FieldPanel("course_title", read_only=True),
        FieldPanel("issued_at", read_only=True),
        FieldPanel("revoked_at", read_only=True),
        FieldPanel("revocation_reason", read_only=True),
    ]

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        # A certificate revoked when the two languages' records were merged stays verifiable
        # (and says by which one it was replaced): only valid certificates are unique.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key"], condition=models.Q(revoked_at__isnull=True, kind="module"),
                name="one_valid_certificate_per_module",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "subject"], condition=~models.Q(kind="module"), name="one_certificate_per_subject",
            ),
        ]
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.code} · {self.learner_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
