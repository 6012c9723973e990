"""The two roles of the editors' workspace, as auth groups.

Editor: reviews and changes claims (statuses through the actions, mentions, review of
proposed changes), manages alert subscriptions and pastes articles; sees everything else.
Viewer: sees everything, changes nothing.
Re-running only adds what is missing; permissions an administrator added stay.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ONLY = [
    ("claims", "claim"),
    ("claims", "claimmention"),
    ("claims", "statuschange"),
    ("claims", "subscription"),
    ("claims", "alertdelivery"),
    ("sources", "source"),
    ("sources", "article"),
    ("sources", "articleversion"),
    ("sources", "articlesource"),
]
EDITOR_EXTRA = [
    ("claims", "change_claim"),
    ("claims", "change_claimmention"),
    ("claims", "change_statuschange"),  # review: accept or reject a proposed change
    ("claims", "add_subscription"),
    ("claims", "change_subscription"),
    ("claims", "delete_subscription"),
    ("sources", "add_article"),  # paste an article
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after the last migration; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(pairs):
        found = []
        for app_label, codename in pairs:
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    viewing = perms((app, f"view_{model}") for app, model in VIEW_ONLY)
    viewer, _ = Group.objects.get_or_create(name="Viewer")
    viewer.permissions.add(*viewing)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*viewing, *perms(EDITOR_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Viewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_needs_review_one_meaning"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
