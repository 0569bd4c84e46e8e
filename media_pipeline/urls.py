from django.urls import path
from django.views.decorators.csrf import csrf_protect

from . import views

app_name = "media_pipeline"

urlpatterns = [
    path("tus/", csrf_protect(views.tus_collection), name="tus"),
    path("tus/<uuid:key>", csrf_protect(views.tus_upload), name="tus_upload"),
    path("status/<int:pk>.json", views.status, name="status"),
    path("recordings/", views.my_recordings, name="my_recordings"),
    path("recordings/<int:pk>/", views.watch, name="watch"),
]
