from django.db import migrations


def encrypt_seal_key(apps, schema_editor):
    """A demo seal key stored before keys were encrypted is encrypted now, so that backups
    made after this release never carry it in clear (the portal also does it on first use)."""
    from cluster_portal.seal import encrypt_stored_seal_key

    SealKey = apps.get_model("cluster_portal", "SealKey")
    for row in SealKey.objects.all():
        encrypted = encrypt_stored_seal_key(bytes(row.pkcs12))
        if encrypted is not None:
            SealKey.objects.filter(pk=row.pk).update(pkcs12=encrypted)


class Migration(migrations.Migration):
    dependencies = [
        ("cluster_portal", "0002_audit_hash_scheme"),
    ]

    operations = [
        migrations.RunPython(encrypt_seal_key, migrations.RunPython.noop),
    ]
