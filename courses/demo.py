"""Demo content: the twelve themes of the institution's training plan, one module each."""

from config.demo_pages import ensure_child, ensure_snippet, ensure_translation

from .models import CourseIndexPage, CoursePage, Theme

# slug, Arabic title, French title, Arabic summary, French summary
THEMES = [
    ("legal-framework", "الإطار القانوني والمؤسساتي للجماعات الترابية",
     "Cadre juridique et institutionnel des collectivités territoriales",
     "القوانين التنظيمية للجماعات الترابية، واختصاصات الجماعة ومجلسها ورئيسها، وعلاقتها بالدولة وبباقي الجماعات الترابية.",
     "Les lois organiques des collectivités territoriales, les compétences de la commune, de son conseil et de son président, et ses relations avec l'État et les autres collectivités."),
    ("governance", "تحسين الحكامة", "Amélioration de la gouvernance",
     "مبادئ الحكامة الجيدة في تدبير الشأن المحلي: الشفافية والمساءلة والنجاعة، وأدوات قياس الأداء.",
     "Les principes de bonne gouvernance dans la gestion locale : transparence, redevabilité, efficacité, et les outils de mesure de la performance."),
    ("action-programme", "برنامج عمل الجماعة", "Le programme d'action de la commune",
     "مراحل إعداد برنامج عمل الجماعة وتتبعه وتقييمه، من التشخيص التشاركي إلى برمجة المشاريع.",
     "Élaborer, suivre et évaluer le programme d'action de la commune, du diagnostic participatif à la programmation des projets."),
    ("digital-procedures", "التحول الرقمي للمساطر الإدارية", "Transformation numérique des procédures administratives",
     "رقمنة المساطر والخدمات الجماعية، والمنصات الوطنية، وتبسيط المساطر لفائدة المرتفقين.",
     "La dématérialisation des procédures et des services communaux, les plateformes nationales et la simplification au service des usagers."),
    ("revenue-expenditure", "النظام المندمج للمداخيل والنفقات", "Le système intégré des recettes et des dépenses",
     "تدبير ميزانية الجماعة عبر النظام المندمج للمداخيل والنفقات: التحصيل والالتزام والأداء.",
     "Gérer le budget communal avec le système intégré des recettes et des dépenses : recouvrement, engagement et paiement."),
    ("internal-audit", "التدقيق الداخلي ومراقبة التدبير", "Audit interne et contrôle de gestion",
     "إرساء وظيفة التدقيق الداخلي ومراقبة التدبير في الجماعة، وخرائط المخاطر ولوحات القيادة.",
     "Mettre en place l'audit interne et le contrôle de gestion dans la commune : cartographie des risques et tableaux de bord."),
    ("gender-approach", "مقاربة النوع في السياسات العمومية الترابية", "L'approche genre dans les politiques publiques territoriales",
     "إدماج مقاربة النوع في التخطيط والميزانية على المستوى الترابي، وهيئة المساواة وتكافؤ الفرص ومقاربة النوع.",
     "Intégrer l'approche genre dans la planification et la budgétisation territoriales, et l'instance de l'équité, de l'égalité des chances et de l'approche genre."),
    ("citizen-participation", "المشاركة المدنية والمواطنة", "Participation civile et citoyenne",
     "آليات الديمقراطية التشاركية: العرائض، وهيئات التشاور، وإشراك المجتمع المدني في تدبير الشأن المحلي.",
     "Les mécanismes de la démocratie participative : pétitions, instances de concertation et implication de la société civile."),
    ("land-use-planning", "إعداد التراب والتخطيط المجالي", "Aménagement du territoire et planification spatiale",
     "وثائق إعداد التراب والتخطيط المجالي، وانسجام برامج الجماعة مع التصميم الجهوي لإعداد التراب.",
     "Les documents d'aménagement du territoire et la cohérence des programmes communaux avec le schéma régional."),
    ("project-management", "التخطيط الترابي وتدبير المشاريع", "Planification territoriale et gestion de projets",
     "منهجية تدبير المشاريع الترابية: الدراسة والبرمجة والتمويل والتنفيذ والتتبع.",
     "La gestion de projets territoriaux : étude, programmation, financement, exécution et suivi."),
    ("urbanism-environment-mobility", "التعمير والبيئة والتنقل", "Urbanisme, environnement et mobilité",
     "وثائق التعمير ورخص البناء، وحماية البيئة، وتنظيم النقل والتنقل الحضري.",
     "Les documents d'urbanisme et les autorisations de construire, la protection de l'environnement et l'organisation de la mobilité."),
    ("gis", "نظم المعلومات الجغرافية", "Systèmes d'information géographique",
     "استعمال نظم المعلومات الجغرافية في تدبير المجال الجماعي: الخرائط والمعطيات المجالية واتخاذ القرار.",
     "Utiliser les SIG pour gérer le territoire communal : cartes, données spatiales et aide à la décision."),
]


def load(homes: dict) -> list[CoursePage]:
    """The twelve themes and one module per theme, in Arabic and French."""
    catalogue_ar = CourseIndexPage.objects.child_of(homes["ar"]).get(slug="courses")
    modules = []
    for order, (slug, title_ar, title_fr, summary_ar, summary_fr) in enumerate(THEMES, start=1):
        themes = ensure_snippet(
            Theme,
            lookup={"slug": slug},
            translations={
                "ar": {"name": title_ar, "sort_order": order},
                "fr": {"name": title_fr, "sort_order": order},
            },
        )
        module = ensure_child(
            catalogue_ar, CoursePage, slug=slug, title=title_ar, summary=summary_ar, theme=themes["ar"],
            featured=order <= 6,
        )
        ensure_translation(module, "fr", title=title_fr, slug=slug, summary=summary_fr, theme=themes["fr"])
        modules.append(module)
    return modules
