from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("enrol/<int:course_id>/", views.enrol, name="enrol"),
    path("unenrol/<int:course_id>/", views.unenrol, name="unenrol"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/<str:code>/revoke/", views.certificate_revoke_view, name="certificate_revoke"),
]
