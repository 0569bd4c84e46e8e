"""StreamField blocks of a lesson's body."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from media_pipeline.blocks import VideoBlock
from media_pipeline.selectors import player_sources


class LessonVideoBlock(blocks.StructBlock):
    """The lesson's video: a recording from the media pipeline (adaptive HLS player),
    or, for content made before the pipeline, an MP4 document in a plain ``<video>``.

    Both players keep the same progress contract (``data-progress-url``,
    ``data-resume-at``), so resuming and completion work whichever the editor chose.
    """

    recording = VideoBlock(label=_("recording (adaptive streaming)"), required=False)
    video = DocumentChooserBlock(label=_("video file (MP4)"), required=False)
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "lessons/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("recording") and not value.get("video"):
            raise StructBlockValidationError(
                block_errors={"recording": ValidationError(_("Choose a recording or an MP4 file."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        from django.urls import reverse

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        progress = parent_context.get("progress")
        recording = value.get("recording")
        context["asset"] = recording
        # Lesson bodies are for enrolled learners only: their recordings play through
        # short-lived signed URLs, never a link that works forever outside the module.
        user = getattr(parent_context.get("request"), "user", None)
        context["player"] = player_sources(recording, signed=True, user=user) if recording else None
        context["video_url"] = reverse("lessons:video", args=[value["video"].pk]) if value.get("video") else ""
        context["progress_url"] = reverse("lesson_progress", args=[page.pk]) if page is not None else ""
        context["resume_at"] = progress.resume_position if progress is not None else 0
        return context


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "lessons/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "lessons/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Information")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="info",
        # The kind's label is translated in whatever language the indexer runs:
        # a French lesson would be found by the Arabic word for "tip".
        search_index=False,
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "lessons/blocks/callout.html"


class QuizBlock(blocks.StructBlock):
    """Embeds a quiz; the lesson template renders it with the learner's attempts."""

    quiz = SnippetChooserBlock("lessons.Quiz", label=_("quiz"))

    class Meta:
        icon = "tasks"
        label = _("Quiz")


class OptionBlock(blocks.StructBlock):
    """An answer option; its block id is the option's stable identifier in attempts."""

    text = blocks.CharBlock(label=_("text"), max_length=500)
    correct = blocks.BooleanBlock(
        label=_("correct"), required=False,
        help_text=_("For ordering questions, list the options in the correct order instead."),
    )
    feedback = blocks.CharBlock(label=_("feedback"), required=False, max_length=500)

    class Meta:
        icon = "list-ul"
        label = _("Option")


class LessonBodyBlock(blocks.StreamBlock):
    video = LessonVideoBlock()
    text = blocks.RichTextBlock(label=_("Rich text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quiz = QuizBlock()
