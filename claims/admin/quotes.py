"""Quotes: words anchored to their place in an article (services.record_quote and edit_quote find the span)."""

from django import forms
from django.contrib import admin

from claims.admin.base import HistoryAdmin, ServiceForm
from claims.models import Quote


class QuoteForm(ServiceForm):
    # The services' "anchored": the words are found in the article (the span may be left blank), or not (heard on air).
    anchored = forms.BooleanField(
        required=False,
        initial=True,
        label="Anchored in the article",
        help_text="Leave start and end blank to have the words found in the article body. "
        "Untick for words not in the article's text (heard on air); start and end are then cleared.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["anchored"] = self.instance.is_anchored


@admin.register(Quote)
class QuoteAdmin(HistoryAdmin):
    form = QuoteForm
    list_display = ("short_text", "speaker", "kind", "article", "said_on", "via")
    list_filter = ("kind", "said_on", "article__outlet")
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "via", "article__headline")
    autocomplete_fields = ("article", "speaker")
    date_hierarchy = "said_on"
    actions = ["export_csv"]
    csv_export = "quotes_csv"
    fields = (
        "article", "speaker", "text", "anchored", "start", "end", "kind", "speaker_title", "said_on",
        "said_on_precision", "via", "created_by", "created_at", "modified_at",
    )  # fmt: skip

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:100]
