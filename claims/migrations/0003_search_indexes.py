"""PostgreSQL-only search indexes; SQLite gets none and search falls back (claims/search.py).

They are not in the models' Meta because an expression over to_tsvector cannot
exist on SQLite; the migration state is unchanged on both databases.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expressions must match claims.search.EnglishVector exactly for the planner to use them.
INDEXES = {
    # /api/v1/search/ over quotes.
    "claims_quote_text_fts": "CREATE INDEX IF NOT EXISTS claims_quote_text_fts ON claims_quote "
    "USING gin (to_tsvector('english'::regconfig, text))",
    # /api/v1/search/ over claims.
    "claims_claim_text_fts": "CREATE INDEX IF NOT EXISTS claims_claim_text_fts ON claims_claim "
    "USING gin (to_tsvector('english'::regconfig, text))",
    # Misspelled speaker names: name % 'Riabkov'.
    "claims_speaker_name_trgm": "CREATE INDEX IF NOT EXISTS claims_speaker_name_trgm ON claims_speaker "
    "USING gin (name gin_trgm_ops)",
    # name__icontains on speakers and aliases (the speakers ?name= filter and search):
    # Django writes UPPER("name"::text) LIKE UPPER('%...%').
    "claims_speaker_name_upper_trgm": "CREATE INDEX IF NOT EXISTS claims_speaker_name_upper_trgm "
    "ON claims_speaker USING gin ((upper(name::text)) gin_trgm_ops)",
    "claims_alias_name_upper_trgm": "CREATE INDEX IF NOT EXISTS claims_alias_name_upper_trgm "
    "ON claims_speakeralias USING gin ((upper(name::text)) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_role_groups")]

    operations = [
        # A no-op on SQLite.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
