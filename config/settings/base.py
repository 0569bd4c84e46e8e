"""Base settings: secure by default.

Everything secret or host-specific comes from the environment. ``dev``, ``test``
and ``production`` adjust this module; nothing here should need editing to deploy.
See ``.env.example`` for every variable read below.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read a setting from the environment (empty strings count as unset)."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    # Refusing to start beats running with a guessable key; dev and test set their own.
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (see .env.example).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates and translations win over the libraries'.
    "accounts",
    "vocabulary",
    "home",
    "courses",
    "lessons",
    "media_pipeline",
    "wagtailmedia",
    "archive",
    "programme",
    "search",
    "pagecache",
    "editorial",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, the admin's own policy under /admin/ (config/csp.py).
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, before anything reads the session or the user: a cached
    # anonymous page is answered here without a query (pagecache/middleware.py).
    "pagecache.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees failed logins from every authentication path (site and admin).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -------------------------------------------------------------------
# SQLite (WAL) on one machine; PostgreSQL or any other engine through DATABASE_URL.
# Persistent connections: without them every request opened a new connection (and, on SQLite,
# ran the PRAGMAs below again). The health check replaces a connection the server dropped.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; the busy timeout
        # waits for the writer instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches ---------------------------------------------------------------------
# Shared by every process: a publish in one web worker must purge the pages that the others
# cached (pagecache/). Redis when CACHE_REDIS_URL is set, else files under var/cache.
CACHE_REDIS_URL = env("CACHE_REDIS_URL", "")
if CACHE_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            # Django's file cache lists its whole folder on every write (to cull): keep it small.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Anonymous pages kept this long at most (a publish purges them at once); 0 turns the cache off.
PAGECACHE_SECONDS = int(env("PAGECACHE_SECONDS", "300"))

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"

# Login rate limiting (django-axes): lock an e-mail + address pair after repeated failures.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Languages ------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Casablanca"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME"):
    # Past one machine, every uploaded and generated file goes to S3 (or any
    # S3-compatible store); nothing else changes in the code.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "region_name": env("AWS_S3_REGION_NAME", "us-east-1"),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "file_overwrite": False,
            "default_acl": None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
        },
    }

# --- Protected media (issue 11: recordings only the right learner can fetch) -----
# Recordings (originals, encodes, captions: names under media_pipeline/) and Wagtail's
# documents (some are lessons' videos) never live where a public URL reaches them. The
# default storage routes those names (media_pipeline/storage.py): on local disk to
# PROTECTED_MEDIA_ROOT, outside MEDIA_ROOT and nginx's public /media/ alias, sent only
# by views that check access (through nginx's internal /_protected/ location when
# MEDIA_PIPELINE_ACCEL_REDIRECT is set); on S3 as private objects behind signed URLs
# (presigned GETs, or CloudFront signed URLs with AWS_S3_CUSTOM_DOMAIN and a key).
# Files stored before this change: `manage.py media_protect_files` moves them.
# Empty: a `protected` folder beside MEDIA_ROOT (var/protected), whatever MEDIA_ROOT is.
PROTECTED_MEDIA_ROOT = env("DJANGO_PROTECTED_MEDIA_ROOT", "")
MEDIA_PIPELINE_ACCEL_REDIRECT = env("MEDIA_PIPELINE_ACCEL_REDIRECT", "")
STORAGES["default"]["BACKEND"] = {
    "django.core.files.storage.FileSystemStorage": "media_pipeline.storage.ProtectedFileSystemStorage",
    "storages.backends.s3.S3Storage": "media_pipeline.storage.ProtectedS3Storage",
}[STORAGES["default"]["BACKEND"]]
if env("AWS_CLOUDFRONT_KEY_ID"):
    AWS_CLOUDFRONT_KEY_ID = env("AWS_CLOUDFRONT_KEY_ID")
    AWS_CLOUDFRONT_KEY = Path(env("AWS_CLOUDFRONT_KEY_FILE")).read_bytes()
# --- end of protected media -------------------------------------------------------

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background work ------------------------------------------------------------
# django-tasks with a database queue by default; TASKS_BACKEND=rq moves the same
# tasks to Redis (RQ) workers.
TASKS_BACKEND = env("TASKS_BACKEND", "database")
RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 6 * 3600}}
RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "config.tasks_rq.ResultKeepingWorker"}
RQ_RESULT_TTL = int(env("RQ_RESULT_TTL", str(7 * 24 * 3600)))
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "config.tasks_rq.OnCommitRQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Wagtail --------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Takwin"
# A review's approval publishes the page even though reviewers may not publish alone (editorial/).
WAGTAIL_FINISH_WORKFLOW_ACTION = "editorial.workflow_actions.publish_approved"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# --- Documents: never rendered by a browser on the site's origin ----------------
# Anyone with upload rights (editors, trainers, the archive import) adds documents, so a
# document is only ever *downloaded*, never rendered on the site's origin:
# - on local disk documents live in the protected folder (see "Protected media" above), and
#   Wagtail's view sends them (it sees a local path) with Content-Security-Policy:
#   default-src 'none', X-Content-Type-Options: nosniff, and always as an attachment (no
#   content type is shown inline, not even PDF);
# - on S3 Wagtail redirects to a short-lived presigned URL of the private object, on the
#   bucket's own origin: a large lesson video is not streamed through a web worker.
#   (None is Wagtail's own rule: "redirect" for storages without a local path, else "serve_view".)
# - config/urls.py also refuses documents/ under MEDIA_URL in development.
# The archive import checks each attachment's content against these extensions
# (archive/attachments.py); HTML and SVG are never among them.
WAGTAILDOCS_SERVE_METHOD = None
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
MEDIA_PRIVATE_PREFIXES = ("documents/",)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "odp", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip",
                          # photos of activities attached to archive records
                          "jpg", "jpeg", "png", "webp",
                          # MP4 lesson and archive videos made before the media pipeline
                          "mp4", "webm"]
# Whoosh with Arabic and French analysis (search/); past one machine, switch to
# OpenSearch by settings alone (search/README.md). The task worker is the index's
# only writer.
SEARCH_INDEX_DIR = env("SEARCH_INDEX_DIR", str(BASE_DIR / "var" / "search-index"))
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends.whoosh", "PATH": SEARCH_INDEX_DIR},
}

# wagtailmedia's library, admin and chooser, on the pipeline's model (transcoding, HLS).
WAGTAILMEDIA = {
    "MEDIA_MODEL": "media_pipeline.MediaAsset",
    # What phones and cameras record; media_pipeline transcodes all of them.
    "VIDEO_EXTENSIONS": ["mp4", "m4v", "mov", "mkv", "webm", "3gp", "avi", "mts"],
    "AUDIO_EXTENSIONS": ["m4a", "mp3", "wav", "ogg", "aac", "flac"],
}

# --- E-mail ---------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Takwin <no-reply@takwin.ma>")

# --- Security (secure unless a settings module relaxes it) ----------------------
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's admin would load every editor's picture from gravatar.com: a third party the admin
# must not call (and its Content-Security-Policy would block it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Content-Security-Policy (django-csp; config/csp.py picks the policy per path) --------
# Public pages: nothing inline runs; scripts, styles and fonts come from this origin only. The
# player needs blob: for media (hls.js feeds MediaSource) and for hls.js's transmuxing worker;
# recordings and images may come from the file store's origin when it is not this one.


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else None


def _file_origins() -> list[str]:
    """Origins files are served from besides this one: CSP_MEDIA_ORIGINS when set, else derived
    from an absolute MEDIA_URL and the S3 settings."""
    if explicit := env_list("CSP_MEDIA_ORIGINS"):
        return explicit
    origins = [_origin(MEDIA_URL), _origin(env("AWS_S3_ENDPOINT_URL"))]
    if domain := env("AWS_S3_CUSTOM_DOMAIN"):
        origins.append(f"https://{domain}")
    elif env("AWS_STORAGE_BUCKET_NAME") and not env("AWS_S3_ENDPOINT_URL"):
        origins += ["https://s3.amazonaws.com", "https://*.amazonaws.com"]  # AWS itself, path or virtual-host style
    return list(dict.fromkeys(o for o in origins if o))


_FILES = _file_origins()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "font-src": [SELF],
        "img-src": [SELF, "data:", *_FILES],
        "media-src": [SELF, "blob:", *_FILES],
        "connect-src": [SELF, *_FILES],
        "worker-src": [SELF, "blob:"],
        # Embeds that editors put in rich text (a video host's player) need their origin here.
        "frame-src": [SELF, *env_list("CSP_FRAME_ORIGINS")],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],  # as X_FRAME_OPTIONS: Wagtail's live preview frames the site
    }
}
if report_uri := env("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [report_uri]
# Wagtail 8's admin writes inline <script> elements and inline styles, so under /admin/ (staff
# only) scripts and styles may also be inline; everything else stays as strict (config/csp.py).
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_FILES],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
