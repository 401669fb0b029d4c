"""Start-up checks: a configured extraction or matching model that cannot be read stops the server with the reason."""

from django.core import checks

from . import matching
from .extraction import tagger


@checks.register()
def extraction_model(app_configs, **kwargs):
    try:
        tagger.configured()
    except tagger.ModelError as error:
        return [checks.Error(str(error), hint=f"Unset {tagger.MODEL_ENV}, or set it to off.", id="claims.E001")]
    return []


@checks.register()
def matching_model(app_configs, **kwargs):
    try:
        matching.configured()
    except matching.ModelError as error:
        return [checks.Error(str(error), hint=f"Unset {matching.MODEL_ENV}, or set it to off.", id="claims.E002")]
    return []
