"""StreamField blocks of a lesson's body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class LessonVideoBlock(blocks.StructBlock):
    """The lesson's video, played by a plain HTML5 ``<video>`` element.

    Kept in this one class on purpose: when the media pipeline lands, only the inner
    player (the template and ``video_source``) changes, while the progress contract
    (``data-progress-url``, ``data-resume-at``) stays where it is.
    """

    video = DocumentChooserBlock(label=_("video file (MP4)"))
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "lessons/blocks/video.html"

    def get_context(self, value, parent_context=None):
        from django.urls import reverse

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        progress = parent_context.get("progress")
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
