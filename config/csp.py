"""Content-Security-Policy: the site's strict policy, and a looser one for Wagtail's admin.

Public pages (and everything else outside the admin) get ``CONTENT_SECURITY_POLICY``: scripts and
styles from this origin only, no ``'unsafe-inline'``, so injected markup cannot run script. Wagtail
8's admin still writes inline ``<script>`` elements (inline panels, date and time widgets) and
inline styles (Draftail, tooltips, the live preview's sizing), so the paths under the admin's URL
get ``CONTENT_SECURITY_POLICY_ADMIN`` instead: the same sources plus ``'unsafe-inline'`` for
scripts and styles. Only signed-in staff reach those pages, and Wagtail escapes what editors type.

A response that already carries a policy keeps it: Wagtail's document view sends
``default-src 'none'`` (django-csp never overwrites an existing header).
"""

from functools import cached_property

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy for requests under the admin's URL."""

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp decorator (parts.config) still wins over the admin's default.
        if not report_only and parts.config is None and request.path_info.startswith(self.admin_prefix):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
