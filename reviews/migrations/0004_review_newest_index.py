from django.db import migrations, models

from leonsite.lib.db import run_for_vendor

# A million reviews take longer to index than the site's statement timeout allows.
NO_TIMEOUT = {"postgresql": ["SET LOCAL statement_timeout = 0"]}


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_community_only")]

    operations = [
        migrations.RunPython(run_for_vendor(NO_TIMEOUT), run_for_vendor(NO_TIMEOUT)),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["-created_at", "-id"], name="reviews_review_newest"),
        ),
    ]
