"""Every fixed vocabulary of the domain, in one place."""

from django.db import models


class OutletKind(models.TextChoices):
    AGENCY = "agency", "News agency"
    NEWSPAPER = "newspaper", "Newspaper"
    BROADCASTER = "broadcaster", "Broadcaster"
    ONLINE = "online", "Online publication"
    STATE_MEDIA = "state_media", "State media"
    GOVERNMENT = "government", "Government"
    OTHER = "other", "Other"


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    # Governments, agencies, companies, and capitals standing for them ("Moscow").
    ORGANIZATION = "organization", "Organization"
    # Unnamed sources kept as printed ("a White House official").
    ANONYMOUS = "anonymous", "Anonymous source"


class QuoteKind(models.TextChoices):
    # Verbatim, inside quotation marks.
    DIRECT = "direct", "Direct quote"
    # Reported speech: "Moscow has denied its forces used ...".
    INDIRECT = "indirect", "Reported statement"
    # The publication's own unattributed assertion of fact ("Russia has used
    # Iranian-made drones ..."): checkable, and its speaker is the outlet.
    REPORTING = "reporting", "Outlet's own reporting"


class DatePrecision(models.TextChoices):
    """How much of a statement date is known: "said in June" is a month."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Rating(models.TextChoices):
    """The verdict scale, worst to best; see RATING_VALUES for its numbers."""

    PANTS_ON_FIRE = "pants_on_fire", "Pants on fire"
    FALSE = "false", "False"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    HALF_TRUE = "half_true", "Half true"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    TRUE = "true", "True"


# Numeric position on the scale, as schema.org ClaimReview's ratingValue wants
# it (worstRating 1, bestRating 6). Derived from the declaration order above.
RATING_VALUES: dict[str, int] = {value: position for position, value in enumerate(Rating.values, start=1)}
WORST_RATING_VALUE = 1
BEST_RATING_VALUE = len(Rating.values)


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    DOCUMENT = "document", "Document"
    DATASET = "dataset", "Dataset"
    STATEMENT = "statement", "Official statement"
    VIDEO = "video", "Video"
    SOCIAL_POST = "social_post", "Social media post"
    OTHER = "other", "Other"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports the claim"
    REFUTES = "refutes", "Refutes the claim"
    # Background that neither proves nor disproves.
    CONTEXT = "context", "Context"


class Relation(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    # Directed: the first claim supports the second.
    SUPPORTS = "supports", "Supports"
    # Both state the same proposition in other words.
    SAME_CLAIM = "same_claim", "Same claim"


# Relations that read the same both ways are stored once, lower id first.
SYMMETRIC_RELATIONS = (Relation.CONTRADICTS, Relation.SAME_CLAIM)


class Role(models.TextChoices):
    """Django groups created by a migration; what each may do is claims.policy."""

    REPORTER = "reporter", "Reporter"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Administrator"
    # The account imports, jobs and the demo loader act as; nobody signs in with it.
    SYSTEM = "system", "System"


class TransferKind(models.TextChoices):
    """What an import or export reads or writes (claims.transfer)."""

    LIAR = "liar", "LIAR statements (TSV)"
    CLAIMREVIEW = "claimreview", "ClaimReview JSON-LD"
    EVERYTHING = "everything", "Full export (JSON Lines)"


class TransferOutcome(models.TextChoices):
    DONE = "done", "Done"
    # Read and checked in full, then rolled back: what it would have done.
    DRY_RUN = "dry_run", "Dry run"
    FAILED = "failed", "Failed"


class JobKind(models.TextChoices):
    """Long work done by a background worker (claims.services.jobs), not inside a request."""

    IMPORT = "import", "Import a file"
    FETCH_ARTICLE = "fetch_article", "Fetch an article by its address"
    # A selection too large to write in the request (EXPORT_IN_REQUEST_ROWS): a spreadsheet or ClaimReview file.
    EXPORT = "export", "Export a selection"
    # A paste too long to extract in the request (EXTRACT_IN_REQUEST_CHARACTERS): its candidates.
    EXTRACT = "extract", "Find the quotes in a long paste"


class JobState(models.TextChoices):
    # Waiting for a worker: new, or after a failed attempt until next_attempt_at.
    QUEUED = "queued", "Queued"
    # A worker holds it until lease_expires_at, renewed while it works.
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    # Refused by its input, or out of attempts: `message` says why.
    FAILED = "failed", "Failed"
