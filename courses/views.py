"""Learner-facing views of the courses app that are not Wagtail pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    """"My learning": the signed-in learner's modules and certificates."""
    return render(request, "courses/dashboard.html", {})
