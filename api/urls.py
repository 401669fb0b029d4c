from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import errors, extract, jobs, tokens, views

app_name = "api"

# An address is matched against these in order, one pattern at a time: what the public asks for most comes first.
router = DefaultRouter(trailing_slash=True)
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("outlets", views.OutletViewSet, basename="outlet")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("sources", views.SourceViewSet, basename="source")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("relations", views.ClaimRelationViewSet, basename="relation")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("claimreview/", views.ClaimReviewFeed.as_view(), name="claimreview-feed"),
    *router.urls,
    path("extract/", extract.ExtractView.as_view(), name="extract"),
    path("jobs/<int:pk>/", jobs.JobView.as_view(), name="job"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("token/rotate/", tokens.RotateTokenView.as_view(), name="token-rotate"),
    # Swagger UI's start-up script from its own URL, not inline, so the Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="redoc"),
    # Anything else under /api/v1/ is a JSON 404, not an HTML page.
    re_path(r"^.*$", errors.not_found),
]
