"""The door's URLs (check-in, its sync, the sign-in sheet), included under ``checkin/`` in both languages."""

from django.urls import path

from . import checkin_views as views

app_name = "checkin"

urlpatterns = [
    path("", views.index, name="index"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("<id:session_id>/", views.page, name="page"),
    path("<id:session_id>/roster.json", views.roster, name="roster"),
    path("<id:session_id>/sync/", views.sync, name="sync"),
    path("<id:session_id>/sheet/<id:half_day_id>.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("<id:session_id>/sheet/<id:half_day_id>/", views.sheet_entry, name="sheet_entry"),
]
