"""The attendee's evaluation form."""

from django import forms
from django.utils.translation import gettext_lazy as _

SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class EvaluationForm(forms.Form):
    """Satisfaction and usefulness from 1 to 5 (5 is best), and an optional comment."""

    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the session?"), choices=SCORES, coerce=int, widget=forms.RadioSelect,
        help_text=_("5 is the best score."),
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful is it for your work?"), choices=SCORES, coerce=int, widget=forms.RadioSelect,
        help_text=_("5 is the best score."),
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
