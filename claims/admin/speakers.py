"""Speakers, their other names, and folding duplicates together."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import services
from claims.admin.base import REFUSALS, HistoryAdmin, PolicyInline, count_of, explain
from claims.models import Quote, Speaker, SpeakerAlias
from claims.policy import can


class SpeakerAliasInline(PolicyInline):
    model = SpeakerAlias
    fk_name = "speaker"
    fields = ("name",)
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(HistoryAdmin):
    list_display = ("name", "kind", "description", "party", "region", "organization", "quote_count")
    list_filter = ("kind", "party", "region")
    list_select_related = ("organization",)
    search_fields = ("name", "slug", "aliases__name", "description", "party", "region")
    autocomplete_fields = ("organization",)
    inlines = [SpeakerAliasInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=count_of(Quote, "speaker"))

    @admin.display(ordering="quote_count", description="quotes")
    def quote_count(self, obj):
        return obj.quote_count

    @admin.action(description="Merge the selected speakers into the one with most quotes", permissions=["merge"])
    def merge_selected(self, request, queryset):
        speakers = sorted(queryset, key=lambda s: (-s.quote_count, s.pk))
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return
        keep, *others = speakers
        try:
            with transaction.atomic():
                for other in others:
                    services.merge_speakers(keep=keep, merge=other, acting_user=request.user)
        except REFUSALS as error:
            self.message_user(
                request, f"Nothing was merged: merging “{other}” into “{keep}”: {explain(error)}", messages.ERROR
            )
            return
        merged = ", ".join(f"“{other}”" for other in others)
        self.message_user(request, f"Merged {merged} into “{keep}”.", messages.SUCCESS)

    def has_merge_permission(self, request):
        return can(request.user, "merge")


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(HistoryAdmin):
    list_display = ("name", "speaker")
    list_filter = ("speaker__kind",)
    list_select_related = ("speaker",)
    search_fields = ("name", "speaker__name")
    autocomplete_fields = ("speaker",)

    def create(self, request, form):
        alias = super().create(request, form)
        if alias is None:
            # add_speaker_alias adds nothing for a name the speaker already has: say so rather than pretend.
            raise ValidationError({"name": f"“{form.cleaned_data['speaker']}” already goes by this name."})
        return alias
