"""The OpenAPI schema, told as the API behaves: what a write takes, every error, who may call, the limits.

drf-spectacular reads a view's `serializer_class` for request bodies, which
here is the output serializer; the API reads bodies with `input_serializer_class`
(`update_input_serializer_class` for PUT and PATCH, all optional for PATCH),
so that is what the schema shows. Every operation lists the errors it can
answer, each in the one shape of api/errors.py; reads say they need no
credentials; limits (page sizes, ids, bodies) are in the schema, not only in
prose.
"""

from django.conf import settings
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from api.errors import ErrorSerializer
from api.serializers import InputSerializer
from claims.filters import MAX_ID

READS = ("GET", "HEAD")
BODY_METHODS = ("POST", "PUT", "PATCH")
# The viewset actions that require If-Match (api/base.py checks it), besides a view's `if_match_actions`.
IF_MATCH_ACTIONS = frozenset({"update", "partial_update", "destroy"})
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class NewsroomAutoSchema(AutoSchema):
    # --- request bodies -------------------------------------------------------------

    def get_request_serializer(self):
        view, action = self.view, getattr(self.view, "action", None)
        input_class = getattr(view, "input_serializer_class", None)
        if input_class is not None and action in ("update", "partial_update"):
            return getattr(view, "update_input_serializer_class", None) or input_class
        if input_class is not None and action == "create":
            return input_class
        return super().get_request_serializer()

    def get_serializer_name(self, serializer, direction):
        # ClaimInput is the claim as a client sends it: ClaimRequest (PatchedClaimRequest for PATCH).
        name = super().get_serializer_name(serializer, direction)
        return name.removesuffix("Input") if isinstance(serializer, InputSerializer) else name

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, InputSerializer):
            # Unknown fields are a 400, never ignored.
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.PrimaryKeyRelatedField) and schema.get("type") == "integer":
            schema = {**schema, **ID_SCHEMA}
        return schema

    # --- parameters -----------------------------------------------------------------

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] in ("id", "pk"):
                parameter["schema"] = {**parameter["schema"], **ID_SCHEMA}
                parameter["description"] = f"The row's id, 1 to {MAX_ID} (2^63 - 1)."
        return parameters

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._honours_if_match():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the version you are changing (from its GET, or the answer to your "
                    "last write of it). Without it the answer is 428; if the row has changed since, 412, and "
                    "nothing is written either way. `*` names no version and is a 428.",
                )
            )
        etag_codes = [200, 201] if self._answers_row() else []
        if self._honours_if_match():
            etag_codes.append(412)  # the current version, which the client is behind
        if etag_codes:
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=etag_codes,
                    description="The version of the row as it is now; send it back as If-Match to change it.",
                )
            )
        return parameters

    # --- who may call ---------------------------------------------------------------

    def get_auth(self):
        auths = super().get_auth()
        if self.method in READS and {} not in auths:
            # Anyone may read published work; staff see more once signed in.
            auths.append({})
        return auths

    def get_description(self):
        description = super().get_description() or ""
        notes = []
        if self.method in READS:
            notes.append("Open to everyone: anonymous readers see published work; signed-in staff see drafts too.")
        else:
            notes.append("Needs a signed-in newsroom account (token or session).")
        if self.method in BODY_METHODS:
            limit = getattr(settings, getattr(self.view, "max_body_bytes_setting", "API_MAX_BODY_BYTES"))
            notes.append(
                f"A JSON body of at most {limit:,} bytes, nested at most 32 levels deep; a larger one is a 413, "
                "a deeper one a 400."
            )
        return "\n\n".join(part for part in (description, " ".join(notes)) if part)

    # --- responses ------------------------------------------------------------------

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._errors().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return responses

    def _errors(self) -> dict[int, OpenApiResponse]:
        errors = {
            400: _error("A query parameter or the body is not valid; `fields` names each and says why."),
            401: _error("The credentials sent are not valid, or a write was sent without any."),
        }
        if self.method not in READS:
            errors[403] = _error("Signed in, but the newsroom's policy does not let this account do this.")
        if self._has_id():
            errors[404] = _error("No such row, or not one you may see.")
        if self.method not in READS:
            errors[409] = _error("The write conflicts with what is stored: a duplicate, or a row still in use.")
        if self._honours_if_match():
            errors[412] = _error(
                "If-Match names a version other than the current one, whose ETag the message and the ETag "
                "header give; nothing was written."
            )
            errors[428] = _error("No If-Match: GET the row and send its ETag back as If-Match; nothing was written.")
        if self.method in BODY_METHODS:
            errors[413] = _error("The request body is over the limit stated above.")
            errors[415] = _error("The body is not application/json.")
        errors[429] = _error("Too many requests; Retry-After says when to try again.")
        return errors

    def _has_id(self) -> bool:
        return "{id}" in self.path or "{pk}" in self.path

    def _answers_row(self) -> bool:
        """Whether the answer is one row as GET shows it, with its ETag."""
        action = getattr(self.view, "action", None)
        if self.method == "DELETE":
            return False
        return action in ("retrieve", "create", "update", "partial_update") or self._honours_if_match()

    def _honours_if_match(self) -> bool:
        action = getattr(self.view, "action", None)
        return self.method not in READS and action in IF_MATCH_ACTIONS | set(getattr(self.view, "if_match_actions", ()))


class NewsroomFilterExtension(DjangoFilterExtension):
    """django-filter parameters, with what each of claims.filters' filters takes (its `openapi`)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        declared = getattr(filter_field, "openapi", None)
        if not declared:
            return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        return [
            build_parameter_type(
                name=field_name,
                required=filter_field.extra["required"],
                location=OpenApiParameter.QUERY,
                description=self._get_field_description(filter_field, None),
                schema=dict(declared),
            )
        ]
