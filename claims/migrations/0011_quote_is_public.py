"""A quote's publicness stored (Quote.is_public), worked out once here for the quotes already recorded.

On PostgreSQL the public's searches read a GIN index of the public quotes alone: a word in 90,000 of a
million quotes no longer joins every published claim's links to find the 14,000 the public may read.
"""

from django.db import migrations, models

PUBLIC = (
    "UPDATE claims_quote SET is_public = EXISTS (SELECT 1 FROM claims_claim_quotes link "
    "JOIN claims_claim claim ON claim.id = link.claim_id "
    "WHERE link.quote_id = claims_quote.id AND claim.status = 'published')"
)


def forwards(apps, schema_editor):
    schema_editor.execute(PUBLIC)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS claims_quote_public_search_vector ON claims_quote "
            "USING gin (search_vector) WHERE is_public"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claims_quote_public_search_vector")


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_dismissed_candidates")]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="is_public",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="is_public",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
