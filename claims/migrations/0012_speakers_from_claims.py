"""Speakers from the claims already stored, and the roles' permissions on speakers.

Every claim's speaker string is linked to a Speaker (claims.speakers.link_speakers, run on
the historical models): "President Ilse Varga" and "Ilse Varga" become one speaker, "who"
none. Editors change speakers (rename, merge, edit spellings); Viewers see them.
"""

from types import SimpleNamespace

from django.contrib.auth.management import create_permissions
from django.db import migrations


def link_existing_claims(apps, schema_editor):
    from claims import speakers

    models = SimpleNamespace(
        Claim=apps.get_model("claims", "Claim"),
        Speaker=apps.get_model("claims", "Speaker"),
        SpeakerAlias=apps.get_model("claims", "SpeakerAlias"),
        StatusChange=apps.get_model("claims", "StatusChange"),
    )
    speakers.link_speakers(models=models)


def unlink(apps, schema_editor):
    apps.get_model("claims", "Claim").objects.update(speaker_ref=None)
    apps.get_model("claims", "SpeakerAlias").objects.all().delete()
    apps.get_model("claims", "Speaker").objects.all().delete()


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(*codenames):
        return Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )

    viewing = perms("view_speaker", "view_speakeralias")
    for group in Group.objects.filter(name__in=["Viewer", "Editor"]):
        group.permissions.add(*viewing)
        if group.name == "Editor":
            group.permissions.add(
                *perms(
                    "change_speaker",
                    "add_speakeralias",
                    "change_speakeralias",
                    "delete_speakeralias",
                )
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    speaker_perms = Permission.objects.filter(
        content_type__app_label="claims", content_type__model__in=["speaker", "speakeralias"]
    )
    for group in Group.objects.filter(name__in=["Viewer", "Editor"]):
        group.permissions.remove(*speaker_perms)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_speakers"),
        ("claims", "0009_editor_viewer_groups"),
    ]

    operations = [
        migrations.RunPython(link_existing_claims, unlink),
        migrations.RunPython(grant, revoke),
    ]
