"""Demo content for the archive: the institution's public history and generated entries, in Arabic and French.

The "real" entries summarise figures published in the press (marked as such in their source
field); the generated ones are fictional and say so. Running this twice changes nothing:
an activity whose reference code exists is left alone.
"""

import datetime
import io
import random

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from archive.models import ActivityImage, ActivityPage, ActivitySeriesPage, ArchiveIndexPage
from archive.services import ActivityData, PartnerData, activity_upsert
from vocabulary.services import person_ensure

from . import media
from .pages import ensure_child, ensure_translation

PRESS = {"ar": "جُمعت من تقارير صحفية منشورة", "fr": "Compilé à partir de comptes rendus de presse publics"}
# The institution's own venue, as each language names it.
HOUSE = {"ar": "دار المنتخب", "fr": "Maison de l'Élu"}
# Where the generated activities meet (their commune is written beside it).
TOWN_HALL = {"ar": "مقر الجماعة", "fr": "Siège de la commune"}
GENERATED = {"ar": "مدخل تجريبي مولَّد (خيالي)", "fr": "Notice de démonstration générée (fictive)"}
ALL_THEMES = [
    "legal-framework",
    "governance",
    "action-programme",
    "digital-procedures",
    "revenue-expenditure",
    "internal-audit",
    "gender-approach",
    "citizen-participation",
    "land-use-planning",
    "project-management",
    "urbanism-environment-mobility",
    "gis",
]

SERIES = [
    ("plan-2011", "plan-year", "MDE-S-2011", "برنامج التكوين 2011", "Programme de formation 2011"),
    ("plan-2014", "plan-year", "MDE-S-2014", "برنامج التكوين 2014", "Programme de formation 2014"),
    ("plan-2017", "plan-year", "MDE-S-2017", "برنامج التكوين 2017", "Programme de formation 2017"),
    (
        "plan-2022-2026",
        "plan-year",
        "MDE-S-2022",
        "مخطط التكوين بعد انتخابات 2021",
        "Plan de formation après les élections de 2021",
    ),
    ("tot", "cycle", "MDE-S-TOT", "دورة تكوين المكونين", "Cycle de formation de formateurs"),
]

