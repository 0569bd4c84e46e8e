from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content (development and test settings only)."""

    name = "demo"
    verbose_name = "Demo content"
