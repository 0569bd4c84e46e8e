from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

import config.converters  # noqa: F401  (registers the <id:...> converter)
from archive import oai as archive_oai
from courses import views as course_views
from lessons import views as lesson_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap),
    path("oai/", archive_oai.endpoint, name="oai"),
    # The player's heartbeat: language-neutral, so it lives outside the i18n prefixes.
    path("api/progress/<id:lesson_id>/", lesson_views.progress_heartbeat, name="lesson_progress"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Arabic, the default language, lives at "/"; French under "/fr/".
urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("my/", course_views.dashboard, name="dashboard"),
    path("learn/", include("lessons.urls")),
    path("", include("courses.urls")),
    path("search/", search_views.search, name="search"),
    path("media-pipeline/", include("media_pipeline.urls")),
    path("search/autocomplete/", search_views.autocomplete, name="search_autocomplete"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
