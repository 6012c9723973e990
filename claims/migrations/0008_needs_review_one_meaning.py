"""`needs_review` had been true for every claim and never cleared; give it its one meaning.

A claim needs review exactly when a status change of it waits for an editor (review_state
pending) or one of its mentions is a suggested, unconfirmed join.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef


def recompute(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    StatusChange = apps.get_model("claims", "StatusChange")
    ClaimMention = apps.get_model("claims", "ClaimMention")
    waiting = Exists(
        StatusChange.objects.filter(claim=OuterRef("pk"), review_state="pending")
    ) | Exists(ClaimMention.objects.filter(claim=OuterRef("pk"), suggested=True))
    Claim.objects.filter(waiting).update(needs_review=True)
    Claim.objects.exclude(waiting).update(needs_review=False)


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_claim_merged_not_a_claim_review_flag")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
