from claims.choices import TransferKind
from claims.management.importing import ImportCommand


class Command(ImportCommand):
    kind = TransferKind.LIAR
    help = (
        "Import a LIAR file (PolitiFact's checked statements, 14 tab-separated columns a line) as PolitiFact's "
        "published verdicts: speakers deduplicated by name, subjects as topics, the context as venue. "
        "One transaction: a bad line stops it with nothing written, unless --skip-bad. "
        "A statement already imported (by its PolitiFact id) is left as it is."
    )
