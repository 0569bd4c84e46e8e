"""Production settings: HTTPS only, hashed static files, PostgreSQL via DATABASE_URL.

Needs at least DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (see
.env.example and the README's deployment section).
"""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Behind nginx, which terminates TLS and sets this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
# Persistent, health-checked database connections come from base (DATABASE_CONN_MAX_AGE, 60 s).

# Wagtail's live preview shows the page in a same-origin iframe, so the site keeps
# X_FRAME_OPTIONS = "SAMEORIGIN" (set in base) rather than "DENY"; other origins stay blocked.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
