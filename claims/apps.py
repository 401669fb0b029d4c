from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Fact-checking"

    def ready(self):
        from django.db.models.signals import pre_save

        from . import checks, policy, published  # noqa: F401  (registers the checks and the policy's rules)
        from .models.claims import Claim, note_what_the_public_saw
        from .models.quotes import keep_public_quotes

        # Before the receivers below, which read what it notes.
        pre_save.connect(note_what_the_public_saw, sender=Claim, dispatch_uid="claim-was-published")
        published.connect()
        keep_public_quotes()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the newsroom's site, where the policy decides who gets in (claims/admin_site.py).

    Named in INSTALLED_APPS in place of "django.contrib.admin"; not a default,
    so "claims" itself still finds ClaimsConfig.
    """

    default = False
    default_site = "claims.admin_site.NewsroomAdminSite"
