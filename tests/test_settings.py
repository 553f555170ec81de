"""Production settings: secure by default, configured from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(
        {
            "SECURE_SSL_REDIRECT": "",
            "SESSION_COOKIE_SECURE": "",
            "CSRF_COOKIE_SECURE": "",
            "ALLOWED_HOSTS": "",
        }
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="thidua.example.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_portal_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_load_demo_refuses_to_run_with_debug_off():
    result = _manage(
        "load_demo", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), DATABASE_URL="sqlite://"
    )
    assert result.returncode != 0
    assert "Refusing to load demo data with DEBUG off" in result.stderr
