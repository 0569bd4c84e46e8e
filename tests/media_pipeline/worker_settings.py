"""Settings of the worker and watchdog processes started by ``test_watchdog.py``.

The test settings, on the file SQLite database named by ``DATABASE_URL`` (shared by
the processes of one test), with the database queue instead of inline tasks, media in
the test's folder and the pipeline's timings from the environment.
"""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MEDIA_ROOT = os.environ["TAKWIN_TEST_MEDIA_ROOT"]
MEDIA_PIPELINE_FFMPEG = os.environ.get("TAKWIN_TEST_FFMPEG", "ffmpeg")
MEDIA_PIPELINE_STALL_SECONDS = float(os.environ["TAKWIN_TEST_STALL_SECONDS"])
MEDIA_PIPELINE_PROGRESS_INTERVAL = 0.5
MEDIA_PIPELINE_SEGMENT_SECONDS = 2
