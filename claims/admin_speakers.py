"""Admin for speakers: one row per speaker with their track record, spellings, merge.

The track-record columns come from `claims.speakers.with_track_record`, the same
computation as the dashboard's table. Merging asks first: a page lists the speakers, the
editor picks the one to keep, and only then do spellings and claims move.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from claims import speakers
from claims.models import Speaker, SpeakerAlias

MAX_MERGE = 50


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    fields = ("name",)
    extra = 0
    verbose_name = "spelling"
    verbose_name_plural = "spellings seen in the news (claims by any of them are this speaker's)"


class MergeSpeakersForm(forms.Form):
    survivor = forms.TypedChoiceField(
        coerce=int, label="Keep", help_text="The others' spellings and claims move to this one."
    )

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.speakers = list(speakers)
        self.fields["survivor"].choices = [
            (s.pk, f"{s.name} ({s.claim_count} claim{'s' if s.claim_count != 1 else ''})")
            for s in self.speakers
        ]
        if self.speakers:
            self.fields["survivor"].initial = self.speakers[0].pk

    def clean(self):
        data = super().clean()
        if len(self.speakers) < 2:
            raise forms.ValidationError("Select at least two speakers to merge.")
        return data


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "spellings",
        "claims_column",
        "kept",
        "kept_late",
        "missed",
        "moved",
        "contradicted",
        "unresolved",
    )
    search_fields = ("name", "aliases__name")
    search_help_text = "Searches the name and every spelling seen in the news."
    list_per_page = 50
    show_full_result_count = False
    fields = ("name", "record")
    readonly_fields = ("record",)
    inlines = (SpeakerAliasInline,)
    actions = ("merge_speakers",)

    def has_add_permission(self, request):
        return False  # speakers come from claims

    def get_queryset(self, request):
        # Annotated before the admin orders by the annotations (Django's get_queryset
        # orders first).
        annotated = speakers.with_track_record(self.model._default_manager.get_queryset())
        return annotated.order_by(*self.get_ordering(request)).prefetch_related("aliases")

    def get_ordering(self, request):
        return ("-claim_count", "name", "pk")

    @admin.display(description="spellings")
    def spellings(self, obj: Speaker) -> str:
        names = [a.name for a in obj.aliases.all() if a.name != obj.name]
        shown = ", ".join(names[:4])
        return shown + (f" and {len(names) - 4} more" if len(names) > 4 else "") or "—"

    @admin.display(description="claims", ordering="claim_count")
    def claims_column(self, obj: Speaker) -> str:
        url = reverse("admin:claims_claim_changelist") + "?" + urlencode({"speaker": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.claim_count)

    @admin.display(description="kept", ordering="kept")
    def kept(self, obj: Speaker) -> int:
        return obj.kept

    @admin.display(description="kept late", ordering="kept_late")
    def kept_late(self, obj: Speaker) -> int:
        return obj.kept_late

    @admin.display(description="missed", ordering="missed")
    def missed(self, obj: Speaker) -> int:
        return obj.missed

    @admin.display(description="deadline moved", ordering="moved")
    def moved(self, obj: Speaker) -> int:
        return obj.moved

    @admin.display(description="contradicted", ordering="contradicted")
    def contradicted(self, obj: Speaker) -> int:
        return obj.contradicted

    @admin.display(description="unresolved", ordering="unresolved")
    def unresolved(self, obj: Speaker) -> int:
        return obj.unresolved

    @admin.display(description="track record")
    def record(self, obj: Speaker) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{} claim(s)</a>: {} kept, {} kept late, {} missed, {} with the '
            "deadline moved, {} contradicted, {} unresolved.",
            reverse("admin:claims_claim_changelist") + "?" + urlencode({"speaker": obj.pk}),
            obj.claim_count,
            obj.kept,
            obj.kept_late,
            obj.missed,
            obj.moved,
            obj.contradicted,
            obj.unresolved,
        )

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            obj.name_set_by_editor = True
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge the selected speakers…", permissions=["change"])
    def merge_speakers(self, request, queryset):
        chosen = list(queryset.order_by("-claim_count", "pk")[: MAX_MERGE + 1])
        if len(chosen) > MAX_MERGE:
            self.message_user(
                request, f"Select at most {MAX_MERGE} speakers at a time.", messages.WARNING
            )
            return None
        form = MergeSpeakersForm(request.POST if "apply" in request.POST else None, speakers=chosen)
        if "apply" in request.POST and form.is_valid():
            survivor = next(s for s in chosen if s.pk == form.cleaned_data["survivor"])
            others = [s for s in chosen if s.pk != survivor.pk]
            moved = speakers.merge_speakers(survivor, others)
            names = ", ".join(s.name for s in others)
            self.log_change(request, survivor, f"Merged {names} into this speaker.")
            self.message_user(
                request,
                f"Merged {names} into {survivor.name}; {moved} claim(s) moved.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "explanation": "Every spelling and claim of the others moves to the speaker you "
            "keep; the others are removed. Their names stay known as spellings of the one kept.",
            "speakers": chosen,
            "form": form,
            "opts": self.model._meta,
            "action_name": "merge_speakers",
            "selected": [s.pk for s in chosen],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": reverse("admin:claims_speaker_changelist"),
            "button": "Merge",
        }
        return TemplateResponse(request, "admin/claims/speaker_merge.html", context)
