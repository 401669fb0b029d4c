"""The newsroom's domain: who said what, where, and what it is worth.

One module per topic, each model with its QuerySet beside it. Integrity the
database can state lives in named constraints; what SQL cannot say (a quote's
text equals its span of the article body) lives in clean(). Writes go through
claims.services; who may do what is claims.policy.
"""

from claims.models.base import EditorialRecord, WebURLField, sees_unpublished
from claims.models.claims import Claim, ClaimQuerySet, Topic
from claims.models.discussion import Comment, CommentQuerySet
from claims.models.dismissals import DismissedCandidate
from claims.models.evidence import ClaimRelation, Evidence, Source
from claims.models.imports import ImportRun
from claims.models.jobs import Job, JobInput
from claims.models.outlets import Article, Outlet
from claims.models.quotes import Quote
from claims.models.speakers import Speaker, SpeakerAlias, speaker_ids_named_like

__all__ = [
    "Article",
    "Claim",
    "ClaimQuerySet",
    "ClaimRelation",
    "Comment",
    "CommentQuerySet",
    "DismissedCandidate",
    "EditorialRecord",
    "Evidence",
    "ImportRun",
    "Job",
    "JobInput",
    "Outlet",
    "Quote",
    "Source",
    "Speaker",
    "SpeakerAlias",
    "Topic",
    "WebURLField",
    "sees_unpublished",
    "speaker_ids_named_like",
]
