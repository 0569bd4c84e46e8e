"""StreamField blocks of a lesson's body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from media_pipeline.blocks import RecordedVideoBlock


class LessonVideoBlock(RecordedVideoBlock):
    """The lesson's video: the media pipeline's recorded-video block, configured for lessons.

    Lesson bodies are for enrolled learners only: their recordings play through short-lived
    signed URLs, never a link that works forever outside the module; the player reports to
    the lesson's heartbeat endpoint, and MP4 files are served with byte ranges by ``lessons:video``.
    """

    class Meta:
        signed = True
        progress_url_name = "lesson_progress"
        file_url_name = "lessons:video"


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
