from django.db import migrations, models


class Migration(migrations.Migration):
    """Events already stored were hashed with plain SHA-256: they get that scheme, and new
    events say which HMAC key hashed them."""

    dependencies = [
        ("cluster_portal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash_scheme",
            field=models.CharField(default="sha256", max_length=40, verbose_name="hash scheme"),
        ),
    ]
