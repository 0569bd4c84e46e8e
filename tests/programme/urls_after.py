"""The project's URLs plus progafter's routes under /programme/, as programme/urls.py will serve them
after the merge (progcore owns that module and config's include of it)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = i18n_patterns(
    path("programme/", include(("programme.after_urls", "programme"))),
    prefix_default_language=False,
) + project_urlpatterns
