"""Every editorial write, by topic. The doors (API, admin, commands, jobs) call these and nothing else.

Each service is keyword-only with a required `acting_user` (imports and jobs
pass base.system_account()), asks claims.policy before it writes, validates
with full_clean() (model rules and database constraints alike), runs in one
transaction, records who acted in the history, and raises ValidationError
naming the field and the reason, or PermissionDenied with the reason.
"""

from claims.services.base import system_account, unique_slug
from claims.services.claims import (
    change_claim_status,
    edit_claim,
    edit_topic,
    link_quotes,
    make_claim,
    rate_claim,
    record_topic,
)
from claims.services.discussion import assign_claim, comment_on_claim, resolve_comment
from claims.services.evidence import (
    attach_evidence,
    cite_source,
    edit_evidence,
    edit_relation,
    edit_source,
    record_source,
    relate_claims,
)
from claims.services.extraction import (
    AcceptedCandidates,
    ArticleAlreadyRecorded,
    ArticleCandidates,
    RecordedArticle,
    RecordedQuote,
    RefusedCandidates,
    article_candidates,
    dismiss_candidate,
    record_article_from_extraction,
    record_extracted_quotes,
    record_quote_with_speaker,
    restore_candidate,
    undecided_candidates,
)
from claims.services.outlets import edit_article, edit_outlet, record_article, record_outlet
from claims.services.quotes import anchor, edit_quote, find_span, record_quote
from claims.services.records import EDITS, delete_record, edit, revert_record
from claims.services.speakers import (
    MergeResult,
    add_speaker_alias,
    edit_speaker,
    edit_speaker_alias,
    merge_speakers,
    record_speaker,
)

__all__ = [
    "EDITS",
    "MergeResult",
    "add_speaker_alias",
    "anchor",
    "assign_claim",
    "attach_evidence",
    "cite_source",
    "change_claim_status",
    "comment_on_claim",
    "delete_record",
    "edit",
    "edit_article",
    "edit_claim",
    "edit_evidence",
    "edit_outlet",
    "edit_quote",
    "edit_relation",
    "edit_source",
    "edit_speaker",
    "edit_speaker_alias",
    "edit_topic",
    "find_span",
    "link_quotes",
    "make_claim",
    "merge_speakers",
    "rate_claim",
    "record_article",
    "record_outlet",
    "record_quote",
    "record_source",
    "record_speaker",
    "record_topic",
    "relate_claims",
    "resolve_comment",
    "revert_record",
    "system_account",
    "unique_slug",
    "AcceptedCandidates",
    "record_extracted_quotes",
    "ArticleAlreadyRecorded",
    "ArticleCandidates",
    "RecordedArticle",
    "RecordedQuote",
    "RefusedCandidates",
    "article_candidates",
    "dismiss_candidate",
    "record_article_from_extraction",
    "record_quote_with_speaker",
    "restore_candidate",
    "undecided_candidates",
]
