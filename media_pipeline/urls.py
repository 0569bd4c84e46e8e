from django.urls import path
from django.views.decorators.csrf import csrf_protect

import params.converters  # noqa: F401  (registers the <id:...> converter)

from . import views

app_name = "media_pipeline"

urlpatterns = [
    path("tus/", csrf_protect(views.tus_collection), name="tus"),
    path("tus/<uuid:key>", csrf_protect(views.tus_upload), name="tus_upload"),
    path("status/<id:pk>.json", views.status, name="status"),
    path("recordings/", views.my_recordings, name="my_recordings"),
    path("recordings/<id:pk>/", views.watch, name="watch"),
    path("recordings/<id:pk>/delete/", views.recording_delete, name="recording_delete"),
    path("recordings/<id:pk>/captions/", views.caption_upload, name="caption_upload"),
    path("preferences/", views.preferences, name="preferences"),
    path("hls/<str:token>/master.m3u8", views.hls_master, name="hls_master"),
    path("hls/<str:token>/v/<str:spec>.m3u8", views.hls_variant, name="hls_variant"),
    path("hls/<str:token>/subs/<str:language>.m3u8", views.hls_subtitles, name="hls_subtitles"),
    path("hls/<str:token>/storyboard.vtt", views.hls_storyboard, name="hls_storyboard"),
    path("hls/<str:token>/f/<path:path>", views.hls_file, name="hls_file"),
    path("protected/<path:name>", views.protected_file, name="protected_file"),
]
