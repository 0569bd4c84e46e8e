"""Development settings: one machine, debug pages, e-mail printed to the console."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# runserver handles each request in a new thread, so a persistent connection would never be reused.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")

from .base import *  # noqa: E402,F403

INTERNAL_IPS = ["127.0.0.1"]
# `manage.py load_demo` (`make run`); production settings leave the demo out.
INSTALLED_APPS += ["demo"]  # noqa: F405
