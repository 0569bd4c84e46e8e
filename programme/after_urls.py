"""Stub: the routes of another helper (replaced at merge)."""

urlpatterns = []