REAL = [
    {
        "reference_code": "MDE-2011-PROG",
        "series_slug": "plan-2011",
        "activity_type": "training-session",
        "start_date": datetime.date(2011, 2, 1),
        "end_date": datetime.date(2011, 12, 20),
        "beneficiaries_total": 800,
        "communes_count": 189,
        "titles": {
            "ar": "برنامج التكوين لسنة 2011: 32 دورة تكوينية",
            "fr": "Programme de formation 2011 : 32 sessions",
        },
        "summaries": {
            "ar": "نظمت دار المنتخب سنة 2011 ما مجموعه 32 دورة تكوينية استفاد منها أزيد من 800 منتخب وإطار من 189 جماعة عضوة. تاريخا البداية والنهاية تقريبيان.",
            "fr": "En 2011, la Maison de l'Élu a organisé 32 sessions de formation au profit de plus de 800 élus et cadres de 189 communes membres. Dates de début et de fin approximatives.",
        },
        "venue": "Maison de l'Élu",
        "venues": HOUSE,
        "province": "marrakech",
        "commune": "Marrakech",
        "communes": {"ar": "مراكش", "fr": "Marrakech"},
        "theme_slugs": ["legal-framework", "governance"],
    },
    {
        "reference_code": "MDE-2014-PROG",
        "series_slug": "plan-2014",
        "activity_type": "training-session",
        "start_date": datetime.date(2014, 1, 15),
        "end_date": datetime.date(2014, 12, 15),
        "beneficiaries_total": 4447,
        "communes_count": 222,
        "titles": {
            "ar": "برنامج التكوين لسنة 2014: 18 دورة لفائدة 4447 مستفيدا",
            "fr": "Programme de formation 2014 : 18 sessions, 4 447 bénéficiaires",
        },
        "summaries": {
            "ar": "18 دورة تكوينية سنة 2014 لفائدة 4447 مستفيدا من 222 جماعة بالجهة. تاريخا البداية والنهاية تقريبيان.",
            "fr": "18 sessions de formation en 2014 pour 4 447 bénéficiaires venus de 222 communes de la région. Dates approximatives.",
        },
        "venue": "Maison de l'Élu",
        "venues": HOUSE,
        "province": "marrakech",
        "commune": "Marrakech",
        "communes": {"ar": "مراكش", "fr": "Marrakech"},
        "theme_slugs": ["action-programme", "revenue-expenditure"],
    },
    {
        "reference_code": "MDE-2017-S1",
        "series_slug": "plan-2017",
        "activity_type": "training-session",
        "start_date": datetime.date(2017, 1, 9),
        "end_date": datetime.date(2017, 6, 30),
        "beneficiaries_total": 3297,
        "titles": {
            "ar": "النصف الأول من 2017: 32 دورة لفائدة 3297 مستفيدا",
            "fr": "Premier semestre 2017 : 32 sessions, 3 297 bénéficiaires",
        },
        "summaries": {
            "ar": "خلال النصف الأول من سنة 2017 نظمت 32 دورة تكوينية استفاد منها 3297 منتخبا وإطارا.",
            "fr": "Au premier semestre 2017, 32 sessions de formation ont bénéficié à 3 297 élus et cadres.",
        },
        "venue": "Maison de l'Élu",
        "venues": HOUSE,
        "province": "marrakech",
        "commune": "Marrakech",
        "communes": {"ar": "مراكش", "fr": "Marrakech"},
        "theme_slugs": ["governance", "internal-audit", "digital-procedures"],
    },
    {
        "reference_code": "MDE-2022-PLAN",
        "series_slug": "plan-2022-2026",
        "activity_type": "training-session",
        "start_date": datetime.date(2022, 2, 1),
        "end_date": datetime.date(2023, 6, 30),
        "beneficiaries_total": 2047,
        "titles": {
            "ar": "دورات المحاور الاثني عشر بعد انتخابات 2021",
            "fr": "Les sessions sur les douze thèmes après les élections de 2021",
        },
        "summaries": {
            "ar": "بعد انتخابات 2021، دورات تكوينية حول المحاور الاثني عشر لمخطط التكوين لفائدة حوالي 2047 مستفيدا.",
            "fr": "Après les élections de 2021, des sessions sur les douze thèmes du plan de formation pour environ 2 047 bénéficiaires.",
        },
        "venue": "Maison de l'Élu",
        "venues": HOUSE,
        "province": "marrakech",
        "commune": "Marrakech",
        "communes": {"ar": "مراكش", "fr": "Marrakech"},
        "theme_slugs": ALL_THEMES,
    },
    {
        "reference_code": "MDE-2022-TOT1",
        "series_slug": "tot",
        "activity_type": "training-of-trainers",
        "start_date": datetime.date(2022, 10, 3),
        "end_date": datetime.date(2022, 10, 7),
        "beneficiaries_total": 20,
        "titles": {"ar": "الفوج الأول لتكوين المكونين", "fr": "Première promotion de formation de formateurs"},
        "summaries": {
            "ar": "فوج أول من 20 مكونا ومكونة لنقل محاور مخطط التكوين إلى الجماعات.",
            "fr": "Une première promotion de 20 formatrices et formateurs pour relayer les thèmes du plan dans les communes.",
        },
        "venue": "Maison de l'Élu",
        "venues": HOUSE,
        "province": "marrakech",
        "commune": "Marrakech",
        "communes": {"ar": "مراكش", "fr": "Marrakech"},
        "theme_slugs": ["project-management", "citizen-participation"],
    },
]

