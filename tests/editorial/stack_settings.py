"""Settings of the web server and the task worker that the editorial browser test starts as
processes of their own: the test settings on the file SQLite database named by
``DATABASE_URL``, the database task queue (the worker runs what the server queues), search
and media in the test's folder, static files served from the source folders."""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MEDIA_ROOT = os.environ["TAKWIN_TEST_MEDIA_ROOT"]
SEARCH_INDEX_DIR = os.environ["SEARCH_INDEX_DIR"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.whoosh", "PATH": SEARCH_INDEX_DIR}}
MODELSEARCH_BACKENDS = WAGTAILSEARCH_BACKENDS
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
WAGTAILADMIN_BASE_URL = os.environ.get("TAKWIN_TEST_BASE_URL", "http://127.0.0.1")
# Wagtail 8's autosave on the add view creates the page in the background: a click on "Save
# draft" while it is in flight made a second lesson. The test clicks as fast as a script can.
WAGTAIL_AUTOSAVE_INTERVAL = 0
