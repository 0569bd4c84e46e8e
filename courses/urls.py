from django.urls import path

import params.converters  # noqa: F401  (registers the <id:...> converter)

from . import views

app_name = "courses"

urlpatterns = [
    path("enrol/<id:course_id>/", views.enrol, name="enrol"),
    path("unenrol/<id:course_id>/", views.unenrol, name="unenrol"),
    path("certificates/verify/", views.certificate_lookup, name="certificate_lookup"),
    path("certificates/verify/<code:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<code:code>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/<code:code>/revoke/", views.certificate_revoke_view, name="certificate_revoke"),
]
