"""The desk's addresses, one module of claims.views a topic. Every name is under the "desk" namespace."""

from django.urls import path

from claims.views import accounts, home, suggest

app_name = "desk"

urlpatterns = [
    path("", home.home, name="home"),
    path("verdicts/", home.verdicts, name="verdicts"),
    path("signin/", accounts.sign_in, name="sign_in"),
    path("signout/", accounts.sign_out, name="sign_out"),
    path("suggest/speakers/", suggest.speakers, name="suggest_speakers"),
    path("suggest/claims/", suggest.claims, name="suggest_claims"),
]
