"""Demo lessons and quizzes of the twelve modules, in Arabic and French.

Per theme slug: three lessons ``(title_ar, text_ar, title_fr, text_fr)`` and five quiz
questions. Question tuples: ``(kind, text_ar, text_fr, answer)`` where ``answer`` is
a list of ``(option_ar, option_fr, correct)`` for choice and ordering questions (ordering:
in the correct order), a bool for true/false, ``(accepted_ar, accepted_fr)`` for short
text and ``(number, tolerance)`` for numeric questions.
"""

LESSONS = {
    "legal-framework": [
        (
            "القوانين التنظيمية للجماعات الترابية",
            "صدرت سنة 2015 ثلاثة قوانين تنظيمية: القانون التنظيمي 111.14 المتعلق بالجهات، و112.14 المتعلق بالعمالات والأقاليم، و113.14 المتعلق بالجماعات. تحدد هذه القوانين تنظيم المجالس وصلاحياتها وقواعد تدبير شؤونها وفق مبدأ التدبير الحر.",
            "Les lois organiques des collectivités territoriales",
            "Trois lois organiques ont été promulguées en 2015 : la loi organique 111-14 relative aux régions, 112-14 relative aux préfectures et provinces, et 113-14 relative aux communes. Elles fixent l'organisation des conseils, leurs attributions et les règles de gestion selon le principe de libre administration.",
        ),
        (
            "اختصاصات الجماعة",
            "تمارس الجماعة اختصاصات ذاتية (مثل المرافق والتجهيزات العمومية الجماعية، والإنارة، والنظافة، والنقل الحضري)، واختصاصات مشتركة مع الدولة، واختصاصات منقولة إليها. ويمارس رئيس المجلس الشرطة الإدارية في مجالات الوقاية الصحية والنظافة والسكينة العمومية وسلامة المرور.",
            "Les compétences de la commune",
            "La commune exerce des compétences propres (services et équipements publics communaux, éclairage, propreté, transport urbain), des compétences partagées avec l'État et des compétences transférées. Le président du conseil exerce la police administrative en matière d'hygiène, de salubrité, de tranquillité publique et de sûreté de la circulation.",
        ),
        (
            "العلاقة مع سلطات المراقبة الإدارية",
            "يمارس عامل العمالة أو الإقليم المراقبة الإدارية على شرعية قرارات رئيس المجلس ومقرراته. وتخضع بعض المقررات، كالميزانية وبرنامج العمل، للتأشير داخل آجال محددة، ويختص القضاء الإداري بالبت في النزاعات.",
            "Les relations avec l'autorité de contrôle",
            "Le gouverneur de la préfecture ou de la province exerce le contrôle administratif de la légalité des arrêtés du président et des délibérations du conseil. Certaines délibérations, comme le budget et le programme d'action, sont soumises au visa dans des délais fixés ; le juge administratif tranche les litiges.",
        ),
    ],
    "governance": [
        (
            "مبادئ الحكامة الجيدة",
            "ينص الدستور على مبادئ الحكامة الجيدة: المساواة في الولوج إلى المرافق العمومية، والاستمرارية، والشفافية، والمحاسبة والمسؤولية. وعلى الجماعة أن تنشر مقرراتها وميزانيتها وأن تمكن المواطنين من المعلومات.",
            "Les principes de bonne gouvernance",
            "La Constitution consacre les principes de bonne gouvernance : égal accès aux services publics, continuité, transparence, reddition des comptes et responsabilité. La commune publie ses délibérations et son budget et garantit l'accès des citoyens à l'information.",
        ),
        (
            "الحق في الحصول على المعلومات",
            "يضمن القانون 31.13 حق المواطنين في الحصول على المعلومات التي تتوفر عليها الإدارات والجماعات الترابية. تعين الجماعة شخصا مكلفا بتلقي الطلبات، ويتعين الرد داخل أجل عشرين يوما قابل للتمديد.",
            "Le droit d'accès à l'information",
            "La loi 31-13 garantit aux citoyens le droit d'accéder aux informations détenues par les administrations et les collectivités territoriales. La commune désigne une personne chargée de recevoir les demandes, qui reçoivent une réponse dans un délai de vingt jours, prorogeable.",
        ),
        (
            "قياس الأداء",
            "تعتمد الجماعة مؤشرات لقياس أداء مرافقها: آجال معالجة الطلبات، ونسبة إنجاز المشاريع، ورضا المرتفقين. وتعرض نتائجها في تقارير دورية على المجلس.",
            "Mesurer la performance",
            "La commune suit des indicateurs de performance de ses services : délais de traitement des demandes, taux de réalisation des projets, satisfaction des usagers. Les résultats sont présentés au conseil dans des rapports périodiques.",
        ),
    ],
    "action-programme": [
        (
            "ما هو برنامج عمل الجماعة؟",
            "برنامج عمل الجماعة وثيقة مرجعية تحدد الأعمال التنموية المقرر إنجازها في تراب الجماعة خلال ست سنوات. يعد خلال السنة الأولى من مدة انتداب المجلس، بانسجام مع توجهات برنامج التنمية الجهوية.",
            "Qu'est-ce que le programme d'action de la commune ?",
            "Le programme d'action de la commune (PAC) est le document de référence qui fixe les actions de développement à réaliser sur le territoire communal pendant six ans. Il est élaboré au cours de la première année du mandat du conseil, en cohérence avec le programme de développement régional.",
        ),
        (
            "التشخيص التشاركي",
            "ينطلق إعداد البرنامج من تشخيص يبرز حاجيات الجماعة وإمكانياتها، بإشراك الساكنة وجمعيات المجتمع المدني وهيئة المساواة وتكافؤ الفرص ومقاربة النوع.",
            "Le diagnostic participatif",
            "L'élaboration commence par un diagnostic qui fait ressortir les besoins et les potentialités de la commune, avec la participation des habitants, des associations et de l'instance de l'équité, de l'égalité des chances et de l'approche genre.",
        ),
        (
            "البرمجة والتتبع والتقييم",
            "ترتب المشاريع حسب الأولوية وتقدر كلفتها ومصادر تمويلها على مدى ست سنوات. ويتم تتبع التنفيذ وتقييمه سنويا، ويمكن تحيين البرنامج ابتداء من السنة الثالثة.",
            "Programmer, suivre et évaluer",
            "Les projets sont classés par priorité, avec leur coût et leurs sources de financement sur six ans. L'exécution fait l'objet d'un suivi et d'une évaluation annuels, et le programme peut être actualisé à partir de la troisième année.",
        ),
    ],
    "digital-procedures": [
        (
            "لماذا رقمنة المساطر؟",
            "تقلص رقمنة المساطر التنقلات والآجال وتحد من تعدد الوثائق المطلوبة. ويلزم القانون 55.19 المتعلق بتبسيط المساطر والإجراءات الإدارية الإدارات بنشر المساطر وعدم مطالبة المرتفق بوثائق غير منصوص عليها.",
            "Pourquoi dématérialiser les procédures ?",
            "La dématérialisation réduit les déplacements et les délais et limite les pièces demandées. La loi 55-19 relative à la simplification des procédures et formalités administratives oblige les administrations à publier leurs procédures et à ne pas exiger de pièces non prévues.",
        ),
        (
            "المنصات الوطنية",
            "تستعمل الجماعات منصات وطنية مثل منصة رخص التعمير الإلكترونية ومنصة الشكايات، وبوابة الحالة المدنية. ويستلزم ذلك تكوين الموظفين وتوفير التجهيزات والربط بالأنترنت.",
            "Les plateformes nationales",
            "Les communes utilisent des plateformes nationales comme la plateforme des autorisations d'urbanisme en ligne, le portail des réclamations et le portail de l'état civil. Cela suppose de former le personnel et de disposer des équipements et d'une connexion.",
        ),
        (
            "تدبير التغيير",
            "ينجح التحول الرقمي حين يشرك الموظفين منذ البداية، ويبسط المسطرة قبل رقمنتها، ويقيس رضا المرتفقين بعد إطلاق الخدمة.",
            "Conduire le changement",
            "La transformation numérique réussit quand elle associe les agents dès le départ, simplifie la procédure avant de la numériser et mesure la satisfaction des usagers après le lancement du service.",
        ),
    ],
    "revenue-expenditure": [
        (
            "ميزانية الجماعة",
            "تتكون ميزانية الجماعة من جزء أول يخص التسيير وجزء ثان يخص التجهيز، بالإضافة إلى الحسابات الخصوصية والميزانيات الملحقة. وتعد الميزانية سنويا ويصوت عليها المجلس قبل عرضها على التأشير.",
            "Le budget communal",
            "Le budget de la commune comprend une première partie (fonctionnement) et une deuxième partie (équipement), ainsi que des comptes spéciaux et des budgets annexes. Il est préparé chaque année et voté par le conseil avant d'être soumis au visa.",
        ),
        (
            "تحصيل المداخيل",
            "تشمل مداخيل الجماعة الرسوم المحلية والحصة من الضريبة على القيمة المضافة ومداخيل الأملاك. ويمكّن النظام المندمج من تتبع الإصدار والتحصيل والباقي استخلاصه.",
            "Recouvrer les recettes",
            "Les recettes communales comprennent les taxes locales, la part du produit de la TVA et les revenus du patrimoine. Le système intégré permet de suivre l'émission, le recouvrement et les restes à recouvrer.",
        ),
        (
            "مراحل تنفيذ النفقات",
            "تمر النفقة بأربع مراحل: الالتزام، ثم التصفية، ثم الأمر بالصرف من طرف الآمر بالصرف، ثم الأداء من طرف المحاسب العمومي. ويفصل هذا التقسيم بين من يقرر ومن يؤدي.",
            "Les étapes de la dépense",
            "Une dépense passe par quatre étapes : l'engagement, la liquidation, l'ordonnancement par l'ordonnateur, puis le paiement par le comptable public. Cette séparation distingue celui qui décide de celui qui paie.",
        ),
    ],
    "internal-audit": [
        (
            "وظيفة التدقيق الداخلي",
            "التدقيق الداخلي نشاط مستقل يعطي المسؤولين ضمانا حول التحكم في العمليات ويقترح التحسينات. ويلزم القانون التنظيمي 113.14 الجماعة بإرساء نظام للتدقيق الداخلي وتقييم أعمالها.",
            "La fonction d'audit interne",
            "L'audit interne est une activité indépendante qui donne aux responsables une assurance sur la maîtrise des opérations et propose des améliorations. La loi organique 113-14 oblige la commune à mettre en place l'audit interne et l'évaluation de ses actions.",
        ),
        (
            "خريطة المخاطر",
            "تحدد خريطة المخاطر الأحداث التي قد تعيق أهداف الجماعة، وتقيّم كل خطر حسب احتماله وأثره، ثم ترتب الإجراءات الوقائية حسب الأولوية.",
            "La cartographie des risques",
            "La cartographie des risques recense les événements qui peuvent compromettre les objectifs de la commune, évalue chaque risque selon sa probabilité et son impact, puis hiérarchise les mesures de prévention.",
        ),
        (
            "لوحات القيادة",
            "لوحة القيادة أداة لمراقبة التدبير تجمع مؤشرات قليلة ومختارة تساعد الرئيس والمدير على اتخاذ القرار في الوقت المناسب.",
            "Les tableaux de bord",
            "Le tableau de bord est un outil de contrôle de gestion qui réunit quelques indicateurs choisis pour aider le président et le directeur à décider au bon moment.",
        ),
    ],
    "gender-approach": [
        (
            "مفهوم مقاربة النوع",
            "تأخذ مقاربة النوع بعين الاعتبار اختلاف حاجيات النساء والرجال والفتيات والفتيان في السياسات العمومية، حتى تستفيد كل الفئات من الخدمات بشكل منصف.",
            "Qu'est-ce que l'approche genre ?",
            "L'approche genre tient compte des besoins différents des femmes, des hommes, des filles et des garçons dans les politiques publiques, pour que toutes les catégories bénéficient équitablement des services.",
        ),
        (
            "هيئة المساواة وتكافؤ الفرص ومقاربة النوع",
            "تحدث لدى مجلس الجماعة هيئة استشارية بشراكة مع فعاليات المجتمع المدني تختص بدراسة القضايا المتعلقة بالمساواة وتكافؤ الفرص ومقاربة النوع.",
            "L'instance de l'équité, de l'égalité des chances et de l'approche genre",
            "Une instance consultative est créée auprès du conseil communal, en partenariat avec la société civile, pour étudier les questions d'équité, d'égalité des chances et d'approche genre.",
        ),
        (
            "الميزانية المستجيبة للنوع",
            "تعتمد الميزانية المستجيبة للنوع على معطيات مصنفة حسب الجنس لتحديد الفجوات، ثم تربط الاعتمادات بأهداف ومؤشرات للمساواة.",
            "La budgétisation sensible au genre",
            "La budgétisation sensible au genre s'appuie sur des données ventilées par sexe pour repérer les écarts, puis relie les crédits à des objectifs et des indicateurs d'égalité.",
        ),
    ],
    "citizen-participation": [
        (
            "الديمقراطية التشاركية",
            "ينص الدستور على إحداث آليات تشاركية للحوار والتشاور لتيسير مساهمة المواطنين والجمعيات في إعداد برامج التنمية وتتبعها.",
            "La démocratie participative",
            "La Constitution prévoit des mécanismes participatifs de dialogue et de concertation pour faciliter la contribution des citoyens et des associations à l'élaboration et au suivi des programmes de développement.",
        ),
        (
            "العرائض",
            "يمكن للمواطنين والجمعيات تقديم عرائض إلى مجلس الجماعة لمطالبته بإدراج نقطة في جدول أعماله. ويحدد القانون التنظيمي شروط العريضة وعدد التوقيعات المطلوبة.",
            "Les pétitions",
            "Les citoyens et les associations peuvent adresser des pétitions au conseil communal pour demander l'inscription d'un point à son ordre du jour. La loi organique fixe les conditions de la pétition et le nombre de signatures requis.",
        ),
        (
            "إشراك المجتمع المدني",
            "يتحقق الإشراك الفعلي حين تنشر الجماعة المعلومات في وقتها، وتنظم لقاءات تشاورية مفتوحة، وتجيب على المقترحات المقدمة إليها.",
            "Associer la société civile",
            "La participation devient réelle quand la commune publie l'information à temps, organise des concertations ouvertes et répond aux propositions qui lui sont faites.",
        ),
    ],
    "land-use-planning": [
        (
            "وثائق إعداد التراب",
            "يحدد التصميم الجهوي لإعداد التراب التوجهات الكبرى للتنمية المجالية على مستوى الجهة لمدة خمس وعشرين سنة، وتنسجم معه برامج الجماعات.",
            "Les documents d'aménagement du territoire",
            "Le schéma régional d'aménagement du territoire (SRAT) fixe pour vingt-cinq ans les grandes orientations du développement spatial de la région ; les programmes des communes s'y inscrivent.",
        ),
        (
            "التخطيط المجالي",
            "يربط التخطيط المجالي بين توزيع السكان والأنشطة والتجهيزات، ويهدف إلى تقليص الفوارق بين المجالات الحضرية والقروية.",
            "La planification spatiale",
            "La planification spatiale met en relation la répartition de la population, des activités et des équipements, et vise à réduire les écarts entre espaces urbains et ruraux.",
        ),
        (
            "الانسجام بين المستويات",
            "يتطلب الانسجام تنسيق برنامج عمل الجماعة مع برنامج تنمية العمالة أو الإقليم وبرنامج التنمية الجهوية، وتبادل المعطيات بين المستويات الثلاثة.",
            "La cohérence entre niveaux",
            "La cohérence exige de coordonner le programme d'action de la commune avec le programme de développement de la préfecture ou de la province et le programme de développement régional, et d'échanger les données entre les trois niveaux.",
        ),
    ],
    "project-management": [
        (
            "دورة حياة المشروع",
            "يمر المشروع الترابي بمراحل: تحديد الفكرة، والدراسة، والبرمجة والتمويل، والتنفيذ، ثم التتبع والتقييم.",
            "Le cycle de vie du projet",
            "Un projet territorial passe par des étapes : identification, étude, programmation et financement, exécution, puis suivi et évaluation.",
        ),
        (
            "تمويل المشاريع والشراكات",
            "تمول المشاريع من ميزانية الجماعة أو بشراكة مع الدولة والجهة والمؤسسات العمومية، وتحدد اتفاقيات الشراكة التزامات كل طرف.",
            "Financer les projets et les partenariats",
            "Les projets sont financés par le budget communal ou en partenariat avec l'État, la région et les établissements publics ; les conventions de partenariat fixent les engagements de chaque partie.",
        ),
        (
            "تتبع الإنجاز",
            "يعتمد التتبع على جدول زمني ومؤشرات إنجاز، ويسمح بكشف التأخر مبكرا واتخاذ الإجراءات التصحيحية.",
            "Suivre l'exécution",
            "Le suivi s'appuie sur un calendrier et des indicateurs de réalisation ; il permet de détecter tôt les retards et de prendre des mesures correctives.",
        ),
    ],
    "urbanism-environment-mobility": [
        (
            "وثائق التعمير",
            "تنظم وثائق التعمير، مثل المخطط المديري للتهيئة العمرانية وتصميم التهيئة، استعمال الأراضي وتحدد المناطق والارتفاقات.",
            "Les documents d'urbanisme",
            "Les documents d'urbanisme, comme le schéma directeur d'aménagement urbain (SDAU) et le plan d'aménagement, organisent l'usage des sols et fixent les zones et les servitudes.",
        ),
        (
            "رخص البناء",
            "يسلم رئيس المجلس الجماعي رخص البناء والتجزئة والسكن بعد دراسة الملفات، ويتم إيداع الطلبات عبر المنصة الإلكترونية.",
            "Les autorisations de construire",
            "Le président du conseil communal délivre les permis de construire, de lotir et d'habiter après instruction des dossiers ; les demandes sont déposées sur la plateforme électronique.",
        ),
        (
            "البيئة والتنقل",
            "تتولى الجماعة جمع النفايات المنزلية ونقلها ومعالجتها، وتنظيم النقل العمومي الحضري وحركة السير، بما يحمي البيئة وصحة الساكنة.",
            "Environnement et mobilité",
            "La commune assure la collecte, le transport et le traitement des déchets ménagers, ainsi que l'organisation du transport public urbain et de la circulation, pour protéger l'environnement et la santé des habitants.",
        ),
    ],
    "gis": [
        (
            "ما هي نظم المعلومات الجغرافية؟",
            "نظام المعلومات الجغرافية أداة تجمع معطيات مرتبطة بموقع على الأرض، وتعرضها في طبقات على خريطة لتحليلها.",
            "Qu'est-ce qu'un SIG ?",
            "Un système d'information géographique (SIG) réunit des données liées à un lieu et les affiche en couches sur une carte pour les analyser.",
        ),
        (
            "المعطيات المجالية",
            "تنقسم المعطيات إلى معطيات متجهية (نقط وخطوط ومضلعات) ومعطيات نقطية (صور). ولكل معطى نظام إحداثيات يجب ضبطه.",
            "Les données spatiales",
            "Les données sont vectorielles (points, lignes, polygones) ou matricielles (images). Chaque donnée a un système de coordonnées qu'il faut maîtriser.",
        ),
        (
            "الخرائط لاتخاذ القرار",
            "تساعد الخرائط المنتخبين على رؤية توزيع التجهيزات والخدمات، وتحديد المناطق الأقل تغطية، وبرمجة المشاريع حيث الحاجة أكبر.",
            "Des cartes pour décider",
            "Les cartes aident les élus à voir la répartition des équipements et des services, à repérer les zones les moins desservies et à programmer les projets là où le besoin est le plus grand.",
        ),
    ],
}

