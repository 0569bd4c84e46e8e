from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

import params.converters  # noqa: F401  (registers the <id:...> converter)
from archive import oai as archive_oai
from courses import urls as course_urls
from lessons import module_urls as lesson_module_urls
from lessons import module_views as lesson_module_views
from lessons import offline_views as lesson_offline_views
from lessons import views as lesson_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap),
    # Browsers ask for /favicon.ico on every page; base.html links the SVG too.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    path("oai/", archive_oai.endpoint, name="oai"),
    # The player's heartbeat: language-neutral, so it lives outside the i18n prefixes.
    path("api/progress/<id:lesson_id>/", lesson_views.progress_heartbeat, name="lesson_progress"),
    path("api/progress/<id:lesson_id>/view/", lesson_views.lesson_viewed, name="lesson_viewed"),
    # Offline lessons: the service worker must be served from the root for its scope to be the site.
    path("offline-sw.js", lesson_offline_views.service_worker, name="offline_sw"),
]


def public_media(request, path: str, **kwargs):
    """Development's MEDIA_URL, without the files that only a view may serve (documents: base.py)."""
    import posixpath

    from django.http import Http404
    from django.views.static import serve

    # Normalised as serve() will, so that "x/../documents/…" is refused too.
    if posixpath.normpath(path).lstrip("/").startswith(settings.MEDIA_PRIVATE_PREFIXES):
        raise Http404
    return serve(request, path, **kwargs)


if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, view=public_media, document_root=settings.MEDIA_ROOT)

# Arabic, the default language, lives at "/"; French under "/fr/".
urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("my/", lesson_module_views.dashboard, name="dashboard"),
    path("my/downloads/", lesson_offline_views.downloads, name="offline_downloads"),
    path("learn/", include("lessons.urls")),
    # One "courses" namespace: the courses app's URLs and the module reports, which the lessons
    # app serves because they read progress (courses never imports lessons).
    path("", include((course_urls.urlpatterns + lesson_module_urls.urlpatterns, "courses"))),
    path("search/", search_views.search, name="search"),
    path("media-pipeline/", include("media_pipeline.urls")),
    path("programme/", include("programme.urls")),
    path("search/autocomplete/", search_views.autocomplete, name="search_autocomplete"),
    # The programme's door (phones at the venue): its own namespace, so it can move under programme.urls.
    path("checkin/", include("programme.checkin_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