COMMUNES = {
    "marrakech": ["Marrakech", "Méchouar-Kasba", "Loudaya", "Harbil"],
    "al-haouz": ["Tahannaout", "Amizmiz", "Aït Ourir", "Asni"],
    "chichaoua": ["Chichaoua", "Imintanoute", "Mzouda"],
    "el-kelaa-des-sraghna": ["El Kelaâ des Sraghna", "Tamallalt", "Laattaouia"],
    "essaouira": ["Essaouira", "Tamanar", "Ounagha"],
    "rehamna": ["Benguerir", "Skhour Rehamna", "Sidi Bou Othmane"],
    "safi": ["Safi", "Sebt Gzoula", "Jemâat Shaim"],
    "youssoufia": ["Youssoufia", "Chemaia", "Ighoud"],
}
COMMUNES_AR = {
    "Marrakech": "مراكش",
    "Méchouar-Kasba": "المشور القصبة",
    "Loudaya": "لوداية",
    "Harbil": "حربيل",
    "Tahannaout": "تحناوت",
    "Amizmiz": "أمزميز",
    "Aït Ourir": "أيت أورير",
    "Asni": "أسني",
    "Chichaoua": "شيشاوة",
    "Imintanoute": "إمنتانوت",
    "Mzouda": "مزوضة",
    "El Kelaâ des Sraghna": "قلعة السراغنة",
    "Tamallalt": "تملالت",
    "Laattaouia": "العطاوية",
    "Essaouira": "الصويرة",
    "Tamanar": "تمنار",
    "Ounagha": "أوناغة",
    "Benguerir": "ابن جرير",
    "Skhour Rehamna": "صخور الرحامنة",
    "Sidi Bou Othmane": "سيدي بوعثمان",
    "Safi": "آسفي",
    "Sebt Gzoula": "سبت كزولة",
    "Jemâat Shaim": "جمعة سحيم",
    "Youssoufia": "اليوسفية",
    "Chemaia": "الشماعية",
    "Ighoud": "إيغود",
}
TOPICS = {
    "legal-framework": ("القوانين التنظيمية للجماعات", "les lois organiques des communes"),
    "governance": ("الحكامة الجيدة", "la bonne gouvernance"),
    "action-programme": ("برنامج عمل الجماعة", "le programme d'action communal"),
    "digital-procedures": ("رقمنة المساطر", "la dématérialisation des procédures"),
    "revenue-expenditure": ("تدبير المداخيل والنفقات", "la gestion des recettes et des dépenses"),
    "internal-audit": ("التدقيق الداخلي", "l'audit interne"),
    "gender-approach": ("مقاربة النوع", "l'approche genre"),
    "citizen-participation": ("الديمقراطية التشاركية", "la démocratie participative"),
    "land-use-planning": ("إعداد التراب", "l'aménagement du territoire"),
    "project-management": ("تدبير المشاريع", "la gestion de projets"),
    "urbanism-environment-mobility": ("التعمير والبيئة", "l'urbanisme et l'environnement"),
    "gis": ("نظم المعلومات الجغرافية", "les SIG"),
}
TYPES = {
    "training-session": ("دورة تكوينية حول", "Session de formation sur"),
    "workshop": ("ورشة حول", "Atelier sur"),
    "seminar": ("ندوة حول", "Séminaire sur"),
    "study-visit": ("زيارة دراسية حول", "Visite d'étude sur"),
    "conference": ("لقاء حول", "Conférence sur"),
}
# Fictional trainers and speakers for the generated entries: (French name, French affiliation,
# kind) as a record names them, and their Arabic forms, so that Arabic pages show Arabic names.
PEOPLE = [
    ("Karima Benali", "Université Cadi Ayyad", "academic"),
    ("Youssef Amrani", "Direction générale des collectivités territoriales", "state-official"),
    ("Leila Tazi", "Cabinet d'études territoriales", "expert"),
    ("Hassan Ouali", "Trésorerie provinciale", "state-official"),
    ("Samira El Idrissi", "École nationale d'architecture", "academic"),
    ("Omar Chraibi", "Consultant SIG", "expert"),
]
PEOPLE_AR = {
    "Karima Benali": ("كريمة بنعلي", "جامعة القاضي عياض"),
    "Youssef Amrani": ("يوسف العمراني", "المديرية العامة للجماعات الترابية"),
    "Leila Tazi": ("ليلى التازي", "مكتب الدراسات الترابية"),
    "Hassan Ouali": ("حسن الوالي", "الخزينة الإقليمية"),
    "Samira El Idrissi": ("سميرة الإدريسي", "المدرسة الوطنية للهندسة المعمارية"),
    "Omar Chraibi": ("عمر الشرايبي", "مستشار في نظم المعلومات الجغرافية"),
}
PARTNERS = [
    PartnerData("المديرية العامة للجماعات الترابية", "Direction générale des collectivités territoriales"),
    PartnerData("جامعة القاضي عياض", "Université Cadi Ayyad"),
    PartnerData("مجلس جهة مراكش آسفي", "Conseil de la région Marrakech-Safi"),
]


