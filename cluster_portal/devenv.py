"""The development checkout's local ``.env``: written by ``make run``, read by ``manage.py``.

So that every command of the README works as printed on a development checkout
(``.venv/bin/python manage.py verify_audit``, ``createsuperuser``, ...), ``make run`` writes
a git-ignored ``.env`` next to ``manage.py`` (DEBUG=1, a generated SECRET_KEY, the served
address as PORTAL_BASE_URL) and ``manage.py`` reads it.

Production reads only the real environment:
- only ``manage.py`` reads the file; the app servers' entry points (``wsgi.py``,
  ``asgi.py``) and ``settings.py`` never do;
- ``manage.py`` skips it when the real environment says production: ``DJANGO_ENV=production``
  or DEBUG set to an off value (``DEBUG=0``), so that a stray ``.env`` on a server cannot
  switch DEBUG on or replace the SECRET_KEY;
- a variable set in the real environment always wins over the file.

This module imports nothing from Django: ``make run`` calls it before anything is set up.
"""

import argparse
import os
import secrets
from collections.abc import MutableMapping
from pathlib import Path

from dotenv import dotenv_values, set_key

BASE_DIR = Path(__file__).resolve().parent.parent
DOTENV_PATH = BASE_DIR / ".env"
OFF = {"0", "false", "no", "off"}


def is_production(environ: MutableMapping[str, str]) -> bool:
    """Whether the real environment says this is production: DJANGO_ENV=production, or
    DEBUG set explicitly to an off value."""
    if environ.get("DJANGO_ENV", "").strip().lower() in {"production", "prod"}:
        return True
    return environ.get("DEBUG", "").strip().lower() in OFF


def load_development_env(
    path: Path = DOTENV_PATH, environ: MutableMapping[str, str] | None = None
) -> bool:
    """Copy the variables of the development ``.env`` at ``path`` into ``environ`` (by
    default ``os.environ``) without replacing any that is already set.

    Does nothing, and returns False, when the file does not exist or the real environment
    says production (``is_production``); True when the file was read.
    """
    environ = os.environ if environ is None else environ
    if is_production(environ) or not path.is_file():
        return False
    for name, value in dotenv_values(path).items():
        if value is not None:
            environ.setdefault(name, value)
    return True


def write_development_env(path: Path = DOTENV_PATH, *, base_url: str) -> bool:
    """Create the development ``.env`` at ``path`` if it does not exist (DEBUG=1 and a
    generated SECRET_KEY, readable by its owner only), and set PORTAL_BASE_URL to
    ``base_url``, the address ``make run`` serves, so that links in e-mail follow it.

    Returns True when the file was created.
    """
    created = not path.exists()
    if created:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as env_file:
            env_file.write(
                "# Development settings written by `make run` and read by manage.py only\n"
                "# (never by the app servers, never with DJANGO_ENV=production or DEBUG=0).\n"
                "# Not committed: see .gitignore. Delete it to have a new one written.\n"
            )
        set_key(path, "DEBUG", "1", quote_mode="never")
        set_key(path, "SECRET_KEY", secrets.token_urlsafe(50), quote_mode="never")
    set_key(path, "PORTAL_BASE_URL", base_url.rstrip("/"), quote_mode="never")
    return created


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=write_development_env.__doc__)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--path", type=Path, default=DOTENV_PATH)
    args = parser.parse_args(argv)
    if write_development_env(args.path, base_url=args.base_url):
        print(f"Wrote {args.path} (DEBUG=1, a new SECRET_KEY, PORTAL_BASE_URL={args.base_url}).")


if __name__ == "__main__":
    main()
