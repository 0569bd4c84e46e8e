"""The shared vocabulary: themes, communes and people.

``Theme`` is only declared here: its table (and its rows, ids and translation keys) comes
from ``courses``, whose migration 0004 renames ``courses_theme`` to ``vocabulary_theme``.
Communes and people are new tables; archive 0005 and courses 0005 copy the archive's
people and the courses' trainers into ``Person``.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("slug", models.SlugField(max_length=80, verbose_name="slug")),
                        ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("locale", models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale")),
                    ],
                    options={
                        "verbose_name": "theme",
                        "verbose_name_plural": "themes",
                        "ordering": ["sort_order", "name"],
                        "abstract": False,
                        "unique_together": {("slug", "locale"), ("translation_key", "locale")},
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="Commune",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_ar", models.CharField(max_length=150, verbose_name="name in Arabic")),
                ("name_fr", models.CharField(max_length=150, verbose_name="name in French")),
                ("province", models.CharField(choices=[("marrakech", "Marrakech"), ("al-haouz", "Al Haouz"), ("chichaoua", "Chichaoua"), ("el-kelaa-des-sraghna", "El Kelaâ des Sraghna"), ("essaouira", "Essaouira"), ("rehamna", "Rehamna"), ("safi", "Safi"), ("youssoufia", "Youssoufia")], max_length=32, verbose_name="province or prefecture")),
                ("kind", models.CharField(choices=[("urban", "Urban"), ("rural", "Rural")], default="rural", max_length=8, verbose_name="kind")),
            ],
            options={
                "verbose_name": "commune",
                "verbose_name_plural": "communes",
                "ordering": ["province", "name_fr"],
                "constraints": [
                    models.UniqueConstraint(fields=("province", "name_fr"), name="unique_commune_fr_per_province"),
                    models.UniqueConstraint(fields=("province", "name_ar"), name="unique_commune_ar_per_province"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_ar", models.CharField(blank=True, max_length=200, verbose_name="name in Arabic")),
                ("name_fr", models.CharField(blank=True, max_length=200, verbose_name="name in French")),
                ("kind", models.CharField(choices=[("expert", "Expert"), ("state-official", "Official of a state service"), ("academic", "Academic"), ("trainer", "Trainer")], default="expert", max_length=20, verbose_name="kind")),
                ("affiliation_ar", models.CharField(blank=True, max_length=250, verbose_name="affiliation in Arabic")),
                ("affiliation_fr", models.CharField(blank=True, max_length=250, verbose_name="affiliation in French")),
                ("bio_ar", models.TextField(blank=True, verbose_name="biography in Arabic")),
                ("bio_fr", models.TextField(blank=True, verbose_name="biography in French")),
                ("photo", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image", verbose_name="photo")),
                ("user", models.ForeignKey(blank=True, help_text="The person's account: it sees the reports of the modules this person trains.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="people", to=settings.AUTH_USER_MODEL, verbose_name="account")),
            ],
            options={
                "verbose_name": "trainer or speaker",
                "verbose_name_plural": "trainers and speakers",
                "ordering": ["name_fr", "name_ar"],
                "indexes": [models.Index(fields=["name_ar"], name="person_name_ar_idx"), models.Index(fields=["name_fr"], name="person_name_fr_idx")],
            },
        ),
    ]
