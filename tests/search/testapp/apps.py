from django.apps import AppConfig


class SearchTestAppConfig(AppConfig):
    name = "tests.search.testapp"
    label = "searchtestapp"
    default_auto_field = "django.db.models.BigAutoField"
