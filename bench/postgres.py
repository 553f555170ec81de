"""Throw-away PostgreSQL databases for the benchmarks that need a real server."""

from urllib.parse import urlparse


def _admin_connection(url: str):
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


def recreate(url: str, *, drop_only: bool = False) -> None:
    """Drop the database named by ``url`` and (unless ``drop_only``) create it empty."""
    connection, name = _admin_connection(url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
