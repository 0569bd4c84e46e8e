"""Seed the editorial browser test's database (run by ``manage.py shell``): the two home
trees, an editor (Arabic) and a reviewer (French) with a known password, a ready recording
and a quiz. Prints their ids as JSON."""

import json
import os

from django.contrib.auth.models import Group

from accounts.services import sync_admin_language
from courses.models import CourseIndexPage
from demo import home as home_demo
from tests.courses.factories import make_quiz
from tests.editorial.conftest import recording
from tests.factories import UserFactory

PASSWORD = os.environ["TAKWIN_TEST_PASSWORD"]

homes = home_demo.load()
users = {}
for email, name, group, language in (
    ("salma@example.ma", "سلمى بناني", "Editors", "ar"),
    ("nadia@example.ma", "Nadia Ouazzani", "Reviewers", "fr"),
    ("youssef@example.ma", "يوسف العلمي", "Reviewers", "ar"),
):
    user = UserFactory(email=email, full_name=name, is_staff=True, preferred_language=language, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    sync_admin_language(user)
    users[email] = user.pk
asset = recording("ورشة الميزانية التشاركية", duration=1260)
quiz = make_quiz(title="اختبار الميزانية")
catalogue = CourseIndexPage.objects.get(slug="courses", locale__language_code="ar")
print(json.dumps({"catalogue": catalogue.pk, "recording": asset.pk, "quiz": quiz.pk, "users": users}))
