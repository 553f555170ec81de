import hashlib

from django.db import migrations, models

import plans.models


def hash_tokens(apps, schema_editor):
    """Keep every existing token working: store the SHA-256 of its value instead."""
    FeedToken = apps.get_model("plans", "FeedToken")
    for pk, token in FeedToken.objects.values_list("pk", "token"):
        FeedToken.objects.filter(pk=pk).update(
            token_hash=hashlib.sha256(token.encode()).hexdigest()
        )


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0005_legal_reference_cluster'),
    ]

    operations = [
        migrations.AddField(
            model_name='feedtoken',
            name='token_hash',
            field=models.CharField(max_length=64, null=True, editable=False, verbose_name='SHA-256 of the token'),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='feedtoken',
            name='token',
        ),
        migrations.AlterField(
            model_name='feedtoken',
            name='token_hash',
            field=models.CharField(default=plans.models._unusable_feed_token_hash, editable=False, max_length=64, unique=True, verbose_name='SHA-256 of the token'),
        ),
    ]
