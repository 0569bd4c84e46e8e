"""One enrolment and one valid certificate per learner and module across the module's translations.

Both rows get ``course_key`` (the module's Wagtail ``translation_key``). A learner enrolled in the
Arabic and the French module keeps one enrolment: the earliest, with the earliest enrolment and
completion dates, the latest activity, and active if either was. A learner holding a certificate
for both keeps the earliest valid; the later one is revoked (still verifiable, its reason naming
the certificate that replaces it), never deleted.
"""

from django.db import migrations, models

# Shown as is on the public verification page, which has no catalogue for stored text: both languages.
REPLACED = (
    "عوضتها الشهادة {code} (نفس الوحدة بلغة أخرى). · "
    "Remplacé par le certificat {code} (le même module dans une autre langue)."
)


def _earliest(values):
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _latest(values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _merge_enrolments(Enrolment):
    groups = {}
    for row in Enrolment.objects.order_by("enrolled_at", "pk"):
        groups.setdefault((row.user_id, row.course_key), []).append(row)
    for rows in groups.values():
        if len(rows) < 2:
            continue
        keep, others = rows[0], rows[1:]
        active = [r for r in rows if r.status == "active"]
        keep.enrolled_at = _earliest(r.enrolled_at for r in rows)
        keep.completed_at = _earliest(r.completed_at for r in rows)
        keep.last_activity_at = _latest(r.last_activity_at for r in rows)
        keep.status = "active" if active else "unenrolled"
        keep.unenrolled_at = None if active else _latest(r.unenrolled_at for r in rows)
        Enrolment.objects.filter(pk__in=[r.pk for r in others]).delete()
        keep.save()


def _merge_certificates(Certificate, now):
    groups = {}
    for row in Certificate.objects.filter(revoked_at__isnull=True).order_by("issued_at", "pk"):
        groups.setdefault((row.user_id, row.course_key), []).append(row)
    for rows in groups.values():
        keep = rows[0]
        for row in rows[1:]:
            row.revoked_at = now
            row.revocation_reason = REPLACED.format(code=keep.code)
            row.save(update_fields=["revoked_at", "revocation_reason"])


def forwards(apps, schema_editor):
    from django.utils import timezone

    Enrolment = apps.get_model("courses", "Enrolment")
    Certificate = apps.get_model("courses", "Certificate")
    CoursePage = apps.get_model("courses", "CoursePage")
    keys = dict(CoursePage.objects.values_list("pk", "translation_key"))
    for model in (Enrolment, Certificate):
        for course_id, key in keys.items():
            model.objects.filter(course_id=course_id).update(course_key=key)
    _merge_enrolments(Enrolment)
    _merge_certificates(Certificate, timezone.now())
    if schema_editor.connection.vendor == "postgresql":
        # The rows written above leave deferred foreign-key checks pending, and PostgreSQL
        # refuses to ALTER a table with pending trigger events: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_trainers_to_vocabulary"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="enrolment", name="unique_enrolment"),
        migrations.RemoveIndex(model_name="enrolment", name="courses_enr_course__c68f45_idx"),
        migrations.RemoveConstraint(model_name="certificate", name="one_certificate_per_module"),
        migrations.AddField(
            model_name="enrolment",
            name="course_key",
            field=models.UUIDField(editable=False, null=True, verbose_name="module (all its translations)"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="course_key",
            field=models.UUIDField(editable=False, null=True, verbose_name="module (all its translations)"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="enrolment",
            name="course_key",
            field=models.UUIDField(editable=False, verbose_name="module (all its translations)"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="course_key",
            field=models.UUIDField(editable=False, verbose_name="module (all its translations)"),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(fields=("user", "course_key"), name="one_enrolment_per_module"),
        ),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(fields=["course_key", "status"], name="courses_enrol_key_status"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=("user", "course_key"),
                name="one_valid_certificate_per_module",
            ),
        ),
    ]
