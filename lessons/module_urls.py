"""URLs of the module reports. They keep the ``courses:`` names they have always had:
config/urls.py includes them with the courses app's own URLs, under that namespace."""

from django.urls import path

import params.converters  # noqa: F401  (registers the <id:...> converter)

from . import module_views

urlpatterns = [
    path("reports/", module_views.report_index, name="report_index"),
    path("reports/<id:course_id>/", module_views.report_detail, name="report"),
    path("reports/<id:course_id>/export.<str:fmt>", module_views.report_export, name="report_export"),
]
