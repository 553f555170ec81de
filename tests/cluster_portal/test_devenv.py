"""The development .env: written by `make run`, read by manage.py only in development."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from cluster_portal.devenv import load_development_env, write_development_env

ROOT = Path(__file__).resolve().parent.parent.parent


def _env_file(tmp_path, text):
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_loader_copies_the_file_into_the_environment(tmp_path):
    path = _env_file(tmp_path, "DEBUG=1\nSECRET_KEY=from-the-file\n")
    environ = {}
    assert load_development_env(path, environ) is True
    assert environ == {"DEBUG": "1", "SECRET_KEY": "from-the-file"}


def test_the_real_environment_wins_over_the_file(tmp_path):
    path = _env_file(tmp_path, "DEBUG=1\nSECRET_KEY=from-the-file\n")
    environ = {"SECRET_KEY": "from-the-environment"}
    load_development_env(path, environ)
    assert environ["SECRET_KEY"] == "from-the-environment"


def test_the_loader_ignores_the_file_when_django_env_is_production(tmp_path):
    path = _env_file(tmp_path, "DEBUG=1\nSECRET_KEY=from-the-file\n")
    environ = {"DJANGO_ENV": "production"}
    assert load_development_env(path, environ) is False
    assert environ == {"DJANGO_ENV": "production"}


def test_the_loader_ignores_the_file_when_debug_is_off_in_the_environment(tmp_path):
    path = _env_file(tmp_path, "DEBUG=1\nSECRET_KEY=from-the-file\n")
    environ = {"DEBUG": "0"}
    assert load_development_env(path, environ) is False
    assert environ == {"DEBUG": "0"}


def test_the_loader_does_nothing_without_a_file(tmp_path):
    environ = {}
    assert load_development_env(tmp_path / ".env", environ) is False
    assert environ == {}


def test_make_run_writes_debug_a_secret_key_and_the_served_address(tmp_path):
    path = tmp_path / ".env"
    assert write_development_env(path, base_url="http://127.0.0.1:8123") is True
    environ = {}
    load_development_env(path, environ)
    assert environ["DEBUG"] == "1"
    assert len(environ["SECRET_KEY"]) >= 50
    assert environ["PORTAL_BASE_URL"] == "http://127.0.0.1:8123"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_second_run_keeps_the_secret_key_and_follows_the_new_port(tmp_path):
    path = tmp_path / ".env"
    write_development_env(path, base_url="http://127.0.0.1:8000")
    first = {}
    load_development_env(path, first)
    assert write_development_env(path, base_url="http://127.0.0.1:8001/") is False
    second = {}
    load_development_env(path, second)
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert second["PORTAL_BASE_URL"] == "http://127.0.0.1:8001"


def _run(tmp_path, *args, **env):
    """Run Python in a clean environment (no DEBUG, no SECRET_KEY) from ``tmp_path``, a
    checkout with a copy of manage.py next to the development .env that `make run` writes."""
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    write_development_env(tmp_path / ".env", base_url="http://127.0.0.1:8123")
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ENV", "PORTAL_BASE_URL"}
    }
    clean.update({"PYTHONPATH": str(ROOT), "DATABASE_URL": "sqlite://", **env})
    return subprocess.run(
        [sys.executable, *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PROBE = "from django.conf import settings; print(settings.DEBUG, settings.PORTAL_BASE_URL)"


def test_manage_py_reads_the_development_env_so_commands_work_as_printed(tmp_path):
    result = _run(tmp_path, "manage.py", "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True http://127.0.0.1:8123"


def test_manage_py_ignores_the_development_env_when_django_env_is_production(tmp_path):
    result = _run(tmp_path, "manage.py", "check", DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_app_server_entry_point_never_reads_the_development_env(tmp_path):
    result = _run(tmp_path, "-c", "import cluster_portal.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
