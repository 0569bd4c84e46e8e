"""Admin URLs of the editorial layer (mounted under /admin/editorial/ by wagtail_hooks)."""

from django.urls import path

import params.converters  # noqa: F401  (registers <id:...> and <code:...>)

from . import views

app_name = "editorial"
urlpatterns = [
    path("pages/<id:page_id>/translate/<code:language>/", views.translate, name="translate"),
    path("modules/<id:course_id>/order/", views.lessons_order, name="lessons_order"),
    path("lessons/<id:lesson_id>/quiz/", views.lesson_quiz, name="lesson_quiz"),
    path("lessons/<id:lesson_id>/recording/", views.lesson_recording, name="lesson_recording"),
    path("reviews/<id:task_state_id>/refused/", views.approval_refused, name="approval_refused"),
]
