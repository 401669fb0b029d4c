"""Outlets and the articles they publish."""

from django.contrib import admin

from claims.admin.base import HistoryAdmin
from claims.models import Article, Outlet


@admin.register(Outlet)
class OutletAdmin(HistoryAdmin):
    list_display = ("name", "kind", "country", "homepage")
    list_filter = ("kind", "country")
    search_fields = ("name", "slug", "homepage")


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ("headline", "outlet", "credited_to", "published_at", "language")
    list_filter = ("outlet", "language", "published_at")
    list_select_related = ("outlet", "credited_to")
    search_fields = ("headline", "url", "byline")
    autocomplete_fields = ("outlet", "credited_to")
    date_hierarchy = "published_at"
