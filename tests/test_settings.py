"""Production settings: secure by default, configured from the environment."""

import json
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


STORAGE_PROBE = (
    "import json; from django.conf import settings; "
    "from django.core.files.storage import storages; "
    "print(json.dumps([settings.STORAGES['default'], type(storages['default']).__name__]))"
)


def _default_storage(**env):
    result = _manage(
        "shell",
        "-c",
        STORAGE_PROBE,
        **{
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "MEDIA_STORAGE": "",
            "AWS_STORAGE_BUCKET_NAME": "",
            **env,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_media_storage_is_a_local_folder_by_default():
    config, storage = _default_storage()
    assert config == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage == "FileSystemStorage"


def test_media_storage_switches_to_private_s3_when_configured():
    config, storage = _default_storage(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="cum-thi-dua",
        AWS_S3_ENDPOINT_URL="https://s3.example.gov.vn",
        AWS_S3_REGION_NAME="hn-1",
        AWS_ACCESS_KEY_ID="portal",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
    )
    assert config == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "cum-thi-dua",
            "endpoint_url": "https://s3.example.gov.vn",
            "region_name": "hn-1",
            "access_key": "portal",
            "secret_key": "not-a-real-secret",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    assert storage == "S3Storage"


def test_naming_a_bucket_is_enough_to_choose_s3():
    config, _storage = _default_storage(AWS_STORAGE_BUCKET_NAME="cum-thi-dua")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"


def test_s3_without_a_bucket_is_refused():
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 60, MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_check_refuses_pdf_verify_trust_roots_that_cannot_be_read(tmp_path):
    missing = tmp_path / "khong-co.pem"
    result = _manage("check", DEBUG="1", PDF_VERIFY_TRUST_ROOTS=str(missing))
    assert result.returncode != 0
    assert "PDF_VERIFY_TRUST_ROOTS" in result.stderr


def test_check_refuses_a_trust_roots_folder_without_certificates(tmp_path):
    result = _manage("check", DEBUG="1", PDF_VERIFY_TRUST_ROOTS=str(tmp_path))
    assert result.returncode != 0
    assert "no certificate found" in result.stderr


CACHE_PROBE = (
    "import json; from django.conf import settings; from django.core.cache import caches; "
    "print(json.dumps([settings.CACHES['default'], type(caches['default']).__name__, "
    "settings.SESSION_ENGINE]))"
)


def _cache_settings(**env):
    result = _manage(
        "shell",
        "-c",
        CACHE_PROBE,
        **{"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "REDIS_URL": "", **env},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_shared_cache_is_a_database_table_without_redis_url():
    config, backend, _sessions = _cache_settings()
    assert config == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cluster_portal_cache",
    }
    assert backend == "DatabaseCache"


def test_the_shared_cache_is_redis_when_redis_url_is_set():
    config, backend, _sessions = _cache_settings(REDIS_URL="redis://cache.internal:6379/2")
    assert config == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }
    assert backend == "RedisCache"


def test_sessions_stay_in_the_database_with_redis():
    _config, _backend, sessions = _cache_settings(REDIS_URL="redis://cache.internal:6379/2")
    assert sessions == "django.contrib.sessions.backends.db"
