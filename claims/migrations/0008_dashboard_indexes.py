"""Indexes the dashboard's slowest panels read instead of wide rows (README: The dashboard)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_imported_reviews")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "outlet"], name="claims_article_id_outlet"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["id", "claimant"], name="claims_claim_id_claimant"),
        ),
        # The review queue: a claim's history rows by date with their status. On the database only, as
        # simple_history builds the history model's Meta itself and offers no place to declare it.
        migrations.RunSQL(
            "CREATE INDEX claims_hclaim_entered_review ON claims_historicalclaim (id, history_date, status)",
            reverse_sql="DROP INDEX claims_hclaim_entered_review",
        ),
    ]
