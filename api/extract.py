"""POST /api/v1/extract/: candidate quotes in a pasted article."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.base import BodySizeMixin
from claims.extraction import ExtractionInputError, extract_article, tagger


class ExtractView(BodySizeMixin, APIView):
    """Candidate quotes, speakers and relay chains found in a pasted article (nothing is saved)."""

    max_body_bytes_setting = "API_MAX_EXTRACT_BODY_BYTES"

    @extend_schema(request=s.ExtractInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        self.check_body_size(request)
        data = s.ExtractInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            extraction = extract_article(**data.validated_data, tagger=tagger.configured())
        except ExtractionInputError as exc:
            raise exceptions.ValidationError(
                {"text" if "text" in data.validated_data else "html": [str(exc)]}
            ) from None
        return Response(extraction.to_dict(), status=status.HTTP_200_OK)
