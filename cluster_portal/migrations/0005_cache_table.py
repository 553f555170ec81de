"""The table of the shared database cache (settings.CACHES without REDIS_URL).

Created here, by createcachetable's own code, so that `migrate` (and so `make run`, the tests
and every deployment) has it; created whatever the configured backend, so that dropping
REDIS_URL later needs no extra step.
"""

from django.db import migrations

# The same name as settings.CACHE_TABLE (tests/test_settings.py checks it).
CACHE_TABLE = "cluster_portal_cache"


def create_cache_table(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    # Creates the table and its index; does nothing when it already exists.
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    connection = schema_editor.connection
    if CACHE_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("cluster_portal", "0004_task_outbox"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
