"""Outlets and the articles they publish, with the quotes recorded in each."""

from django.contrib import admin

from claims.admin.base import HistoryAdmin, PolicyInline
from claims.models import Article, Outlet, Quote


@admin.register(Outlet)
class OutletAdmin(HistoryAdmin):
    list_display = ("name", "kind", "country", "homepage")
    list_filter = ("kind", "country")
    search_fields = ("name", "slug", "homepage")


class QuoteInline(PolicyInline):
    """An article's quotes; services.record_quote and edit_quote find the words in the body."""

    model = Quote
    fk_name = "article"
    fields = ("speaker", "text", "kind", "speaker_title", "said_on", "via")
    autocomplete_fields = ("speaker",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ("headline", "outlet", "credited_to", "published_at", "language")
    list_filter = ("outlet", "language", "published_at")
    list_select_related = ("outlet", "credited_to")
    search_fields = ("headline", "url", "byline")
    autocomplete_fields = ("outlet", "credited_to")
    date_hierarchy = "published_at"
    inlines = [QuoteInline]
