"""The desk's addresses, one module of claims.views a topic. Every name is under the "desk" namespace."""

from django.urls import path

from claims.views import accounts, articles, claims, history, home, intake, jobs, search, speakers, suggest

app_name = "desk"

urlpatterns = [
    path("", home.home, name="home"),
    path("verdicts/", home.verdicts, name="verdicts"),
    path("signin/", accounts.sign_in, name="sign_in"),
    path("signout/", accounts.sign_out, name="sign_out"),
    path("suggest/speakers/", suggest.speakers, name="suggest_speakers"),
    path("suggest/claims/", suggest.claims, name="suggest_claims"),
    path("articles/", articles.article_list, name="articles"),
    path("articles/new/", intake.intake, name="intake"),
    path("articles/<int:pk>/", articles.article_page, name="article"),
    path("articles/<int:pk>/quotes/", articles.record_quote, name="article_record_quote"),
    path("articles/<int:pk>/candidates/", articles.decide_candidates, name="article_candidates"),
    path("claims/", claims.claim_list, name="claims"),
    path("claims/new/", claims.new_claim, name="new_claim"),
    path("claims/<int:pk>/", claims.claim_page, name="claim"),
    path("claims/<int:pk>/edit/", claims.edit_claim, name="claim_edit"),
    path("claims/<int:pk>/status/", claims.move_claim, name="claim_status"),
    path("claims/<int:pk>/verdict/", claims.rate_claim, name="claim_verdict"),
    path("claims/<int:pk>/assign/", claims.assign_claim, name="claim_assign"),
    path("claims/<int:pk>/evidence/", claims.add_evidence, name="claim_evidence_add"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/", claims.edit_evidence, name="claim_evidence_edit"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/remove/", claims.remove_evidence, name="claim_evidence_remove"),
    path("claims/<int:pk>/related/", claims.relate_claim, name="claim_relate"),
    path("claims/<int:pk>/related/<int:relation_pk>/remove/", claims.unrelate_claim, name="claim_relation_remove"),
    path("claims/<int:pk>/comments/", claims.comment_on_claim, name="claim_comment"),
    path("claims/<int:pk>/comments/<int:comment_pk>/resolve/", claims.resolve_comment, name="claim_comment_resolve"),
    path("speakers/", speakers.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", speakers.speaker_page, name="speaker"),
    path("search/", search.search, name="search"),
    path("changes/<str:model>/<int:pk>/", history.changes, name="changes"),
    path("changes/<str:model>/<int:pk>/restore/", history.restore, name="restore"),
    path("jobs/<int:pk>/", jobs.job_page, name="job"),
    path("jobs/<int:pk>/file/", jobs.job_file, name="job_file"),
]
