"""``manage.py load_demo``: the demo accounts printed, the content made once."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Page

from courses.models import CoursePage
from vocabulary.models import Commune, Person, Theme

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_load_demo_prints_the_accounts_and_is_idempotent():
    """The first run makes the 24 modules, 12 themes per language, the 8 seat communes and the
    trainer and prints the four accounts; a second run prints them again and creates nothing."""
    first = io.StringIO()
    call_command("load_demo", stdout=first)
    counts = (
        Page.objects.count(),
        CoursePage.objects.count(),
        Theme.objects.count(),
        Commune.objects.count(),
        Person.objects.count(),
    )
    second = io.StringIO()
    call_command("load_demo", stdout=second)
    assert counts == (
        Page.objects.count(),
        CoursePage.objects.count(),
        Theme.objects.count(),
        Commune.objects.count(),
        Person.objects.count(),
    )
    assert counts[1:4] == (24, 24, 8)
    for output in (first.getvalue(), second.getvalue()):
        for email in ("admin@takwin.test", "editor@takwin.test", "trainer@takwin.test", "learner@takwin.test"):
            assert email in output and "takwin-demo-2026" in output
    trainer = Person.objects.get(name_fr="Karim El Idrissi")
    assert trainer.user.email == "trainer@takwin.test"
    assert CoursePage.objects.filter(trainers=trainer).count() == 24


def _installed_apps(settings_module: str) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "takwin.example.ma",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
    }
    code = "import django; from django.conf import settings; django.setup(); print(' '.join(settings.INSTALLED_APPS))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_demo_is_installed_in_development_only_not_in_production():
    """The production settings leave the demo app (and its load_demo command) out; development has it."""
    assert "demo" not in _installed_apps("config.settings.production")
    assert "demo" in _installed_apps("config.settings.dev")
