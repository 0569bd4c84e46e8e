"""Stub: the admin hooks of another helper (replaced at merge)."""
