"""Demo accounts, one per role. Passwords are for a local demo only."""

from django.contrib.auth import get_user_model

from accounts.groups import EDITORS, LEARNERS, REVIEWERS, TRAINERS

DEMO_PASSWORD = "takwin-demo-2026"

ACCOUNTS = [
    {
        "email": "admin@takwin.test",
        "full_name": "مدير المنصة",
        "role": "administrator",
        "groups": [],
        "superuser": True,
        "preferred_language": "ar",
        "province": "marrakech",
        "category": "staff",
        "gender": "male",
    },
    {
        "email": "editor@takwin.test",
        "full_name": "سلمى بناني",
        "role": "editor",
        "groups": [EDITORS],
        "preferred_language": "ar",
        "province": "marrakech",
        "category": "staff",
        "gender": "female",
    },
    {
        "email": "reviewer@takwin.test",
        "full_name": "Nadia Ouazzani",
        "role": "reviewer",
        "groups": [REVIEWERS],
        "preferred_language": "fr",
        "province": "marrakech",
        "category": "staff",
        "gender": "female",
    },
    {
        "email": "trainer@takwin.test",
        "full_name": "Karim El Idrissi",
        "role": "trainer",
        "groups": [TRAINERS],
        "preferred_language": "fr",
        "province": "safi",
        "category": "other",
        "gender": "male",
    },
    {
        "email": "learner@takwin.test",
        "full_name": "فاطمة الزهراء أيت علي",
        "role": "learner",
        "groups": [LEARNERS],
        "preferred_language": "ar",
        "province": "al-haouz",
        "category": "elected",
        "gender": "female",
        "commune": "أمزميز",
        "position": "مستشارة جماعية",
    },
]


def load() -> list[dict]:
    """Create or refresh the demo accounts (through the accounts services); return them for printing."""
    from accounts.services import PROFILE_FIELDS, user_create, user_set_access, user_update_profile

    User = get_user_model()
    for spec in ACCOUNTS:
        profile = {name: spec[name] for name in PROFILE_FIELDS if name in spec}
        access = {
            "groups": tuple(spec["groups"]),
            "is_staff": bool(spec.get("superuser")) or spec["role"] in {"editor", "reviewer", "trainer"},
            "is_superuser": bool(spec.get("superuser")),
        }
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            user_create(email=spec["email"], password=DEMO_PASSWORD, welcome=False, **access, **profile)
            continue
        user_update_profile(user=user, **profile)
        user_set_access(user=user, password=DEMO_PASSWORD, **access)
    return [{"role": spec["role"], "email": spec["email"], "password": DEMO_PASSWORD} for spec in ACCOUNTS]
