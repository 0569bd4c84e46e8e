"""Demo content: the twelve themes of the institution's training plan, one module each,
with three lessons and a quiz per module, a trainer, and a demo learner at different stages."""

from datetime import timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from courses.models import CourseIndexPage, CoursePage
from vocabulary.models import Person
from vocabulary.services import person_ensure, theme_ensure

from . import accounts as accounts_demo
from . import media
from .courses_content import LESSONS, QUIZZES
from .pages import ensure_child, ensure_translation, go_live, locale

LEVELS = ["introductory", "intermediate", "advanced"]
AUDIENCE = {
    "ar": "المنتخبون والمنتخبات، وأطر وموظفو الجماعات الترابية بجهة مراكش آسفي.",
    "fr": "Les élus et élues, les cadres et les agents des collectivités territoriales de Marrakech-Safi.",
}
VIDEO_TITLE = "Takwin demo clip"


# slug, Arabic title, French title, Arabic summary, French summary
THEMES = [
    (
        "legal-framework",
        "الإطار القانوني والمؤسساتي للجماعات الترابية",
        "Cadre juridique et institutionnel des collectivités territoriales",
        "القوانين التنظيمية للجماعات الترابية، واختصاصات الجماعة ومجلسها ورئيسها، وعلاقتها بالدولة وبباقي الجماعات الترابية.",
        "Les lois organiques des collectivités territoriales, les compétences de la commune, de son conseil et de son président, et ses relations avec l'État et les autres collectivités.",
    ),
    (
        "governance",
        "تحسين الحكامة",
        "Amélioration de la gouvernance",
        "مبادئ الحكامة الجيدة في تدبير الشأن المحلي: الشفافية والمساءلة والنجاعة، وأدوات قياس الأداء.",
        "Les principes de bonne gouvernance dans la gestion locale : transparence, redevabilité, efficacité, et les outils de mesure de la performance.",
    ),
    (
        "action-programme",
        "برنامج عمل الجماعة",
        "Le programme d'action de la commune",
        "مراحل إعداد برنامج عمل الجماعة وتتبعه وتقييمه، من التشخيص التشاركي إلى برمجة المشاريع.",
        "Élaborer, suivre et évaluer le programme d'action de la commune, du diagnostic participatif à la programmation des projets.",
    ),
    (
        "digital-procedures",
        "التحول الرقمي للمساطر الإدارية",
        "Transformation numérique des procédures administratives",
        "رقمنة المساطر والخدمات الجماعية، والمنصات الوطنية، وتبسيط المساطر لفائدة المرتفقين.",
        "La dématérialisation des procédures et des services communaux, les plateformes nationales et la simplification au service des usagers.",
    ),
    (
        "revenue-expenditure",
        "النظام المندمج للمداخيل والنفقات",
        "Le système intégré des recettes et des dépenses",
        "تدبير ميزانية الجماعة عبر النظام المندمج للمداخيل والنفقات: التحصيل والالتزام والأداء.",
        "Gérer le budget communal avec le système intégré des recettes et des dépenses : recouvrement, engagement et paiement.",
    ),
    (
        "internal-audit",
        "التدقيق الداخلي ومراقبة التدبير",
        "Audit interne et contrôle de gestion",
        "إرساء وظيفة التدقيق الداخلي ومراقبة التدبير في الجماعة، وخرائط المخاطر ولوحات القيادة.",
        "Mettre en place l'audit interne et le contrôle de gestion dans la commune : cartographie des risques et tableaux de bord.",
    ),
    (
        "gender-approach",
        "مقاربة النوع في السياسات العمومية الترابية",
        "L'approche genre dans les politiques publiques territoriales",
        "إدماج مقاربة النوع في التخطيط والميزانية على المستوى الترابي، وهيئة المساواة وتكافؤ الفرص ومقاربة النوع.",
        "Intégrer l'approche genre dans la planification et la budgétisation territoriales, et l'instance de l'équité, de l'égalité des chances et de l'approche genre.",
    ),
    (
        "citizen-participation",
        "المشاركة المدنية والمواطنة",
        "Participation civile et citoyenne",
        "آليات الديمقراطية التشاركية: العرائض، وهيئات التشاور، وإشراك المجتمع المدني في تدبير الشأن المحلي.",
        "Les mécanismes de la démocratie participative : pétitions, instances de concertation et implication de la société civile.",
    ),
    (
        "land-use-planning",
        "إعداد التراب والتخطيط المجالي",
        "Aménagement du territoire et planification spatiale",
        "وثائق إعداد التراب والتخطيط المجالي، وانسجام برامج الجماعة مع التصميم الجهوي لإعداد التراب.",
        "Les documents d'aménagement du territoire et la cohérence des programmes communaux avec le schéma régional.",
    ),
    (
        "project-management",
        "التخطيط الترابي وتدبير المشاريع",
        "Planification territoriale et gestion de projets",
        "منهجية تدبير المشاريع الترابية: الدراسة والبرمجة والتمويل والتنفيذ والتتبع.",
        "La gestion de projets territoriaux : étude, programmation, financement, exécution et suivi.",
    ),
    (
        "urbanism-environment-mobility",
        "التعمير والبيئة والتنقل",
        "Urbanisme, environnement et mobilité",
        "وثائق التعمير ورخص البناء، وحماية البيئة، وتنظيم النقل والتنقل الحضري.",
        "Les documents d'urbanisme et les autorisations de construire, la protection de l'environnement et l'organisation de la mobilité.",
    ),
    (
        "gis",
        "نظم المعلومات الجغرافية",
        "Systèmes d'information géographique",
        "استعمال نظم المعلومات الجغرافية في تدبير المجال الجماعي: الخرائط والمعطيات المجالية واتخاذ القرار.",
        "Utiliser les SIG pour gérer le territoire communal : cartes, données spatiales et aide à la décision.",
    ),
]


