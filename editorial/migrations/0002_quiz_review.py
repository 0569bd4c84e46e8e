"""Quizzes go through the "Editorial review" workflow (created by 0001) as pages do.

Editors add and change quizzes (their edits are drafts until reviewed) but cannot publish one;
Reviewers open, lock and approve them. The publish/lock/unlock permissions Wagtail creates for
snippets after migrating are created here first, so that the groups can be given them now.
"""

from django.db import migrations

WORKFLOW = "Editorial review"
EDITOR_ACTIONS = ("add", "change", "delete", "lock", "unlock")
REVIEWER_ACTIONS = ("change", "lock", "unlock")
SNIPPET_ACTIONS = {"publish": "Can publish quiz", "lock": "Can lock quiz", "unlock": "Can unlock quiz"}


def assign_workflow(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    lessons = apps.get_app_config("lessons")
    models_module = getattr(lessons, "models_module", None)
    lessons.models_module = models_module or True  # the migration state's stub has none
    create_permissions(lessons, apps=apps, verbosity=0)
    lessons.models_module = models_module
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    quiz_type, _ = ContentType.objects.get_or_create(app_label="lessons", model="quiz")
    for action, name in SNIPPET_ACTIONS.items():
        Permission.objects.get_or_create(content_type=quiz_type, codename=f"{action}_quiz", defaults={"name": name})
    for group_name, actions in (("Editors", EDITOR_ACTIONS), ("Reviewers", REVIEWER_ACTIONS)):
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(
                content_type=quiz_type, codename__in=[f"{action}_quiz" for action in actions]
            ))
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(content_type=quiz_type, defaults={"workflow": workflow})


def unassign_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    quiz_type = ContentType.objects.filter(app_label="lessons", model="quiz").first()
    if quiz_type is not None:
        apps.get_model("wagtailcore", "WorkflowContentType").objects.filter(content_type=quiz_type).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("editorial", "0001_review_task_and_scheduler"),
        ("lessons", "0006_quiz_review"),
    ]

    operations = [migrations.RunPython(assign_workflow, unassign_workflow)]
