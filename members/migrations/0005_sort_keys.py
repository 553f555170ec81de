"""Sort keys for Vietnamese alphabetical order (``cluster_portal.collation``).

Departments sort by province, then full name; memberships by the same key as their
department had when they were recorded, computed here from the names they carry.

On SQLite, adding a column rebuilds the table, which the membership validity triggers of
0002 do not survive: they are dropped before and created again after (both ways).
"""

import importlib

from django.db import migrations, models

from cluster_portal.collation import vi_sort_key

SORT_KEY_LENGTH = 1000

validity = importlib.import_module("members.migrations.0002_membership_validity_triggers")


def fill_sort_keys(apps, schema_editor):
    Department = apps.get_model("members", "Department")
    Membership = apps.get_model("members", "Membership")
    departments = list(Department.objects.all())
    for department in departments:
        department.sort_key = vi_sort_key(
            department.province, department.full_name, max_length=SORT_KEY_LENGTH
        )
    Department.objects.bulk_update(departments, ["sort_key"], batch_size=500)
    provinces = {d.pk: d.province for d in departments}
    memberships = list(Membership.objects.all())
    for membership in memberships:
        membership.sort_key = vi_sort_key(
            provinces[membership.department_id], membership.full_name, max_length=SORT_KEY_LENGTH
        )
    Membership.objects.bulk_update(memberships, ["sort_key"], batch_size=500)


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


drop_sqlite_triggers = _sqlite(validity.SQLITE_BACKWARD)
create_sqlite_triggers = _sqlite([*validity.SQLITE_BACKWARD, *validity.SQLITE_FORWARD])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_cluster_paper_recorders"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name="department",
            name="sort_key",
            field=models.CharField(
                default="", editable=False, max_length=1000, verbose_name="sort key"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="sort_key",
            field=models.CharField(
                default="", editable=False, max_length=1000, verbose_name="sort key"
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="department",
            options={
                "ordering": ["sort_key", "code"],
                "verbose_name": "department",
                "verbose_name_plural": "departments",
            },
        ),
        migrations.AlterModelOptions(
            name="membership",
            options={
                "ordering": ["cluster_year", "sort_key", "department_id"],
                "verbose_name": "membership",
                "verbose_name_plural": "memberships",
            },
        ),
    ]