def load(homes: dict) -> list[CoursePage]:
    """The twelve themes and one module per theme, in Arabic and French."""
    catalogue_ar = CourseIndexPage.objects.child_of(homes["ar"]).get(slug="courses")
    modules = []
    for order, (slug, title_ar, title_fr, summary_ar, summary_fr) in enumerate(THEMES, start=1):
        themes = theme_ensure(slug=slug, names={"ar": title_ar, "fr": title_fr}, sort_order=order)
        level = LEVELS[(order - 1) % 3]
        module = ensure_child(
            catalogue_ar,
            CoursePage,
            slug=slug,
            title=title_ar,
            summary=summary_ar,
            theme=themes["ar"],
            featured=order <= 6,
            level=level,
            audience=AUDIENCE["ar"],
        )
        ensure_translation(
            module,
            "fr",
            title=title_fr,
            slug=slug,
            summary=summary_fr,
            theme=themes["fr"],
            level=level,
            audience=AUDIENCE["fr"],
        )
        modules.append(module)
    accounts_demo.load()  # idempotent; the trainer's and learner's accounts must exist first
    video = demo_video()
    recording = demo_recording(video)
    for module in modules:
        load_lessons(module, video=video, recording=recording)
    trainer = load_trainer()
    for module in modules:
        for page in (module, module.get_translation(locale("fr"))):
            page = page.specific
            if trainer not in page.trainers.all():
                page.trainers.add(trainer)
                go_live(page)
    load_learner(modules)
    return modules


def demo_video():
    """A 20-second clip generated by ffmpeg, stored once as a Wagtail document (None without ffmpeg)."""
    from wagtail.documents import get_document_model

    Document = get_document_model()
    existing = Document.objects.filter(title=VIDEO_TITLE).first()
    if existing is not None:
        return existing
    content = media.clip(seconds=20, crf=30)
    if content is None:
        return None
    document = Document(title=VIDEO_TITLE)
    document.file.save("takwin-demo.mp4", ContentFile(content), save=True)
    from lessons.services import video_document_probe

    # The worker probes stored videos after the commit; the demo learner's progress needs it now.
    video_document_probe(document_id=document.pk)
    return document


RECORDING_TITLE = "Takwin demo recording"
CAPTIONS = {
    "ar": (
        "العربية",
        "WEBVTT\n\n00:00:00.500 --> 00:00:06.000\nمرحبا بكم في منصة تكوين لدار المنتخب.\n\n"
        "00:00:06.500 --> 00:00:13.000\nيمكنكم اختيار الجودة والسرعة ولغة الترجمة من أزرار المشغل.\n\n"
        "00:00:13.500 --> 00:00:19.500\nيحفظ تقدمكم تلقائيا وتستأنفون من حيث توقفتم.\n",
    ),
    "fr": (
        "Français",
        "WEBVTT\n\n00:00:00.500 --> 00:00:06.000\nBienvenue sur Takwin, la plateforme de la Maison de l'Élu.\n\n"
        "00:00:06.500 --> 00:00:13.000\nChoisissez la qualité, la vitesse et les sous-titres dans le lecteur.\n\n"
        "00:00:13.500 --> 00:00:19.500\nVotre progression est enregistrée ; vous reprenez où vous étiez.\n",
    ),
}


