from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("quiz/<int:quiz_id>/lesson/<int:lesson_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempt/<int:pk>/", views.attempt_view, name="attempt"),
    path("attempt/<int:pk>/result/", views.attempt_result, name="attempt_result"),
    path("video/<int:document_id>/", views.video_file, name="video"),
]