def generated_entries(count: int) -> list[dict]:
    """``count`` fictional activities spread over 2011-2025, reproducible (fixed seed)."""
    rng = random.Random(2011)
    entries = []
    for i in range(count):
        year = 2011 + i % 15
        theme = ALL_THEMES[(i * 5) % len(ALL_THEMES)]
        kind = list(TYPES)[i % len(TYPES)]
        province = list(COMMUNES)[(i * 3) % len(COMMUNES)]
        commune = rng.choice(COMMUNES[province])
        start = datetime.date(year, 1 + (i * 7) % 12, 1 + (i * 11) % 27)
        counts = {
            "elected_women": rng.randint(2, 15),
            "elected_men": rng.randint(8, 40),
            "staff_women": rng.randint(2, 20),
            "staff_men": rng.randint(3, 25),
            "other_women": rng.randint(0, 4),
            "other_men": rng.randint(0, 4),
        }
        topic_ar, topic_fr = TOPICS[theme]
        entries.append(
            {
                "reference_code": f"MDE-{year}-G{i:03d}",
                "activity_type": kind,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=rng.choice([0, 1, 2])),
                "titles": {
                    "ar": f"{TYPES[kind][0]} {topic_ar} – {COMMUNES_AR[commune]}",
                    "fr": f"{TYPES[kind][1]} {topic_fr} – {commune}",
                },
                "summaries": {
                    "ar": f"نشاط تجريبي خيالي حول {topic_ar} لفائدة منتخبي وأطر الجماعات المحيطة ب{COMMUNES_AR[commune]}.",
                    "fr": f"Activité de démonstration (fictive) sur {topic_fr} pour les élus et cadres des communes autour de {commune}.",
                },
                "venue": TOWN_HALL["fr"],
                "venues": TOWN_HALL,
                "province": province,
                "commune": commune,
                "communes": {"ar": COMMUNES_AR[commune], "fr": commune},
                "theme_slugs": [theme],
                "trainers": [PEOPLE[i % len(PEOPLE)], PEOPLE[(i + 2) % len(PEOPLE)]],
                "partners": [PARTNERS[i % len(PARTNERS)]],
                "counts": counts,
                "beneficiaries_total": sum(counts.values()),
                "source_notes": GENERATED,
            }
        )
    return entries


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with ``title`` (ASCII), written by hand so no PDF library is needed."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 18 Tf 60 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    # BytesIO(initial) starts writing at 0, over the header: write the header instead.
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _demo_images(page: ActivityPage, count: int = 3) -> None:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    colours = ["#0b5d52", "#b5541c", "#07443c", "#12786a"]
    rows = []
    for i in range(count):
        picture = PILImage.new("RGB", (1200, 800), colours[i % len(colours)])
        draw = ImageDraw.Draw(picture)
        draw.rectangle((100, 100, 1100, 700), outline="white", width=8)
        draw.text((140, 140), f"{page.reference_code} - photo {i + 1}", fill="white")
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=80)
        image = Image(
            title=f"{page.reference_code} photo {i + 1}",
            file=ImageFile(buffer, name=f"{page.reference_code.lower()}-{i + 1}.jpg"),
        )
        image.save()
        rows.append(ActivityImage(image=image, consent=i < count - 1))
    for translated in [page, *[p.specific for p in page.get_translations()]]:
        translated.gallery_images = [
            ActivityImage(image=r.image, caption=f"{translated.title} ({n})", consent=r.consent)
            for n, r in enumerate(rows, start=1)
        ]
        translated.save_revision().publish()


def load_people() -> None:
    """The demo's trainers and speakers with their names and affiliations in both languages."""
    for name_fr, affiliation_fr, kind in PEOPLE:
        name_ar, affiliation_ar = PEOPLE_AR[name_fr]
        person_ensure(name_ar=name_ar, name_fr=name_fr, affiliation_ar=affiliation_ar, affiliation_fr=affiliation_fr, kind=kind)


def load(homes: dict) -> list[ActivityPage]:
    """Series, the press-report entries and ``ARCHIVE_DEMO_GENERATED`` generated entries; returns the new pages."""
    load_people()
    index = ArchiveIndexPage.objects.child_of(homes["ar"]).get(slug="archive")
    for slug, level, code, title_ar, title_fr in SERIES:
        series = ensure_child(index, ActivitySeriesPage, slug=slug, title=title_ar, level=level, reference_code=code)
        ensure_translation(series, "fr", title=title_fr, slug=slug)
    existing = set(ActivityPage.objects.filter(locale=index.locale).values_list("reference_code", flat=True))
    created = []
    for entry in REAL:
        if entry["reference_code"] in existing:
            continue
        data = ActivityData(
            **entry,
            source_notes=PRESS,
            rights={
                "ar": "معلومات عمومية؛ الأرقام كما نشرتها الصحافة.",
                "fr": "Information publique ; chiffres tels que publiés par la presse.",
            },
        )
        if entry["reference_code"] == "MDE-2022-TOT1":
            data.attachments = {"programme-tot-2022.pdf": demo_pdf("Programme - formation de formateurs 2022")}
            data.trainers = [PEOPLE[0], PEOPLE[2]]
            data.partners = [PARTNERS[0]]
        page, _created = activity_upsert(index=index, data=data)
        created.append(page)
        if entry["reference_code"] == "MDE-2022-TOT1" and getattr(settings, "ARCHIVE_DEMO_MEDIA", True):
            _attach_media(page)
    for entry in generated_entries(getattr(settings, "ARCHIVE_DEMO_GENERATED", 90)):
        if entry["reference_code"] in existing:
            continue
        page, _created = activity_upsert(index=index, data=ActivityData(**entry))
        created.append(page)
    return created


def _attach_media(page: ActivityPage) -> None:
    from wagtail.documents import get_document_model

    video = media.clip(seconds=4, pattern="testsrc", tone=440)
    if video:
        Document = get_document_model()
        document = Document(title="video-tot-2022.mp4")
        document.file.save("video-tot-2022.mp4", ContentFile(video), save=False)
        document.save()
        for translated in [page, *[p.specific for p in page.get_translations()]]:
            translated.videos = [("video", {"video": document, "caption": translated.title})]
            translated.full_clean()
            translated.save_revision().publish()
    _demo_images(page)
