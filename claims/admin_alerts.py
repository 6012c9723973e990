"""Admin for alerts: subscriptions (a form with choices), the outbox, and Follow on a claim."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from claims import alerts
from claims.models import AlertDelivery, Claim, ClaimStatus, Subscription


class SubscriptionForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        choices=ClaimStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only changes to these statuses (none ticked: every status).",
    )
    time_zone = forms.ChoiceField(
        choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones())], initial="UTC"
    )

    class Meta:
        model = Subscription
        fields = (
            "email",
            "user",
            "claim",
            "speaker",
            "outlet",
            "keyword",
            "changes",
            "statuses",
            "frequency",
            "digest_hour",
            "time_zone",
            "is_active",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:  # absent when the form is read-only (view permission)
            self.fields["email"].required = False
            self.fields["email"].help_text = "Empty: the chosen user's address."

    def clean(self):
        data = super().clean()
        if not data.get("email"):
            user = data.get("user")
            if user is None or not user.email:
                raise forms.ValidationError("Give an email address or a user who has one.")
            data["email"] = user.email
        return data


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = (
        "email",
        "claim",
        "speaker",
        "outlet",
        "keyword",
        "changes",
        "frequency",
        "is_active",
        "created_at",
    )
    list_filter = ("frequency", "changes", "is_active")
    search_fields = ("email", "speaker", "keyword", "outlet")
    raw_id_fields = ("claim", "user")
    list_select_related = ("claim",)

    def get_urls(self):
        follow = self.admin_site.admin_view(require_POST(self.follow_view))
        return [
            path("follow/<int:claim_id>/", follow, name="claims_subscription_follow"),
            *super().get_urls(),
        ]

    def follow_view(self, request, claim_id: int):
        """The claim page's Follow button: the editor follows this claim, at once, all changes.

        Following writes a subscription, so it needs the subscription add permission (an
        Editor has it, a Viewer does not): staff status alone is not enough.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        back = reverse("admin:claims_claim_change", args=[claim.pk])
        if not request.user.email:
            messages.error(request, "Your account has no email address; add one to follow claims.")
            return redirect(back)
        sub, created = Subscription.objects.get_or_create(
            email=request.user.email, claim=claim, defaults={"user": request.user}
        )
        if not created and not sub.is_active:
            Subscription.objects.filter(pk=sub.pk).update(is_active=True)
        messages.success(request, f"You follow this claim: alerts go to {sub.email}.")
        return redirect(back)


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits, and why a mail failed."""

    list_display = (
        "created_at",
        "recipient",
        "change_link",
        "state",
        "attempts",
        "sent_at",
        "last_error",
    )
    list_filter = ("state", "subscription__frequency")
    search_fields = ("subscription__email", "last_error")
    list_select_related = ("subscription", "status_change")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AlertDelivery._meta.fields]
    actions = ["retry_now"]

    @admin.display(description="recipient", ordering="subscription__email")
    def recipient(self, obj):
        return obj.subscription.email

    @admin.display(description="change")
    def change_link(self, obj):
        url = reverse("admin:claims_claim_change", args=[obj.status_change.claim_id])
        return format_html('<a href="{}">{}</a>', url, obj.status_change)

    @admin.action(
        description="Retry the selected failed or pending deliveries now", permissions=["retry"]
    )
    def retry_now(self, request, queryset):
        ids = list(
            queryset.filter(state__in=[AlertDelivery.State.FAILED, AlertDelivery.State.PENDING])
            .filter(subscription__frequency=Subscription.Frequency.IMMEDIATE)
            .values_list("pk", flat=True)
        )
        AlertDelivery.objects.filter(pk__in=ids).update(
            state=AlertDelivery.State.PENDING, attempts=0
        )
        for pk in ids:
            alerts.send_alert_task.apply_async(kwargs={"delivery_id": pk})
        self.message_user(
            request, f"{len(ids)} deliver{'y' if len(ids) == 1 else 'ies'} re-enqueued."
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        """Re-queueing mail is a change to the outbox: the model's change permission.

        `has_change_permission` above is False for everyone (deliveries are never edited
        by hand), so the action asks the permission system directly.
        """
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
