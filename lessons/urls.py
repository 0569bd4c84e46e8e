from django.urls import path

import params.converters  # noqa: F401  (registers the <id:...> converter)

from . import module_views, offline_views, views

app_name = "lessons"

urlpatterns = [
    path("quiz/<id:quiz_id>/lesson/<id:lesson_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempt/<id:pk>/", views.attempt_view, name="attempt"),
    path("attempt/<id:pk>/result/", views.attempt_result, name="attempt_result"),
    path("video/<id:document_id>/", views.video_file, name="video"),
    path("offline/<id:lesson_id>/", offline_views.lesson_offline, name="offline"),
    path("offline/<id:lesson_id>/file/<id:recording_id>/<slug:kind>/", offline_views.offline_file, name="offline_file"),
    path("use-recording/<id:recording_id>/", module_views.recording_use, name="recording_use"),
]