def demo_recording(video):
    """The demo clip as a media-pipeline recording with Arabic and French captions, queued
    for the worker (``make run`` starts it), so lessons show the adaptive player; the MP4
    stays in the block as the fallback until the recording is ready."""
    from django.conf import settings

    from media_pipeline import get_media_model
    from media_pipeline.services import asset_create, caption_set

    if video is None or not getattr(settings, "DEMO_RECORDINGS", True):
        return None
    Asset = get_media_model()
    existing = Asset.objects.filter(title=RECORDING_TITLE).first()
    if existing is not None:
        return existing
    from accounts.models import User

    trainer = User.objects.filter(email="trainer@takwin.test").first()
    with video.file.open("rb") as handle:
        asset = asset_create(user=trainer, file=File(handle), filename="takwin-demo.mp4", title=RECORDING_TITLE)
    for language, (label, text) in CAPTIONS.items():
        caption_set(asset=asset, language=language, label=label, content=text.encode())
    return asset


def _quiz(slug: str, lang: str, title: str):
    """The module's quiz in one language: created with its five questions, left alone afterwards."""
    from lessons.models import Quiz
    from lessons.services import quiz_create

    quiz_title = ("اختبار: " if lang == "ar" else "Quiz : ") + title
    quiz = Quiz.objects.filter(title=quiz_title).first()
    if quiz is not None:
        return quiz
    col = 0 if lang == "ar" else 1
    questions = []
    for kind, text_ar, text_fr, answer in QUIZZES[slug]:
        fields = {"kind": kind, "text": text_ar if lang == "ar" else text_fr}
        if kind in ("single", "multiple", "ordering"):
            fields["options"] = [
                ("option", {"text": option[col], "correct": option[2] and kind != "ordering", "feedback": ""})
                for option in answer
            ]
        elif kind == "true_false":
            fields["correct_true"] = answer
        elif kind == "short_text":
            fields["accepted_answers"] = answer[col]
        elif kind == "numeric":
            fields["numeric_answer"], fields["tolerance"] = answer
        questions.append(fields)
    return quiz_create(
        title=quiz_title,
        questions=questions,
        pass_mark=60,
        max_attempts=3,
        time_limit_minutes=15,
        shuffle_options=True,
        reveal_policy=Quiz.Reveal.AFTER_LAST,
        feedback_pass="أحسنتم! لقد اجتزتم الاختبار." if lang == "ar" else "Bravo ! Vous avez réussi le quiz.",
        feedback_fail="راجعوا الدروس ثم أعيدوا المحاولة." if lang == "ar" else "Revoyez les leçons puis réessayez.",
    )


def _bodies(slug: str, n: int, lang: str, video, quiz, recording=None) -> list:
    title_ar, text_ar, title_fr, text_fr = LESSONS[slug][n]
    text = text_ar if lang == "ar" else text_fr
    body = []
    if n == 0 and video is not None:
        body.append(
            (
                "video",
                {
                    "recording": recording,
                    "video": video,
                    "poster": None,
                    "caption": title_ar if lang == "ar" else title_fr,
                },
            )
        )
    body.append(("text", f"<p>{text}</p>"))
    if n == 0:
        body.append(
            (
                "callout",
                {
                    "kind": "tip",
                    "title": "نصيحة" if lang == "ar" else "Conseil",
                    "text": (
                        "<p>شاهدوا الفيديو إلى النهاية: يحفظ تقدمكم تلقائيا وتستأنفون من حيث توقفتم.</p>"
                        if lang == "ar"
                        else "<p>Regardez la vidéo jusqu'au bout : votre progression est enregistrée et vous reprenez là où vous "
                        "vous êtes arrêté.</p>"
                    ),
                },
            )
        )
    if n == 2:
        body.append(("quiz", {"quiz": quiz}))
    return body


