from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as course_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Arabic, the default language, lives at "/"; French under "/fr/".
urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("my/", course_views.dashboard, name="dashboard"),
    path("search/", search_views.search, name="search"),
    path("search/autocomplete/", search_views.autocomplete, name="search_autocomplete"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
