"""Test settings: fast hashing, tasks run inline, files in a throw-away folder."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "*")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="takwin-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="takwin-test-static-")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run inline unless a test opts into a real queue with override_settings.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATICFILES_DIRS = [BASE_DIR / "static"]
WAGTAILADMIN_BASE_URL = "http://testserver"
AXES_ENABLED = True
# Archive demo: a handful of generated entries and no ffmpeg video keep `load_demo` quick in tests.
ARCHIVE_DEMO_GENERATED = 6
ARCHIVE_DEMO_MEDIA = False
# The demo recording is encoded inline by the immediate task backend: only tests that want it turn it on.
DEMO_RECORDINGS = False

# Search: the Whoosh index in a throw-away folder; modelsearch's test app and
# fixture for its backend conformance suite (tests/search/test_backend_conformance.py).
SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="takwin-test-search-")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.whoosh", "PATH": SEARCH_INDEX_DIR}}
MODELSEARCH_BACKENDS = WAGTAILSEARCH_BACKENDS
INSTALLED_APPS += ["modelsearch.test.testapp", "tests.search.testapp"]  # noqa: F405
MIGRATION_MODULES = {"searchtests": None}
FIXTURE_DIRS = [BASE_DIR / "tests" / "search" / "fixtures"]