def load_lessons(module: CoursePage, *, video, recording=None) -> None:
    """Three lessons per module in Arabic and French; the last one holds the module's quiz."""
    from lessons.models import LessonPage

    slug = module.slug
    fr_module = module.get_translation(locale("fr")).specific
    quizzes = {"ar": _quiz(slug, "ar", module.title), "fr": _quiz(slug, "fr", fr_module.title)}
    for n in range(3):
        title_ar, _text_ar, title_fr, _text_fr = LESSONS[slug][n]
        rule = "video" if n == 0 and video is not None else "quiz" if n == 2 else "view"
        lesson_slug = f"lesson-{n + 1}"
        lesson = LessonPage.objects.child_of(module).filter(slug=lesson_slug).first()
        if lesson is None:
            now = timezone.now()
            lesson = LessonPage(
                title=title_ar,
                slug=lesson_slug,
                locale=module.locale,
                completion_rule=rule,
                estimated_minutes=10 + 5 * n,
                body=_bodies(slug, n, "ar", video, quizzes["ar"], recording),
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            module.add_child(instance=lesson)
        if lesson.get_translation_or_none(locale("fr")) is None:
            translated = lesson.copy_for_translation(locale("fr")).specific
            translated.title = title_fr
            translated.body = _bodies(slug, n, "fr", video, quizzes["fr"], recording)
            go_live(translated)


def load_trainer() -> Person:
    """The demo trainer, linked to the trainer account so that it sees the modules' reports."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email="trainer@takwin.test").first()
    trainer = person_ensure(
        name_ar="كريم الإدريسي", name_fr="Karim El Idrissi", affiliation_ar="دار المنتخب · جهة مراكش آسفي",
        affiliation_fr="Maison de l'Élu · Marrakech-Safi", kind=Person.Kind.TRAINER, user=user,
    )
    return trainer


def _perfect_answers(attempt) -> dict[str, list[str]]:
    from lessons.grading import correct_option_ids
    from lessons.models import Question

    data = {}
    for item in attempt.layout:
        question = Question.objects.get(pk=item["id"])
        field = f"q-{question.pk}"
        if question.kind == "ordering":
            for position, oid in enumerate(correct_option_ids(question), start=1):
                data[f"{field}-{oid}"] = [str(position)]
        elif question.kind in ("single", "multiple", "true_false"):
            data[field] = correct_option_ids(question)
        elif question.kind == "short_text":
            data[field] = [question.accepted_answers.splitlines()[0]]
        else:
            data[field] = [str(question.numeric_answer)]
    return data


def load_learner(modules: list[CoursePage]) -> None:
    """The demo learner: one module completed with its certificate, one half-watched, one just enrolled,
    and a French module with a failed quiz attempt."""
    from django.contrib.auth import get_user_model

    from courses.models import Enrolment
    from courses.services import enrolment_create
    from lessons.models import LessonPage
    from lessons.services import (
        progress_mark_viewed,
        progress_record_heartbeat,
        quiz_attempt_start,
        quiz_attempt_submit,
    )

    user = get_user_model().objects.get(email="learner@takwin.test")
    if Enrolment.objects.filter(user=user).exists():
        return
    start = timezone.now() - timedelta(days=6)

    def lessons(module):
        return list(LessonPage.objects.child_of(module).live().order_by("path"))

    def watch(lesson, module, until, at):
        progress_mark_viewed(user=user, lesson=lesson, course_id=module.pk, now=at)
        if lesson.has_video():
            progress_record_heartbeat(
                user=user,
                lesson=lesson,
                course_id=module.pk,
                position=until,
                duration=20.0,
                ranges=[[0, until]],
                now=at + timedelta(seconds=until + 1),
            )

    def take_quiz(lesson, module, at, *, perfect):
        quiz_id = lesson.quiz_ids()[0]
        from lessons.models import Quiz

        attempt = quiz_attempt_start(
            user=user, quiz=Quiz.objects.get(pk=quiz_id), lesson=lesson, course_id=module.pk, now=at
        )
        quiz_attempt_submit(
            attempt=attempt, user=user, data=_perfect_answers(attempt) if perfect else {}, now=at + timedelta(minutes=4)
        )

    done, halfway, enrolled, french = modules[0], modules[1], modules[2], modules[3].get_translation(locale("fr"))
    for n, module in enumerate((done, halfway, enrolled, french)):
        enrolment_create(user=user, course=module.specific, now=start + timedelta(days=n))
    first, second, third = lessons(done)
    watch(first, done, 20, start)
    watch(second, done, 0, start + timedelta(hours=1))
    take_quiz(third, done, start + timedelta(hours=2), perfect=True)
    watch(lessons(halfway)[0], halfway, 8, start + timedelta(days=2))
    f_first, f_second, f_third = lessons(french)
    watch(f_first, french, 20, start + timedelta(days=3))
    watch(f_second, french, 0, start + timedelta(days=3, hours=1))
    take_quiz(f_third, french, start + timedelta(days=3, hours=2), perfect=False)
