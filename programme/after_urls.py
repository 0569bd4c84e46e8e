"""progafter's public routes, included by programme/urls.py (in its namespace)."""

from django.urls import path

import params.converters  # noqa: F401  (registers the <id:...> converter)

from . import after_views

urlpatterns = [
    path("sessions/<id:session_id>/evaluate/", after_views.evaluate, name="evaluate"),
    path("sessions/<id:session_id>/attendees/", after_views.session_attendees, name="attendees"),
    path("cohorts/<id:cohort_id>/", after_views.cohort_page, name="cohort"),
    path("cohorts/<id:cohort_id>/review/", after_views.cohort_review_view, name="cohort_review"),
    path("figures/", after_views.figures, name="figures"),
    path("figures/export/<code:fmt>/", after_views.figures_export, name="figures_export"),
]
