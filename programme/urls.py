"""The programme's URLs (served under ``/programme/`` in both languages, namespace ``programme``).

The plan itself and its feed are the plan page's routes (``PlanPage``); check-in (progdoor) and the
after-session views (progafter) bring their own modules, included here.
"""

from django.urls import include, path

import params.converters  # noqa: F401  (registers <id:...> and <code:...>)

from . import views

app_name = "programme"

urlpatterns = [
    path("my/", views.my_sessions, name="my_sessions"),
    path("my/calendar/<id:user_id>/<code:token>.ics", views.my_calendar, name="my_calendar"),
    path("sessions/<id:session_id>/register/", views.register_view, name="register"),
    path("registrations/<id:registration_id>/cancel/", views.cancel_view, name="cancel"),
    path("", include("programme.after_urls")),
]
