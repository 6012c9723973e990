"""One smoke test per admin page, with rows in them."""

import pytest
from django.urls import reverse

from claims.models import StatusChange
from tests.admin_rows import make_admin_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    return make_admin_rows()


@pytest.mark.parametrize(
    "model",
    [
        "sources_source",
        "sources_article",
        "claims_claim",
        "claims_statuschange",
        "claims_subscription",
        "claims_alertdelivery",
    ],
)
def test_admin_changelist_renders(admin_client, rows, model):
    response = admin_client.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == 200


def test_claim_change_page_shows_history_and_mentions(admin_client, rows):
    _, _, claim = rows

    response = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Deadline passed" in content
    assert "Harbour Gazette" in content


def test_lapsed_filter_lists_unresolved_claims_past_their_window(admin_client, rows):
    response = admin_client.get(reverse("admin:claims_claim_changelist") + "?deadline=lapsed")

    assert response.status_code == 200
    assert "The port deal will be signed by Friday" in response.content.decode()


def test_status_history_is_read_only_in_admin(admin_client, rows):
    change = StatusChange.objects.get()

    response = admin_client.post(
        reverse("admin:claims_statuschange_change", args=[change.pk]), {"reason": "editor"}
    )

    assert response.status_code == 403
