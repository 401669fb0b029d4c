"""Start-up checks: a configured extraction or matching model that cannot be read stops the server with the reason."""

from django.core import checks

from . import matching
from .extraction import tagger

# Each learned model: how it is loaded, what it raises, the variable naming it, and the check's id.
LEARNED_MODELS = (
    (tagger.configured, tagger.ModelError, tagger.MODEL_ENV, "claims.E001"),
    (matching.configured, matching.ModelError, matching.MODEL_ENV, "claims.E002"),
)


@checks.register()
def learned_models(app_configs, **kwargs):
    errors = []
    for configured, model_error, variable, check_id in LEARNED_MODELS:
        try:
            configured()
        except model_error as error:
            errors.append(checks.Error(str(error), hint=f"Unset {variable}, or set it to off.", id=check_id))
    return errors
