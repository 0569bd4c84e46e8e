"""Test settings: fast hashing, tasks run inline, files in a throw-away folder."""

import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "*")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402


def _ram_temp_root() -> str | None:
    """The tmpfs at /dev/shm when it is writable with room to spare, else None (the system default).

    The search index (a Whoosh commit per saved page), the media storage and the encodes
    create thousands of small files; on this VM's ext4 disk each create/rename/delete
    costs ~0.5 ms, on tmpfs ~20 us, which roughly halves the database-heavy tests. An
    explicit TMPDIR wins; a small /dev/shm (Docker's default is 64 MiB) is not used.
    """
    if os.environ.get("TMPDIR"):
        return None
    shm = "/dev/shm"  # noqa: S108 (only a parent: mkdtemp makes private folders inside)
    try:
        if os.path.isdir(shm) and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= 2 * 1024**3:
            return shm
    except OSError:
        pass
    return None


if _ram_root := _ram_temp_root():
    # pytest's tmp_path, the encoder's work folders and child processes (ffmpeg, chromium) follow.
    os.environ["TMPDIR"] = _ram_root
    tempfile.tempdir = _ram_root
# One folder per process for the files below; tests/conftest.py removes it when the session ends.
TEST_TEMP_ROOT = tempfile.mkdtemp(prefix="takwin-test-")

# One process: the page cache, outlines and routes live in memory, emptied before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="media-", dir=TEST_TEMP_ROOT)
STATIC_ROOT = tempfile.mkdtemp(prefix="static-", dir=TEST_TEMP_ROOT)
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
SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="search-", dir=TEST_TEMP_ROOT)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.whoosh", "PATH": SEARCH_INDEX_DIR}}
MODELSEARCH_BACKENDS = WAGTAILSEARCH_BACKENDS
INSTALLED_APPS += ["demo", "modelsearch.test.testapp", "tests.search.testapp"]  # noqa: F405
MIGRATION_MODULES = {"searchtests": None}
FIXTURE_DIRS = [BASE_DIR / "tests" / "search" / "fixtures"]
