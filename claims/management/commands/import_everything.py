"""python manage.py import_everything FILE [--dry-run]: restore a full export into an empty database."""

from claims.choices import TransferKind
from claims.management.importing import ImportCommand


class Command(ImportCommand):
    kind = TransferKind.EVERYTHING
    help = (
        "Restore a file written by export_everything into a database made by migrate alone, keeping every id and "
        "the history as it was; refuses, writing nothing, a database that holds data or a file of another schema."
    )
