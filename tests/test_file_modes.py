"""Files the portal writes (uploads, media folders, the SQLite database) are private."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.test_settings import ROOT, _manage


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """The umask a shell usually has: the portal must not rely on a stricter one."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_an_upload_saved_through_the_storage_is_readable_by_the_owner_only(
    settings, tmp_path, permissive_umask
):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("plans/attachments/2026/bien-ban.pdf", ContentFile(b"%PDF-1.7"))
    path = default_storage.path(name)
    assert _mode(path) == 0o600
    assert _mode(os.path.dirname(path)) == 0o700
    assert _mode(settings.MEDIA_ROOT / "plans") == 0o700


def test_migrate_creates_the_sqlite_file_readable_by_the_owner_only(tmp_path, permissive_umask):
    database = tmp_path / "db.sqlite3"
    result = _manage("migrate", "--no-input", DEBUG="1", DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _mode(database) == 0o600


def test_the_wsgi_and_asgi_entry_points_set_a_private_umask():
    for module in ("cluster_portal.wsgi", "cluster_portal.asgi"):
        probe = f"import os; os.umask(0o022); import {module}; print(oct(os.umask(0)))"
        result = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env={**os.environ, "DEBUG": "1", "DATABASE_URL": "sqlite://"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "0o77", module
