"""Demo accounts, one per role. Passwords are for a local demo only."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.groups import EDITORS, LEARNERS, TRAINERS

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
    """Create or refresh the demo accounts; return them for printing."""
    from accounts.services import PROFILE_FIELDS, sync_admin_language

    User = get_user_model()
    for spec in ACCOUNTS:
        user = User.objects.filter(email=spec["email"]).first() or User(email=spec["email"])
        for name in PROFILE_FIELDS:
            if name in spec:
                setattr(user, name, spec[name])
        user.is_staff = bool(spec.get("superuser")) or spec["role"] in {"editor", "trainer"}
        user.is_superuser = bool(spec.get("superuser"))
        if not user.pk or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=spec["groups"]))
        sync_admin_language(user)
    return [{"role": spec["role"], "email": spec["email"], "password": DEMO_PASSWORD} for spec in ACCOUNTS]
