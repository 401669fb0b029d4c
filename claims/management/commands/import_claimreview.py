from claims.choices import TransferKind
from claims.management.importing import ImportCommand


class Command(ImportCommand):
    kind = TransferKind.CLAIMREVIEW
    help = (
        "Import other fact-checkers' schema.org ClaimReview verdicts: an HTML page (its ld+json script blocks), "
        "a JSON document (an object, a list, an @graph or a DataFeed) or JSON Lines. A review already recorded "
        "(the same review URL) is left as it is."
    )