QUIZZES = {
    "legal-framework": [
        (
            "single",
            "ما هو القانون التنظيمي المتعلق بالجماعات؟",
            "Quelle loi organique régit les communes ?",
            [("113.14", "113-14", True), ("111.14", "111-14", False), ("112.14", "112-14", False)],
        ),
        (
            "true_false",
            "يمارس رئيس المجلس الجماعي الشرطة الإدارية.",
            "Le président du conseil communal exerce la police administrative.",
            True,
        ),
        (
            "multiple",
            "ما هي أصناف اختصاصات الجماعة؟",
            "Quelles sont les catégories de compétences de la commune ?",
            [
                ("ذاتية", "Propres", True),
                ("مشتركة", "Partagées", True),
                ("منقولة", "Transférées", True),
                ("قضائية", "Judiciaires", False),
            ],
        ),
        (
            "numeric",
            "في أي سنة صدرت القوانين التنظيمية للجماعات الترابية؟",
            "En quelle année les lois organiques des collectivités ont-elles été promulguées ?",
            (2015, 0),
        ),
        (
            "short_text",
            "من يمارس المراقبة الإدارية على الجماعة (بكلمة واحدة)؟",
            "Qui exerce le contrôle administratif sur la commune (un mot) ?",
            ("العامل", "gouverneur"),
        ),
    ],
    "governance": [
        (
            "single",
            "ما هو القانون المتعلق بالحق في الحصول على المعلومات؟",
            "Quelle loi garantit le droit d'accès à l'information ?",
            [("31.13", "31-13", True), ("55.19", "55-19", False), ("47.06", "47-06", False)],
        ),
        (
            "numeric",
            "ما هو أجل الرد على طلب المعلومات (بالأيام)؟",
            "Quel est le délai de réponse à une demande d'information (en jours) ?",
            (20, 0),
        ),
        (
            "true_false",
            "الشفافية من مبادئ الحكامة الجيدة.",
            "La transparence fait partie des principes de bonne gouvernance.",
            True,
        ),
        (
            "multiple",
            "أي من هذه مؤشرات لأداء المرافق؟",
            "Lesquels sont des indicateurs de performance des services ?",
            [
                ("آجال معالجة الطلبات", "Délais de traitement", True),
                ("رضا المرتفقين", "Satisfaction des usagers", True),
                ("لون المبنى", "Couleur du bâtiment", False),
            ],
        ),
        (
            "short_text",
            "ربط المسؤولية بـ ...",
            "La responsabilité est liée à la reddition des ...",
            ("المحاسبة", "comptes"),
        ),
    ],
    "action-programme": [
        (
            "numeric",
            "كم سنة يغطي برنامج عمل الجماعة؟",
            "Combien d'années couvre le programme d'action de la commune ?",
            (6, 0),
        ),
        (
            "ordering",
            "رتب مراحل إعداد البرنامج",
            "Ordonnez les étapes de l'élaboration du programme",
            [
                ("التشخيص", "Diagnostic", False),
                ("تحديد الأولويات", "Priorisation", False),
                ("البرمجة", "Programmation", False),
                ("التتبع والتقييم", "Suivi et évaluation", False),
            ],
        ),
        (
            "true_false",
            "يعد برنامج العمل خلال السنة الأخيرة من الانتداب.",
            "Le programme d'action est élaboré pendant la dernière année du mandat.",
            False,
        ),
        (
            "single",
            "مع أي برنامج يجب أن ينسجم برنامج عمل الجماعة؟",
            "Avec quel programme le PAC doit-il être cohérent ?",
            [
                ("برنامج التنمية الجهوية", "Le programme de développement régional", True),
                ("ميزانية الدولة فقط", "Le seul budget de l'État", False),
                ("برنامج جمعية", "Le programme d'une association", False),
            ],
        ),
        (
            "short_text",
            "ما اسم الخطوة الأولى التي يشارك فيها السكان؟",
            "Comment s'appelle la première étape, menée avec les habitants ?",
            ("التشخيص التشاركي", "diagnostic participatif"),
        ),
    ],
    "digital-procedures": [
        (
            "single",
            "ما هو القانون المتعلق بتبسيط المساطر الإدارية؟",
            "Quelle loi porte sur la simplification des procédures administratives ?",
            [("55.19", "55-19", True), ("31.13", "31-13", False), ("113.14", "113-14", False)],
        ),
        (
            "true_false",
            "يجوز مطالبة المرتفق بوثائق غير منصوص عليها في المسطرة المنشورة.",
            "On peut exiger de l'usager des pièces non prévues par la procédure publiée.",
            False,
        ),
        (
            "multiple",
            "ما هي شروط نجاح الرقمنة؟",
            "Quelles sont les conditions de réussite de la dématérialisation ?",
            [
                ("تكوين الموظفين", "Former les agents", True),
                ("تبسيط المسطرة أولا", "Simplifier d'abord la procédure", True),
                ("إلغاء كل الشبابيك فورا", "Fermer tous les guichets d'un coup", False),
            ],
        ),
        (
            "ordering",
            "رتب خطوات رقمنة خدمة",
            "Ordonnez les étapes de la dématérialisation d'un service",
            [
                ("تبسيط المسطرة", "Simplifier la procédure", False),
                ("رقمنتها", "La numériser", False),
                ("قياس رضا المرتفقين", "Mesurer la satisfaction", False),
            ],
        ),
        (
            "short_text",
            "بماذا يسمى الشخص الذي يستعمل خدمة عمومية؟",
            "Comment appelle-t-on la personne qui utilise un service public ?",
            ("المرتفق", "usager"),
        ),
    ],
    "revenue-expenditure": [
        (
            "ordering",
            "رتب مراحل تنفيذ النفقة",
            "Ordonnez les étapes de la dépense",
            [
                ("الالتزام", "Engagement", False),
                ("التصفية", "Liquidation", False),
                ("الأمر بالصرف", "Ordonnancement", False),
                ("الأداء", "Paiement", False),
            ],
        ),
        (
            "single",
            "من يؤدي النفقة؟",
            "Qui paie la dépense ?",
            [
                ("المحاسب العمومي", "Le comptable public", True),
                ("الآمر بالصرف", "L'ordonnateur", False),
                ("المورد", "Le fournisseur", False),
            ],
        ),
        (
            "numeric",
            "كم عدد أجزاء ميزانية الجماعة (التسيير والتجهيز)؟",
            "Combien de parties compte le budget communal (fonctionnement et équipement) ?",
            (2, 0),
        ),
        (
            "true_false",
            "الحصة من الضريبة على القيمة المضافة من مداخيل الجماعة.",
            "La part du produit de la TVA fait partie des recettes communales.",
            True,
        ),
        (
            "short_text",
            "ما اسم المبالغ الصادرة التي لم تستخلص بعد؟",
            "Comment appelle-t-on les sommes émises non encore recouvrées ?",
            ("الباقي استخلاصه", "restes à recouvrer"),
        ),
    ],
    "internal-audit": [
        ("true_false", "التدقيق الداخلي نشاط مستقل.", "L'audit interne est une activité indépendante.", True),
        (
            "multiple",
            "بماذا يقيّم الخطر في خريطة المخاطر؟",
            "Selon quoi évalue-t-on un risque dans la cartographie ?",
            [
                ("الاحتمال", "La probabilité", True),
                ("الأثر", "L'impact", True),
                ("الميزانية المرصودة", "Le budget alloué", False),
            ],
        ),
        (
            "single",
            "ما هي أداة مراقبة التدبير التي تجمع مؤشرات مختارة؟",
            "Quel outil de contrôle de gestion réunit quelques indicateurs choisis ?",
            [
                ("لوحة القيادة", "Le tableau de bord", True),
                ("السجل العقاري", "Le registre foncier", False),
                ("محضر الدورة", "Le procès-verbal de session", False),
            ],
        ),
        (
            "short_text",
            "ما اسم الوثيقة التي تحصي المخاطر؟",
            "Comment s'appelle le document qui recense les risques ?",
            ("خريطة المخاطر", "cartographie des risques"),
        ),
        (
            "numeric",
            "كم عدد بُعدي تقييم الخطر (الاحتمال والأثر)؟",
            "Combien de dimensions pour évaluer un risque (probabilité et impact) ?",
            (2, 0),
        ),
    ],
    "gender-approach": [
        (
            "true_false",
            "هيئة المساواة وتكافؤ الفرص ومقاربة النوع هيئة استشارية.",
            "L'instance de l'équité et de l'égalité des chances est consultative.",
            True,
        ),
        (
            "single",
            "على ماذا تعتمد الميزانية المستجيبة للنوع؟",
            "Sur quoi s'appuie la budgétisation sensible au genre ?",
            [
                ("معطيات مصنفة حسب الجنس", "Des données ventilées par sexe", True),
                ("معطيات الطقس", "Des données météo", False),
                ("عدد الموظفين فقط", "Le seul nombre d'agents", False),
            ],
        ),
        (
            "multiple",
            "من تشمل مقاربة النوع؟",
            "Qui l'approche genre prend-elle en compte ?",
            [
                ("النساء", "Les femmes", True),
                ("الرجال", "Les hommes", True),
                ("الفتيات والفتيان", "Les filles et les garçons", True),
            ],
        ),
        (
            "short_text",
            "بشراكة مع من تحدث الهيئة؟",
            "En partenariat avec qui l'instance est-elle créée ?",
            ("المجتمع المدني", "société civile"),
        ),
        (
            "ordering",
            "رتب خطوات الميزانية المستجيبة للنوع",
            "Ordonnez les étapes de la budgétisation sensible au genre",
            [
                ("جمع معطيات مصنفة", "Collecter des données ventilées", False),
                ("تحديد الفجوات", "Repérer les écarts", False),
                ("ربط الاعتمادات بالأهداف", "Relier les crédits aux objectifs", False),
            ],
        ),
    ],
    "citizen-participation": [
        (
            "single",
            "ما الغرض من عريضة موجهة للمجلس الجماعي؟",
            "À quoi sert une pétition adressée au conseil communal ?",
            [
                ("إدراج نقطة في جدول الأعمال", "Inscrire un point à l'ordre du jour", True),
                ("حل المجلس", "Dissoudre le conseil", False),
                ("تعيين الرئيس", "Nommer le président", False),
            ],
        ),
        (
            "true_false",
            "يمكن للجمعيات تقديم عرائض إلى مجلس الجماعة.",
            "Les associations peuvent adresser des pétitions au conseil communal.",
            True,
        ),
        (
            "multiple",
            "ما الذي يجعل المشاركة فعلية؟",
            "Qu'est-ce qui rend la participation réelle ?",
            [
                ("نشر المعلومات في وقتها", "Publier l'information à temps", True),
                ("الرد على المقترحات", "Répondre aux propositions", True),
                ("لقاءات مغلقة", "Des réunions fermées", False),
            ],
        ),
        (
            "short_text",
            "ما اسم الآلية التي يطلب بها المواطنون إدراج نقطة؟",
            "Quel mécanisme permet aux citoyens de demander l'inscription d'un point ?",
            ("العريضة", "pétition"),
        ),
        (
            "ordering",
            "رتب مراحل التشاور",
            "Ordonnez les étapes d'une concertation",
            [
                ("الإعلان عن اللقاء", "Annoncer la rencontre", False),
                ("الاستماع للمقترحات", "Écouter les propositions", False),
                ("الرد على المشاركين", "Répondre aux participants", False),
            ],
        ),
    ],
    "land-use-planning": [
        (
            "numeric",
            "كم سنة يغطي التصميم الجهوي لإعداد التراب؟",
            "Combien d'années couvre le schéma régional d'aménagement du territoire ?",
            (25, 0),
        ),
        (
            "true_false",
            "يهدف التخطيط المجالي إلى تقليص الفوارق بين المجالات.",
            "La planification spatiale vise à réduire les écarts entre territoires.",
            True,
        ),
        (
            "single",
            "ما هي الوثيقة الجهوية لإعداد التراب؟",
            "Quel est le document régional d'aménagement du territoire ?",
            [
                ("التصميم الجهوي لإعداد التراب", "Le SRAT", True),
                ("تصميم التهيئة", "Le plan d'aménagement", False),
                ("الميزانية", "Le budget", False),
            ],
        ),
        (
            "ordering",
            "رتب المستويات من الأوسع إلى الأضيق",
            "Ordonnez les niveaux du plus large au plus restreint",
            [
                ("الجهة", "Région", False),
                ("العمالة أو الإقليم", "Préfecture ou province", False),
                ("الجماعة", "Commune", False),
            ],
        ),
        (
            "short_text",
            "ما اسم برنامج الجهة؟",
            "Comment s'appelle le programme de la région ?",
            ("برنامج التنمية الجهوية", "programme de développement régional"),
        ),
    ],
    "project-management": [
        (
            "ordering",
            "رتب مراحل دورة حياة المشروع",
            "Ordonnez les étapes du cycle de vie du projet",
            [
                ("تحديد الفكرة", "Identification", False),
                ("الدراسة", "Étude", False),
                ("البرمجة والتمويل", "Programmation et financement", False),
                ("التنفيذ", "Exécution", False),
            ],
        ),
        (
            "single",
            "ما الذي يحدد التزامات الشركاء؟",
            "Qu'est-ce qui fixe les engagements des partenaires ?",
            [
                ("اتفاقية الشراكة", "La convention de partenariat", True),
                ("محضر الاستلام", "Le procès-verbal de réception", False),
                ("الإعلان", "L'affiche", False),
            ],
        ),
        ("true_false", "التتبع يسمح بكشف التأخر مبكرا.", "Le suivi permet de détecter tôt les retards.", True),
        (
            "multiple",
            "ما هي أدوات التتبع؟",
            "Quels sont les outils de suivi ?",
            [
                ("جدول زمني", "Un calendrier", True),
                ("مؤشرات الإنجاز", "Des indicateurs de réalisation", True),
                ("الشائعات", "Les rumeurs", False),
            ],
        ),
        (
            "short_text",
            "ما اسم الإجراءات المتخذة عند ظهور تأخر؟",
            "Comment s'appellent les mesures prises en cas de retard ?",
            ("إجراءات تصحيحية", "mesures correctives"),
        ),
    ],
    "urbanism-environment-mobility": [
        (
            "single",
            "من يسلم رخصة البناء؟",
            "Qui délivre le permis de construire ?",
            [
                ("رئيس المجلس الجماعي", "Le président du conseil communal", True),
                ("رئيس الجهة", "Le président de la région", False),
                ("المحكمة", "Le tribunal", False),
            ],
        ),
        (
            "multiple",
            "أي من هذه وثائق تعمير؟",
            "Lesquels sont des documents d'urbanisme ?",
            [
                ("المخطط المديري للتهيئة العمرانية", "Le SDAU", True),
                ("تصميم التهيئة", "Le plan d'aménagement", True),
                ("الحساب الإداري", "Le compte administratif", False),
            ],
        ),
        (
            "true_false",
            "جمع النفايات المنزلية من اختصاص الجماعة.",
            "La collecte des déchets ménagers relève de la commune.",
            True,
        ),
        (
            "ordering",
            "رتب مراحل تدبير النفايات",
            "Ordonnez les étapes de la gestion des déchets",
            [("الجمع", "Collecte", False), ("النقل", "Transport", False), ("المعالجة", "Traitement", False)],
        ),
        (
            "short_text",
            "أين تودع طلبات رخص البناء؟",
            "Où dépose-t-on les demandes de permis de construire ?",
            ("المنصة الإلكترونية", "plateforme électronique"),
        ),
    ],
    "gis": [
        (
            "multiple",
            "ما هي أنواع المعطيات المتجهية؟",
            "Quels sont les types de données vectorielles ?",
            [
                ("نقط", "Points", True),
                ("خطوط", "Lignes", True),
                ("مضلعات", "Polygones", True),
                ("صور", "Images", False),
            ],
        ),
        (
            "single",
            "كيف تعرض المعطيات في نظام المعلومات الجغرافية؟",
            "Comment un SIG affiche-t-il les données ?",
            [
                ("في طبقات على خريطة", "En couches sur une carte", True),
                ("في رسالة", "Dans un courrier", False),
                ("في جدول فقط", "Uniquement dans un tableau", False),
            ],
        ),
        ("true_false", "لكل معطى مجالي نظام إحداثيات.", "Chaque donnée spatiale a un système de coordonnées.", True),
        (
            "short_text",
            "ما هو الاختصار الفرنسي لنظم المعلومات الجغرافية؟",
            "Quel est le sigle des systèmes d'information géographique ?",
            ("SIG", "SIG"),
        ),
        (
            "numeric",
            "كم عدد أنواع المعطيات المتجهية (نقط وخطوط ومضلعات)؟",
            "Combien de types de données vectorielles (points, lignes, polygones) ?",
            (3, 0),
        ),
    ],
}
