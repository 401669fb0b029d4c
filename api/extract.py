"""POST /api/v1/extract/: candidate quotes in a pasted or recorded article, and recording the accepted ones.

Three uses of one endpoint, by what the body holds:

- ``{"text": ...}`` or ``{"html": ...}``: the candidates in a pasted article; nothing is saved. A paste
  longer than EXTRACT_IN_REQUEST_CHARACTERS is extracted by a background job: the answer is 202 with the
  job, whose ``result`` (GET /api/v1/jobs/<id>/) is the extraction once it has succeeded.
  Candidates are quotes only (``"attribution": "speech"``, the default) or every attribution
  (``"attribution": "all"``: beliefs, plans, findings and actions too), with each one's ``attribution``.
- ``{"article": 7}``: the candidates in a recorded article's own body, with offsets into that body, and
  the extraction's ``revision``; nothing is saved.
- ``{"article": 7, "accept": [2, 3]}``: the same extraction, and the candidates numbered 2 and 3 recorded
  as the article's quotes (claims.services.record_extracted_quotes): all of them or, if any is refused,
  none, with a 400 naming each refused candidate. ``speakers`` names who said a candidate where the
  extractor could not tell or got it wrong; ``revision`` refuses (409) to record if the candidates are
  no longer the ones the editor saw (the body was edited or the model retrained meanwhile).
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.base import BodySizeMixin
from api.errors import Conflict, ErrorSerializer
from api.jobs import JobSerializer
from claims import services
from claims.extraction import MODES, SPEECH_ONLY, ExtractionInputError, extract_article, tagger
from claims.extraction.revision import in_article, revision_of
from claims.models import Article, Speaker
from claims.services.jobs import JobRefused, start_extraction

# More than any article's candidates; bounds the work of one request.
MAX_ACCEPTED = 500
MAX_ID = 2**63 - 1


class ExtractionInput(s.ExtractInput):
    """Exactly one of text, html or article; accept, speakers and revision go with article."""

    attribution = serializers.ChoiceField(
        choices=MODES,
        default=SPEECH_ONLY,
        help_text="“speech” (the default): quotes only, direct or reported. “all”: every attribution, beliefs, "
        "plans, findings and actions too; each candidate's `attribution` says which.",
    )
    article = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="A recorded article's id: extract from its own body, so offsets are the article's.",
    )
    accept = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        allow_empty=False,
        max_length=MAX_ACCEPTED,
        help_text="Numbers (indexes into `candidates`) of the candidates to record as the article's quotes.",
    )
    speakers = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=False,
        help_text='Who said an accepted candidate, by candidate number: {"5": speaker id}. For a candidate '
        "whose speaker the extractor could not name (“he”) or named wrong.",
    )
    revision = serializers.CharField(
        required=False,
        max_length=64,
        help_text="The `revision` of the extraction the editor chose from; if the candidates have changed "
        "since, nothing is recorded (409).",
    )

    def validate(self, attrs):
        if sum(name in attrs for name in ("text", "html", "article")) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send exactly one of “text”, “html” or “article”."]}
            )
        if "article" not in attrs:
            for name in ("accept", "speakers", "revision"):
                if name in attrs:
                    raise serializers.ValidationError(
                        {name: ["Only a recorded article's candidates can be recorded: send its id as “article”."]}
                    )
        if "speakers" in attrs:
            accepted = {str(number) for number in attrs.get("accept", ())}
            strays = sorted(set(attrs["speakers"]) - accepted)
            if strays:
                raise serializers.ValidationError(
                    {"speakers": [f"Not among the accepted candidates: {', '.join(strays)}. Name a speaker only "
                                  "for a candidate in “accept”."]}
                )  # fmt: skip
        return attrs


class RecordedQuoteSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(help_text="The candidate's number in the extraction.")
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="The article's own characters at start–end.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    kind = serializers.CharField()
    speaker = s.SpeakerBriefSerializer()
    speaker_title = serializers.CharField(allow_blank=True)
    via = serializers.CharField(allow_blank=True)


class AcceptedCandidatesSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    revision = serializers.CharField()
    recorded = RecordedQuoteSerializer(many=True, help_text="Quotes recorded now.")
    existing = RecordedQuoteSerializer(many=True, help_text="Accepted candidates already on record; left as they are.")
    speakers_created = s.SpeakerBriefSerializer(many=True, help_text="Speakers recorded for these quotes.")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class ExtractView(BodySizeMixin, APIView):
    """Candidate quotes, speakers and relay chains in an article; for a recorded article, record those accepted."""

    max_body_bytes_setting = "API_MAX_EXTRACT_BODY_BYTES"

    @extend_schema(
        request=ExtractionInput,
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The extraction: body, metadata and candidates (text, start, end, kind, attribution, "
                "speaker, speaker_title, via, confidence, ...). For an article, also its id and the extraction's "
                "revision, with offsets into the article's body. With accept, when every accepted candidate "
                "was already on record: the answer as for 201, with nothing recorded.",
            ),
            201: OpenApiResponse(
                AcceptedCandidatesSerializer, description="The accepted candidates, recorded as quotes."
            ),
            202: OpenApiResponse(
                JobSerializer,
                description="A paste longer than EXTRACT_IN_REQUEST_CHARACTERS: the job extracting it (Location: "
                "its address). Its `result` is the extraction, as a 200 gives it, once its state is succeeded.",
            ),
            400: _error("Bad input, named by field; under `accept`, each refused candidate by number and why."),
            403: _error("Not a member of the newsroom, or not allowed to record quotes."),
            404: _error("No such article, or not one you may see."),
            409: _error(
                "The candidates changed since the given revision (extract again and choose anew), or another "
                "change to the same records was saved first; nothing was recorded."
            ),
        },
        examples=[
            OpenApiExample("Pasted text", value={"text": "“We will close the gap,” Marsh said."}, request_only=True),
            OpenApiExample("A recorded article's candidates", value={"article": 7}, request_only=True),
            OpenApiExample(
                "Record two candidates",
                value={"article": 7, "accept": [2, 3], "revision": "5f0c…"},
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        self.check_body_size(request)
        data = ExtractionInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        if "article" not in given:
            return self.preview(given)
        article = Article.objects.visible_to(request.user).filter(pk=given["article"]).first()
        if article is None:
            raise exceptions.NotFound(f"There is no article {given['article']}, or it is not one you may see.")
        try:
            extraction = extract_article(
                text=article.body, tagger=tagger.configured(), attributions=given["attribution"]
            )
        except ExtractionInputError as exc:
            raise exceptions.ValidationError({"article": [f"This article's body cannot be read: {exc}"]}) from None
        candidates = [in_article(extraction, candidate) for candidate in extraction.candidates]
        revision = revision_of(candidates)
        if "accept" not in given:
            found = {
                "article": article.pk,
                "revision": revision,
                "body": article.body,
                "metadata": extraction.metadata.to_dict(),
                "input_kind": "article",
                "candidates": candidates,
            }
            return Response(found, status=status.HTTP_200_OK)
        if "revision" in given and given["revision"] != revision:
            raise Conflict(
                "The article's candidates are not the ones you chose from: its body or the extractor changed "
                "since. Extract again and choose anew; nothing was recorded."
            )
        accepted = self.accepted(candidates, given)
        try:
            result = services.record_extracted_quotes(article=article, candidates=accepted, acting_user=request.user)
        except DjangoValidationError as error:
            # The service's "candidates" are what this request calls "accept".
            fields = error.message_dict if hasattr(error, "error_dict") else {"accept": error.messages}
            raise exceptions.ValidationError(
                {("accept" if name == "candidates" else name): messages for name, messages in fields.items()}
            ) from None
        answer = {
            "article": article.pk,
            "revision": revision,
            "recorded": [quote_row(number, quote) for number, quote in result.recorded.items()],
            "existing": [quote_row(number, quote) for number, quote in result.existing.items()],
            "speakers_created": s.SpeakerBriefSerializer(result.speakers_created, many=True).data,
        }
        return Response(answer, status=status.HTTP_201_CREATED if result.recorded else status.HTTP_200_OK)

    def preview(self, given: dict) -> Response:
        """Pasted text or HTML: the candidates as the extractor sees them, offsets into its clean body.

        A long paste would hold a view thread for seconds: it is a job, and the answer says where to follow it.
        """
        field = "text" if "text" in given else "html"
        pasted = {field: given[field]}
        try:
            if len(given[field]) > settings.EXTRACT_IN_REQUEST_CHARACTERS:
                job = start_extraction(pasted=pasted, attributions=given["attribution"], acting_user=self.request.user)
            else:
                extraction = extract_article(**pasted, tagger=tagger.configured(), attributions=given["attribution"])
                return Response(extraction.to_dict(), status=status.HTTP_200_OK)
        except (ExtractionInputError, JobRefused) as exc:
            raise exceptions.ValidationError({field: [str(exc)]}) from None
        location = self.request.build_absolute_uri(reverse("api:job", args=[job.pk]))
        answer = JobSerializer(job, context={"request": self.request}).data
        return Response(answer, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    def accepted(self, candidates: list[dict], given: dict) -> dict[int, dict]:
        """The accepted candidates by number, each with the speaker the editor named, if any."""
        numbers = list(dict.fromkeys(given["accept"]))
        missing = [number for number in numbers if number >= len(candidates)]
        if missing:
            have = f"0–{len(candidates) - 1}" if candidates else "none"
            raise exceptions.ValidationError(
                {
                    "accept": [
                        f"No candidate {', '.join(map(str, missing))}: this article has {len(candidates)} "
                        f"(numbers {have})."
                    ]
                }
            )
        chosen = {int(number): speaker_id for number, speaker_id in given.get("speakers", {}).items()}
        found = Speaker.objects.visible_to(self.request.user).in_bulk(set(chosen.values()))
        unknown = sorted({speaker_id for speaker_id in chosen.values() if speaker_id not in found})
        if unknown:
            raise exceptions.ValidationError(
                {"speakers": [f"No speaker {', '.join(map(str, unknown))}, or not one you may see."]}
            )
        accepted = {}
        for number in numbers:
            candidate = dict(candidates[number])
            if number in chosen:
                candidate["speaker"] = found[chosen[number]]
            accepted[number] = candidate
        return accepted


def quote_row(number: int, quote) -> dict:
    return {
        "candidate": number,
        "id": quote.pk,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "speaker": s.SpeakerBriefSerializer(quote.speaker).data,
        "speaker_title": quote.speaker_title,
        "via": quote.via,
    }
