"""PostgreSQL only: keep each quote's and claim's search vector in a stored generated column.

Ranking recomputed to_tsvector for every match (230 ms for a word found in
17,000 of 1,000,000 quotes); reading a stored vector took 39 ms. The expression
indexes of 0003 are replaced by GIN indexes on these columns. The columns are
not in the models: SQLite has no to_tsvector, and only claims.search reads them.
"""

from django.db import migrations

TABLES = ("claims_quote", "claims_claim")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED"
        )
        # /api/v1/search/: search_vector @@ websearch_to_tsquery(...)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_text_fts")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_text_fts ON {table} "
            "USING gin (to_tsvector('english'::regconfig, text))"
        )
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_duplicate_codes")]

    operations = [migrations.RunPython(forwards, backwards)]
