"""A department cannot be a member of a cluster year outside its validity.

The rule spans two tables (membership and department), which a CHECK constraint cannot
express, so it is enforced by triggers on both: inserting or moving a membership into a
year in which the department does not exist, and changing a department's validity so that
one of its memberships falls outside it, or moving a cluster year to another year in which
one of its members does not exist: each fails with an integrity error.
"""

from django.db import migrations

MESSAGE = "membership_outside_department_validity"

# A department is valid in year Y if it exists on at least one day of Y.
SQLITE_INVALID_MEMBERSHIP = """
    SELECT 1 FROM members_department d, members_clusteryear y
    WHERE d.id = NEW.department_id AND y.id = NEW.cluster_year_id
      AND (d.valid_from > (y.year || '-12-31')
           OR (d.valid_to IS NOT NULL AND d.valid_to < (y.year || '-01-01')))
"""
SQLITE_INVALID_DEPARTMENT = """
    SELECT 1 FROM members_membership m JOIN members_clusteryear y ON y.id = m.cluster_year_id
    WHERE m.department_id = NEW.id
      AND (NEW.valid_from > (y.year || '-12-31')
           OR (NEW.valid_to IS NOT NULL AND NEW.valid_to < (y.year || '-01-01')))
"""

SQLITE_INVALID_YEAR = """
    SELECT 1 FROM members_membership m JOIN members_department d ON d.id = m.department_id
    WHERE m.cluster_year_id = NEW.id
      AND (d.valid_from > (NEW.year || '-12-31')
           OR (d.valid_to IS NOT NULL AND d.valid_to < (NEW.year || '-01-01')))
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER membership_validity_insert BEFORE INSERT ON members_membership
    WHEN EXISTS ({SQLITE_INVALID_MEMBERSHIP})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER membership_validity_update
    BEFORE UPDATE OF department_id, cluster_year_id ON members_membership
    WHEN EXISTS ({SQLITE_INVALID_MEMBERSHIP})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER department_validity_update
    BEFORE UPDATE OF valid_from, valid_to ON members_department
    WHEN EXISTS ({SQLITE_INVALID_DEPARTMENT})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER clusteryear_validity_update BEFORE UPDATE OF year ON members_clusteryear
    WHEN EXISTS ({SQLITE_INVALID_YEAR})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS membership_validity_insert;",
    "DROP TRIGGER IF EXISTS membership_validity_update;",
    "DROP TRIGGER IF EXISTS department_validity_update;",
    "DROP TRIGGER IF EXISTS clusteryear_validity_update;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION members_membership_validity() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (
        SELECT 1 FROM members_department d, members_clusteryear y
        WHERE d.id = NEW.department_id AND y.id = NEW.cluster_year_id
          AND (d.valid_from > make_date(y.year, 12, 31)
               OR (d.valid_to IS NOT NULL AND d.valid_to < make_date(y.year, 1, 1)))
      ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER membership_validity BEFORE INSERT OR UPDATE OF department_id, cluster_year_id
    ON members_membership FOR EACH ROW EXECUTE FUNCTION members_membership_validity();
    """,
    f"""
    CREATE FUNCTION members_department_validity() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (
        SELECT 1 FROM members_membership m JOIN members_clusteryear y ON y.id = m.cluster_year_id
        WHERE m.department_id = NEW.id
          AND (NEW.valid_from > make_date(y.year, 12, 31)
               OR (NEW.valid_to IS NOT NULL AND NEW.valid_to < make_date(y.year, 1, 1)))
      ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER department_validity BEFORE UPDATE OF valid_from, valid_to
    ON members_department FOR EACH ROW EXECUTE FUNCTION members_department_validity();
    """,
    f"""
    CREATE FUNCTION members_clusteryear_validity() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (
        SELECT 1 FROM members_membership m JOIN members_department d ON d.id = m.department_id
        WHERE m.cluster_year_id = NEW.id
          AND (d.valid_from > make_date(NEW.year, 12, 31)
               OR (d.valid_to IS NOT NULL AND d.valid_to < make_date(NEW.year, 1, 1)))
      ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER clusteryear_validity BEFORE UPDATE OF year
    ON members_clusteryear FOR EACH ROW EXECUTE FUNCTION members_clusteryear_validity();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS membership_validity ON members_membership;",
    "DROP FUNCTION IF EXISTS members_membership_validity();",
    "DROP TRIGGER IF EXISTS department_validity ON members_department;",
    "DROP FUNCTION IF EXISTS members_department_validity();",
    "DROP TRIGGER IF EXISTS clusteryear_validity ON members_clusteryear;",
    "DROP FUNCTION IF EXISTS members_clusteryear_validity();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"No membership validity triggers for {schema_editor.connection.vendor}"
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
